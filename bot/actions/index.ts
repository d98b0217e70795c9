import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { BotDeps } from '../deps.js';
import { ACTION } from '../slack/ids.js';
import { alarmIgnore, alarmRestart, restartCancel, restartConfirm } from './button-actions.js';

export function register(app: App, deps: BotDeps): void {
  // Every button of the bot is a plain button in a block-kit message.
  app.action<BlockAction<ButtonAction>>(ACTION.alarmRestart, alarmRestart(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.alarmIgnore, alarmIgnore(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.restartConfirm, restartConfirm(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.restartCancel, restartCancel(deps));
}
