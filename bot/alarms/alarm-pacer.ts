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
   * Counts a digest, from its first alarm to its post, as work in flight (the server's WorkTracker), so that the
   * health endpoint and a shutdown's drain see it.
   */
  track?: (work: () => Promise<unknown>) => void;
}

export interface PacedPost {
  /** The message that carries the alarm: its own, or the digest it joined. `undefined` if Slack refused it. */
  message: Promise<PostedMessage | undefined>;
  /** Whether the alarm waits for a digest rather than being posted now. */
  gathered: boolean;
}

export interface AlarmPacer {
  post(notice: AlarmNotice): PacedPost;
  /** Digests waiting for the budget. */
  readonly waiting: number;
}

export const DEFAULT_ALARM_BURST = 3;
export const DEFAULT_ALARM_INTERVAL_MS = 1_000;
/** A digest names this many alarms, which keeps it far below Slack's block limits. */
export const DIGEST_NAMED_ALARMS = 20;

interface Digest {
  first: AlarmNotice;
  /** The first DIGEST_NAMED_ALARMS alarms of distinct names. */
  named: CloudWatchAlarm[];
  /** Whether an alarm's name was left out for want of room. */
  unnamed: boolean;
  count: number;
  last: CloudWatchAlarm;
  message: Promise<PostedMessage | undefined>;
  resolve: (posted: PostedMessage | undefined) => void;
}

export function createAlarmPacer(options: AlarmPacerOptions): AlarmPacer {
  const { slack, channel, logger } = options;
  const burst = options.burst ?? DEFAULT_ALARM_BURST;
  const intervalMs = options.intervalMs ?? DEFAULT_ALARM_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const schedule = options.schedule ?? ((fire, ms) => setTimeout(fire, ms));
  const track = options.track ?? (() => {});

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
    const message =
      digest.count === 1
        ? alarmMessage(digest.first)
        : alarmDigestMessage({
            alarms: digest.named,
            count: digest.count,
            othersUnnamed: digest.unnamed,
            target: digest.first.target,
            note: digest.first.note,
            ask: digest.first.ask,
            firstAt: digest.first.alarm.changedAt,
            lastAt: digest.last.changedAt,
          });
    if (digest.count > 1) {
      logger.info('alarm.digest', { target: digest.first.target.name, alarms: digest.count });
    }
    void slack.post(channel, message).then(digest.resolve);
  };

  return {
    post(notice) {
      const key = `${notice.target.name}\n${notice.ask ? 'ask' : 'tell'}\n${notice.note}`;
      const open = digests.get(key);
      if (open !== undefined) {
        open.count++;
        open.last = notice.alarm;
        const name = notice.alarm.alarmName;
        if (!open.named.some((a) => a.alarmName === name)) {
          if (open.named.length < DIGEST_NAMED_ALARMS) open.named.push(notice.alarm);
          else open.unnamed = true;
        }
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
      digests.set(key, {
        first: notice,
        named: [notice.alarm],
        unnamed: false,
        count: 1,
        last: notice.alarm,
        message,
        resolve,
      });
      track(() => message);
      wake();
      return { message, gathered: true };
    },
    get waiting() {
      return digests.size;
    },
  };
}
