import type { Config } from '../shared/index.js';
import type { AlarmRouter } from './alarms/alarm-router.js';
import type { DeferCommand } from './commands/domtory-command.js';
import type { Logger } from './logger.js';
import type { RecoveryService } from './recovery/recovery-service.js';
import type { SlackPoster } from './slack/slack-poster.js';
import type { WorkTracker } from './work-tracker.js';

/** What the Slack listeners need; built once by `startBot`, or by hand in a test. */
export interface BotDeps {
  config: Config;
  slackSettings: NonNullable<Config['slack']>;
  service: RecoveryService;
  slack: SlackPoster;
  alarms: AlarmRouter;
  logger: Logger;
  /** Counts work done after an answer (command replies) for health, shutdown and benchmarks; optional. */
  work?: WorkTracker;
  /** Where a slash command's work after its ack runs; unset: right after the ack, in the listener (server mode). */
  deferCommand?: DeferCommand;
}
