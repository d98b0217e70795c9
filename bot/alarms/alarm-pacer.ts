import type { Target } from '../../shared/index.js';
import type { Logger } from '../logger.js';
import { alarmDigestMessage, alarmMessage } from '../slack/messages.js';
import type { PostedMessage, SlackPoster } from '../slack/slack-poster.js';
import type { CloudWatchAlarm } from './cloudwatch-alarm.js';

/**
 * Alarm messages to the channel, at the pace Slack takes them.
 *
 * Slack lets an app post about one message a second to a channel, with short bursts above that; past it the
 * Web API answers 429 and the client holds each call for a retry. A storm of distinct alarms (a flapping metric,
 * several alarms on one hung instance) posted one message each would flood the channel, pile up in memory and
 * reach the team late. So the first alarms of a burst are posted at once, and those that arrive while the
 * channel's budget is spent are gathered, per target and per note, into one digest that goes out as soon as the
 * budget allows. A gathered alarm's thread is its digest's, so its `OK` still lands in the right place.
 */

export interface AlarmNotice {
  alarm: CloudWatchAlarm;
  target: Target;
  /** What the bot does about it, one line. */
  note: string;
  /** Restart / Ignore buttons for a person. */
  ask: boolean;
}

export interface AlarmPacerOptions {
  slack: SlackPoster;
  channel: string;
  logger: Logger;
  /** Messages that may go out back to back. Default 3. */
  burst?: number;
  /** Time the budget takes to regain one message. Default 1,000 ms. */
  intervalMs?: number;
  now?: () => number;
  /** Runs `fire` after `ms`; tests drive it by hand. */
  schedule?: (fire: () => void, ms: number) => void;
  /**
   * Counts a digest, from its first alarm until its threads are remembered, as work in flight (the server's
   * WorkTracker), so that the health endpoint and a shutdown's drain see it.
   */
  track?: (work: () => Promise<unknown>) => void;
  /**
   * Called as a digest goes out, with every alarm in it (its name and when its latest `ALARM` changed state) and the
   * digest's message, so that each one's `OK` finds the digest's thread; the digest counts as work until the
   * returned promise settles.
   */
  remember?: (
    alarms: ReadonlyMap<string, number | undefined>,
    target: Target,
    message: Promise<PostedMessage | undefined>,
  ) => Promise<void>;
}

export interface PacedPost {
  /** The message that carries the alarm: its own, or the digest it joined. `undefined` if Slack refused it. */
  message: Promise<PostedMessage | undefined>;
  /** Whether the alarm waits for a digest rather than being posted now. */
  gathered: boolean;
}

export interface AlarmPacer {
  post(notice: AlarmNotice): PacedPost;
  /** The waiting digest that holds this alarm, if one does: its message, and when the alarm changed state. */
  waitingFor(
    targetName: string,
    alarmName: string,
  ): { message: Promise<PostedMessage | undefined>; alarmAt: number | undefined } | undefined;
  /** Resolves once every digest opened so far has gone out and had its threads remembered. */
  idle(): Promise<void>;
  /** Digests waiting for the budget. */
  readonly waiting: number;
}

export const DEFAULT_ALARM_BURST = 3;
export const DEFAULT_ALARM_INTERVAL_MS = 1_000;
/** A digest names this many alarms, which keeps it far below Slack's block limits. */
export const DIGEST_NAMED_ALARMS = 20;

/**
 * A digest keeps what its message shows (the first alarms in full) and, of every other alarm, only its name: a
 * storm's alarms wait here for up to a second each, and their payloads need not wait with them.
 */
interface Digest {
  first: AlarmNotice;
  /** The first DIGEST_NAMED_ALARMS alarms of distinct names. */
  named: CloudWatchAlarm[];
  /**
   * Every distinct alarm gathered, by name, with when its latest `ALARM` changed state: the threads of their `OK`s,
   * and what tells a late `OK` of an earlier episode from theirs.
   */
  names: Map<string, number | undefined>;
  count: number;
  lastAt: number | undefined;
  message: Promise<PostedMessage | undefined>;
  resolve: (posted: PostedMessage | undefined) => void;
  /** Called once the digest's threads are remembered; ends its count as unfinished work. */
  finish: () => void;
}

