import { parseConfig, type Target } from '../../shared/index.js';
import { createSimulatedCloud, type SimulatedCloud } from '../../shared/sim/index.js';
import { createAlarmRouter } from '../alarms/alarm-router.js';
import type { BotDeps } from '../deps.js';
import { createMemoryLogger, type LogRecord } from '../logger.js';
import { customPortsProvider } from '../recovery/ports-provider.js';
import { RecoveryService } from '../recovery/recovery-service.js';
import type { PostedMessage, PostMessage, SlackPoster } from '../slack/slack-poster.js';
import { WorkTracker } from '../work-tracker.js';
import { TEST_CONFIG } from './test-bot.js';

/** A Slack poster that records what it was asked to send; `failing` makes every call fail as Slack might. */
export class RecordingSlack implements SlackPoster {
  readonly posts: Array<{ channel: string; message: PostMessage; ts: string }> = [];
  readonly updates: Array<{ message: PostedMessage; content: { text: string; blocks?: unknown[] } }> = [];
  failing = false;
  #next = 1;

  async post(channel: string, message: PostMessage): Promise<PostedMessage | undefined> {
    if (this.failing) return undefined;
    const ts = `1700000000.${String(this.#next++).padStart(6, '0')}`;
    this.posts.push({ channel, message, ts });
    return { channel, ts };
  }

  async update(message: PostedMessage, content: { text: string; blocks?: unknown[] }): Promise<boolean> {
    if (this.failing) return false;
    this.updates.push({ message, content });
    return true;
  }
}

export interface FakeDeps {
  deps: BotDeps;
  slack: RecordingSlack;
  logs: LogRecord[];
  cloud(target: string): SimulatedCloud;
}

/** Listener dependencies without any server: the real service on the simulator, a recording Slack. */
export function createFakeDeps(config = TEST_CONFIG): FakeDeps {
  const parsed = parseConfig(config, 'test config');
  const slackSettings = parsed.slack;
  if (slackSettings === undefined) throw new Error('test config needs slack');
  const { logger, records } = createMemoryLogger();
  const slack = new RecordingSlack();
  const clouds = new Map<string, SimulatedCloud>();
  const cloudOf = (target: Pick<Target, 'name' | 'instanceId'>) => {
    let cloud = clouds.get(target.name);
    if (cloud === undefined) {
      cloud = createSimulatedCloud({ instanceId: target.instanceId });
      clouds.set(target.name, cloud);
    }
    return cloud;
  };
  const service = new RecoveryService({
    config: parsed,
    ports: customPortsProvider((t) => cloudOf(t).ports),
    slack,
    channel: slackSettings.channel,
    logger,
    minUpdateIntervalMs: 0,
  });
  const alarms = createAlarmRouter({ service, slack, channel: slackSettings.channel, logger });
  return {
    deps: { config: parsed, slackSettings, service, slack, alarms, logger, work: new WorkTracker() },
    slack,
    logs: records,
    cloud: (name) => {
      const target = parsed.targets[name];
      if (target === undefined) throw new Error(`no target ${name}`);
      return cloudOf({ name, instanceId: target.instanceId });
    },
  };
}
