import { checkGuard, type RecoveryResult, readHistory, requestKey, type Target } from '../../shared/index.js';
import { targetsByInstanceIds } from '../config/targets.js';
import type { Logger } from '../logger.js';
import type { RecoveryService, RunningRecovery } from '../recovery/recovery-service.js';
import { escapeText } from '../slack/format.js';
import { alarmHeadline, alarmMessage, alreadyRunning, resolvedMessage } from '../slack/messages.js';
import type { PostedMessage, SlackPoster } from '../slack/slack-poster.js';
import { type AlarmPacerOptions, createAlarmPacer } from './alarm-pacer.js';
import {
  type AlarmThread,
  type AlarmThreadStore,
  createMemoryThreadStore,
  type KnownThread,
  NEWER_ALARM,
  okPredatesAlarm,
  threadKey,
} from './alarm-threads.js';
import { type CloudWatchAlarm, parseCloudWatchAlarm } from './cloudwatch-alarm.js';

/**
 * What the bot does with a verified alarm notification, independent of how it arrived (an SNS HTTP notification in
 * server mode; an SNS record or a CloudWatch alarm action on Lambda). `ALARM` follows the target's policy; `OK`
 * closes the alarm's thread.
 */

export interface AlarmRouterOptions {
  service: RecoveryService;
  slack: SlackPoster;
  channel: string;
  logger: Logger;
  /**
   * Where each alarm's message is remembered for its `OK`. Default: in this process's memory (server mode);
   * Lambda passes the Parameter Store store, since its `OK` may reach another container.
   */
  threads?: AlarmThreadStore;
  /** How alarm messages are paced and gathered (see AlarmPacer); the defaults follow Slack's limit. */
  pace?: Pick<AlarmPacerOptions, 'burst' | 'intervalMs' | 'now' | 'schedule' | 'track'>;
  /** Epoch ms, for an alarm's age; default Date.now. */
  now?: () => number;
}

export interface AlarmRouter {
  /** The `Message` of a verified notification. Never throws. */
  handle(message: string, meta: { messageId: string }): Promise<void>;
  /** After a recovery: an automatic one the guard refused is handed to a person. */
  afterRecovery(run: RunningRecovery, result: RecoveryResult): Promise<void>;
  /** Resolves when every alarm thread noted so far is stored: a Lambda invocation must not return before. */
  idle(): Promise<void>;
  /**
   * Whether the message `threadTs` is still the open thread of this alarm on `target`: `false` when the store
   * knows that the alarm's `OK` closed it or that a later message of the alarm took its place; `undefined` when it
   * knows nothing of the alarm (a restarted server, another alarm in Lambda's one slot per target, a failed write)
   * or cannot be read.
   */
  isOpen(alarmName: string, target: Target, threadTs: string): Promise<boolean | undefined>;
}