export function createAlarmPacer(options: AlarmPacerOptions): AlarmPacer {
  const { slack, channel, logger } = options;
  const burst = options.burst ?? DEFAULT_ALARM_BURST;
  const intervalMs = options.intervalMs ?? DEFAULT_ALARM_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const schedule = options.schedule ?? ((fire, ms) => setTimeout(fire, ms));
  const track = options.track ?? (() => {});
  const remember = options.remember ?? (async () => {});

  // A token bucket: `tokens` messages may go now; one more every `intervalMs`, up to `burst`.
  let tokens = burst;
  let refilledAt = now();
  const refill = () => {
    const at = now();
    tokens = Math.min(burst, tokens + (at - refilledAt) / intervalMs);
    refilledAt = at;
  };

  /** Open digests in the order they were opened, which is the order they are posted in. */
  const digests = new Map<string, Digest>();
  /** Digests not yet done: waiting, or out and being remembered. */
  const unfinished = new Set<Promise<void>>();
  let timerSet = false;

  const drain = () => {
    timerSet = false;
    refill();
    for (const [key, digest] of digests) {
      if (tokens < 1) break;
      tokens -= 1;
      digests.delete(key);
      send(digest);
    }
    wake();
  };

  const wake = () => {
    if (timerSet || digests.size === 0) return;
    timerSet = true;
    schedule(drain, Math.max(0, Math.ceil((1 - tokens) * intervalMs)));
  };

  const send = (digest: Digest) => {
    const { first } = digest;
    const message =
      digest.count === 1
        ? alarmMessage(first)
        : alarmDigestMessage({
            alarms: digest.named,
            count: digest.count,
            othersUnnamed: digest.names.size > digest.named.length,
            target: first.target,
            note: first.note,
            ask: first.ask,
            firstAt: first.alarm.changedAt,
            lastAt: digest.lastAt,
          });
    if (digest.count > 1) {
      logger.info('alarm.digest', { target: first.target.name, alarms: digest.count });
    }
    const posted = slack.post(channel, message);
    void posted.then(digest.resolve);
    // Remembering never fails the digest: a thread that cannot be stored only costs its OK's place.
    void remember(digest.names, first.target, posted).then(digest.finish, digest.finish);
  };

  return {
    post(notice) {
      const key = `${notice.target.name}\n${notice.ask ? 'ask' : 'tell'}\n${notice.note}`;
      const open = digests.get(key);
      const name = notice.alarm.alarmName;
      if (open !== undefined) {
        open.count++;
        open.lastAt = notice.alarm.changedAt;
        if (!open.names.has(name) && open.named.length < DIGEST_NAMED_ALARMS) open.named.push(notice.alarm);
        open.names.set(name, latest(open.names.get(name), notice.alarm.changedAt));
        return { message: open.message, gathered: true };
      }
      refill();
      // Digests already waiting go first: a new alarm does not overtake them.
      if (digests.size === 0 && tokens >= 1) {
        tokens -= 1;
        return { message: slack.post(channel, alarmMessage(notice)), gathered: false };
      }
      let resolve!: (posted: PostedMessage | undefined) => void;
      const message = new Promise<PostedMessage | undefined>((r) => {
        resolve = r;
      });
      let finish!: () => void;
      const done = new Promise<void>((r) => {
        finish = r;
      });
      digests.set(key, {
        first: notice,
        named: [notice.alarm],
        names: new Map([[name, notice.alarm.changedAt]]),
        count: 1,
        lastAt: notice.alarm.changedAt,
        message,
        resolve,
        finish,
      });
      unfinished.add(done);
      void done.then(() => unfinished.delete(done));
      track(() => done);
      wake();
      return { message, gathered: true };
    },
    waitingFor(targetName, alarmName) {
      for (const digest of digests.values()) {
        if (digest.first.target.name === targetName && digest.names.has(alarmName))
          return { message: digest.message, alarmAt: digest.names.get(alarmName) };
      }
      return undefined;
    },
    async idle() {
      while (unfinished.size > 0) await Promise.all(unfinished);
    },
    get waiting() {
      return digests.size;
    },
  };
}

/** The later of two state-change times, either of which may be unknown. */
function latest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.max(a, b);
}
