import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.js';

describe('parseEnv', () => {
  it('HTTP mode needs the bot token and the signing secret', () => {
    expect(parseEnv({})).toMatchObject({ ok: false });
    const parsed = parseEnv({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      DOMTORY_CONFIG: '/etc/domtory.yml',
      PORT: '8080',
    });
    expect(parsed).toMatchObject({
      ok: true,
      env: { mode: 'http', port: 8080, configPath: '/etc/domtory.yml', host: '0.0.0.0' },
    });
  });

  it('an app token selects Socket Mode, which needs no signing secret', () => {
    expect(parseEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toMatchObject({
      ok: true,
      env: { mode: 'socket' },
    });
    expect(parseEnv({ SLACK_BOT_TOKEN: 'xoxb-1', DOMTORY_SLACK_MODE: 'socket' })).toMatchObject({
      ok: false,
    });
  });

  it('says what is wrong', () => {
    const parsed = parseEnv({
      SLACK_BOT_TOKEN: 'xoxp-user',
      DOMTORY_SLACK_MODE: 'carrier-pigeon',
      PORT: 'x',
      DOMTORY_SIMULATE_PACE: '-1',
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems.join('\n')).toMatch(
        /DOMTORY_SLACK_MODE[\s\S]*xoxb[\s\S]*SLACK_SIGNING_SECRET[\s\S]*PORT[\s\S]*DOMTORY_SIMULATE_PACE/,
      );
    }
  });
});