export function createAlarmRouter(options: AlarmRouterOptions): AlarmRouter {
  const { service, slack, channel, logger } = options;
  const now = options.now ?? Date.now;
  const threads = options.threads ?? createMemoryThreadStore();
  /**
   * Threads still being posted or stored, with when their `ALARM` changed state. An `OK` handled by this process
   * meanwhile waits for the message instead of missing it; entries leave once the store has the thread, so this
   * stays as small as the work in flight.
   */
  const noting = new Map<string, { thread: Promise<AlarmThread | undefined>; alarmAt: number | undefined }>();
  /** Recoveries started by an alarm → that alarm, to hand it to a person if the guard refuses. */
  const alarmOfRun = new WeakMap<RunningRecovery, { alarm: CloudWatchAlarm; target: Target }>();

  /**
   * Stores `message` as the thread of each of these alarms of `target` (name → when its `ALARM` changed state),
   * once it is posted.
   */
  const remember = (
    alarms: ReadonlyMap<string, number | undefined>,
    target: Target,
    message: Promise<PostedMessage | undefined>,
  ): Promise<void> => {
    const keys = Array.from(alarms, ([name, alarmAt]) => ({
      name,
      alarmAt,
      key: threadKey(name, target.name),
    }));
    const noted = message.then(async (posted) => {
      const thread = toThread(posted);
      for (const { name, alarmAt } of keys) {
        try {
          // A message that could not be posted has no thread: an older one of this alarm must not stand in for it.
          if (thread === undefined) await threads.delete(name, target);
          else await threads.set(name, target, thread, alarmAt);
        } catch (error) {
          // Only the `OK`'s place is lost: it will be posted on its own.
          logger.warn('alarm.thread-unsaved', { alarm: name, target: target.name, error });
        }
      }
      return thread;
    });
    const entries = keys.map(({ key, alarmAt }) => {
      const entry = { thread: noted, alarmAt };
      noting.set(key, entry);
      return { key, entry };
    });
    return noted.then(() => {
      for (const { key, entry } of entries) if (noting.get(key) === entry) noting.delete(key);
    });
  };
  const alarmsOf = (alarm: CloudWatchAlarm) => new Map([[alarm.alarmName, alarm.changedAt]]);

  // A gathered alarm is remembered with its digest, when that goes out; until then the pacer knows its place.
  const pacer = createAlarmPacer({ slack, channel, logger, ...options.pace, remember });

  const post = async (alarm: CloudWatchAlarm, target: Target, note: string, ask: boolean) => {
    const paced = pacer.post({ alarm, target, note, ask });
    // A gathered alarm's handling is done: its digest is tracked on its own.
    if (!paced.gathered) await remember(alarmsOf(alarm), target, paced.message);
  };

  const onAlarm = async (
    alarm: CloudWatchAlarm,
    target: Target,
    messageId: string,
    log: Logger,
  ): Promise<void> => {
    const policy = target.policy;
    if (policy === 'notify') {
      log.info('alarm.routed', { policy, action: 'posted' });
      await post(alarm, target, 'Policy *notify*: the bot only reports this alarm.', false);
      return;
    }
    if (policy === 'confirm') {
      log.info('alarm.routed', { policy, action: 'asked' });
      await post(
        alarm,
        target,
        'Policy *confirm*: restart it? Only allowed users can press the buttons.',
        true,
      );
      return;
    }
    // A delivery held up (SNS retrying while the bot was down, a throttled Lambda queue) describes an ALARM that may
    // long be over: a person decides whether a restart is still wanted.
    const age = alarm.changedAt === undefined ? 0 : now() - alarm.changedAt;
    if (age > MAX_AUTO_ALARM_AGE_MS) {
      log.warn('alarm.routed', {
        policy,
        action: 'asked',
        reason: 'late',
        ageSeconds: Math.round(age / 1000),
      });
      await post(alarm, target, lateNote(age), true);
      return;
    }
    const running = service.running(target.name);
    if (running !== undefined) {
      log.info('alarm.routed', { policy, action: 'already-running', holder: running.owner });
      await post(alarm, target, alreadyRunning(target.name, running.owner, running.startedAt), false);
      return;
    }
    // The core checks the guard again under the lock; this early look lets the alarm message itself ask a person.
    const guard = await preCheckGuard(target, messageId, log);
    if (guard === 'ran-before') {
      // A copy of a notification that already restarted the instance (SNS and Lambda deliver at least once, and
      // a copy may reach another Lambda container): the first one's message tells the story.
      log.info('alarm.duplicate', { policy, seenIn: 'history' });
      return;
    }
    if (guard !== undefined) {
      log.warn('alarm.routed', { policy, action: 'asked', reason: guard.code });
      await post(alarm, target, guardNote(guard.message, guard.fix), true);
      return;
    }
    const attempt = service.start({
      target,
      trigger: { kind: 'alarm', actor: alarm.alarmName, detail: alarm.reason.slice(0, 200) },
      dryRun: false,
      owner: `alarm:${alarm.alarmName}`,
      header: `${alarmHeadline(alarm, target)}\nPolicy *auto*: recovering now.`,
      requestId: messageId,
    });
    if (!attempt.started) {
      log.info('alarm.routed', { policy, action: 'already-running', holder: attempt.holder.owner });
      await post(
        alarm,
        target,
        alreadyRunning(target.name, attempt.holder.owner, attempt.holder.startedAt),
        false,
      );
      return;
    }
    alarmOfRun.set(attempt.run, { alarm, target });
    // Not awaited: the progress message is posted as the recovery goes; `idle()` waits for it.
    void remember(alarmsOf(alarm), target, attempt.run.posted);
    log.info('alarm.routed', { policy, action: 'recovering' });
  };

  const preCheckGuard = async (target: Target, messageId: string, log: Logger) => {
    try {
      const ports = await service.ports.portsFor(target);
      const history = await readHistory(ports.parameters, service.config.parameterPrefix, target.instanceId);
      if (history.some((entry) => entry.requestId === requestKey(messageId))) return 'ran-before';
      const decision = checkGuard(history, ports.clock.now(), target.guard);
      return decision.allowed ? undefined : decision;
    } catch (error) {
      // Unreadable history must not block a recovery; the core decides again under the lock.
      log.warn('alarm.guard-unreadable', { error });
      return undefined;
    }
  };

  const onOk = async (alarm: CloudWatchAlarm, target: Target, log: Logger): Promise<void> => {
    // The latest ALARM's message first: a digest still waiting, then one being stored, then the store.
    const key = threadKey(alarm.alarmName, target.name);
    const waiting = pacer.waitingFor(target.name, alarm.alarmName);
    const pending =
      waiting === undefined
        ? noting.get(key)
        : {
            // Once the digest is out its threads are being stored (`remember` starts as it is sent): the `OK` waits
            // for that too, or the store could note the thread open after the `OK` closed it.
            thread: waiting.message.then((posted) => noting.get(key)?.thread ?? toThread(posted)),
            alarmAt: waiting.alarmAt,
          };
    // SNS keeps no order and retries: an `OK` from before the latest `ALARM` belongs to an earlier episode, and
    // "Resolved" in the thread of an alarm that is firing again (or on its own, beside it) would mislead.
    const ignoreLateOk = () => {
      log.info('alarm.ignored', { reason: 'ok-before-latest-alarm' });
    };
    if (pending !== undefined && okPredatesAlarm(alarm.changedAt, pending.alarmAt)) return ignoreLateOk();
    let thread: AlarmThread | undefined;
    let unreadable = false;
    try {
      // The episode is over, so a stored thread is closed as it is read: one read per `OK` on Lambda.
      const found = await (pending === undefined
        ? threads.close(alarm.alarmName, target, alarm.changedAt)
        : pending.thread);
      if (found === NEWER_ALARM) return ignoreLateOk();
      thread = found;
    } catch (error) {
      // The `OK` is still worth posting, only not in the thread.
      unreadable = true;
      log.warn('alarm.thread-unreadable', { error });
    }
    // CloudWatch sends `OK` on every transition into it: from INSUFFICIENT_DATA (a new alarm's first evaluation,
    // data back after a gap) nothing was resolved, unless an earlier ALARM of this episode left a thread to close.
    if (
      alarm.oldState !== undefined &&
      alarm.oldState !== 'ALARM' &&
      pending === undefined &&
      thread === undefined &&
      !unreadable
    ) {
      log.info('alarm.ignored', { reason: 'ok-without-alarm', oldState: alarm.oldState });
      return;
    }
    log.info('alarm.resolved', { inThread: thread !== undefined });
    await slack.post(thread?.channel ?? channel, {
      ...resolvedMessage(alarm, target),
      ...(thread === undefined ? {} : { threadTs: thread.ts }),
    });
    if (pending === undefined || thread === undefined) return;
    // A thread still in flight reaches the store only now, and is closed there too.
    await threads.close(alarm.alarmName, target, alarm.changedAt).catch((error: unknown) => {
      log.warn('alarm.thread-unsaved', { error });
    });
  };

  return {
    async handle(message, meta) {
      const log = logger.child({ messageId: meta.messageId });
      try {
        const parsed = parseCloudWatchAlarm(message);
        if (!parsed.ok) {
          log.info('alarm.ignored', { reason: 'not-an-alarm', detail: parsed.reason });
          return;
        }
        const alarm = parsed.alarm;
        const alarmLog = log.child({ alarm: alarm.alarmName, state: alarm.newState });
        const targets = targetsByInstanceIds(service.config, alarm.instanceIds);
        if (targets.length === 0) {
          alarmLog.warn('alarm.ignored', {
            reason: alarm.instanceIds.length === 0 ? 'no-instance-dimension' : 'unknown-instance',
            instanceIds: alarm.instanceIds.slice(0, 10),
          });
          return;
        }
        if (targets.length > 1) {
          // An alarm over several configured instances cannot say which one hangs: never guess with a reboot.
          alarmLog.warn('alarm.ignored', { reason: 'several-targets', targets: targets.map((t) => t.name) });
          return;
        }
        const target = targets[0] as Target;
        const targetLog = alarmLog.child({ target: target.name });
        if (alarm.region !== undefined && alarm.region !== target.region) {
          targetLog.warn('alarm.ignored', {
            reason: 'region-mismatch',
            alarmRegion: alarm.region,
            targetRegion: target.region,
          });
          return;
        }
        if (alarm.newState === 'ALARM') await onAlarm(alarm, target, meta.messageId, targetLog);
        else if (alarm.newState === 'OK') await onOk(alarm, target, targetLog);
        else targetLog.info('alarm.ignored', { reason: 'insufficient-data' });
      } catch (error) {
        log.error('alarm.failed', { error });
      }
    },

    async afterRecovery(run, result) {
      const origin = alarmOfRun.get(run);
      if (origin === undefined || result.outcome !== 'refused') return;
      const code = result.error?.code;
      if (code !== 'cooldown' && code !== 'loop-guard') return;
      // Past the guard the bot stops acting alone: the same alarm, now with buttons for a person.
      const { alarm, target } = origin;
      const where = await run.posted;
      logger.warn('alarm.asked-person', { target: target.name, alarm: alarm.alarmName, reason: code });
      await slack.post(where?.channel ?? channel, {
        ...alarmMessage({
          alarm,
          target,
          note: guardNote(result.error?.message ?? code, result.error?.fix),
          ask: true,
        }),
        ...(where === undefined ? {} : { threadTs: where.ts }),
      });
    },

    async idle() {
      // A digest still waiting is not in `noting` yet; once it goes out its alarms are, until they are stored.
      while (noting.size > 0 || pacer.waiting > 0)
        await Promise.all([pacer.idle(), ...Array.from(noting.values(), (entry) => entry.thread)]);
    },

    async isOpen(alarmName, target, threadTs) {
      try {
        const inFlight = noting.get(threadKey(alarmName, target.name));
        const thread: KnownThread | undefined =
          inFlight === undefined
            ? await threads.get(alarmName, target)
            : await inFlight.thread.then((posted) =>
                posted === undefined ? undefined : { ...posted, closed: false },
              );
        if (thread === undefined) return undefined;
        return thread.ts === threadTs && !thread.closed;
      } catch (error) {
        logger.warn('alarm.thread-unreadable', { alarm: alarmName, target: target.name, error });
        return undefined;
      }
    },
  };
}

/** Past this age an `ALARM` no longer restarts on its own (policy auto), as a handed-over run does not either. */
export const MAX_AUTO_ALARM_AGE_MS = 5 * 60_000;

function lateNote(ageMs: number): string {
  return `⏱️ This alarm reached me ${Math.round(ageMs / 60_000)} min after it fired, so I will not restart on my own: it may be over. A person decides: restart it, or ignore the alarm.`;
}

function guardNote(message: string, fix: string | undefined): string {
  return `⛔ I will not restart it again on my own: ${escapeText(message)}.${fix === undefined ? '' : ` ${escapeText(fix)}`} A person decides: restart it, or ignore the alarm.`;
}

function toThread(posted: PostedMessage | undefined): AlarmThread | undefined {
  return posted === undefined ? undefined : { channel: posted.channel, ts: posted.ts };
}
