import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from './app.js';

/** The manifests create the app in one step; they must describe what the code actually registers. */
const load = (file: string) => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'));

describe('Slack app manifests', () => {
  for (const [file, socket] of [
    ['./manifest.json', false],
    ['./manifest-socket-mode.json', true],
  ] as const) {
    it(`${file}: the /domtory command, interactivity and the scopes the bot uses`, () => {
      const manifest = load(file);
      const command = manifest.features.slash_commands[0];
      expect(command.command).toBe('/domtory');
      expect(command.should_escape).toBe(false);
      expect(manifest.settings.interactivity.is_enabled).toBe(true);
      expect(manifest.settings.socket_mode_enabled).toBe(socket);
      // commands: the slash command; chat:write: post and update progress in channels the bot was invited to.
      expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['chat:write', 'commands']);
      if (socket) {
        expect(command.url).toBeUndefined();
      } else {
        expect(new URL(command.url).pathname).toBe(SLACK_EVENTS_PATH);
        expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe(SLACK_EVENTS_PATH);
      }
    });
  }
});
