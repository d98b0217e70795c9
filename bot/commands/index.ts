import type { App } from '@slack/bolt';
import type { BotDeps } from '../deps.js';
import { domtoryCommand } from './domtory-command.js';

export function register(app: App, deps: BotDeps): void {
  app.command('/domtory', domtoryCommand(deps));
}
