import * as z from 'zod/mini';
import type { Target } from '../../shared/index.js';
import type { Logger } from '../logger.js';
import type { PortsProvider } from '../recovery/ports-provider.js';
import { slackIdSchema, slackTsSchema } from '../slack/ids.js';

/**
 * Which Slack message an alarm posted (or recovered into), so that its `OK` answers in that message's thread.
 *
 * A long-running server remembers it in memory. On Lambda the `OK` usually reaches another container than the
 * `ALARM` did (or a cold one), so the mapping lives in Parameter Store, beside the target's lock and history.
 */

export interface AlarmThread {
  channel: string;
  ts: string;
}

/** An alarm's latest message as the store knows it, and whether the alarm's `OK` has closed it since. */
export interface KnownThread extends AlarmThread {
  closed: boolean;
  /** When the `ALARM` behind the message changed state (epoch ms), where CloudWatch said. */
  alarmAt?: number;
}

/**
 * What `close` answers when the thread it found belongs to an `ALARM` that changed state after the `OK` did: the
 * `OK` is a late delivery from an earlier episode (SNS keeps no order, and retries), and the alarm is firing again.
 */
export const NEWER_ALARM = 'newer-alarm';

/** An `OK` from before the `ALARM` that `alarmAt` belongs to; either time unknown: not older. */
export function okPredatesAlarm(okAt: number | undefined, alarmAt: number | undefined): boolean {
  return okAt !== undefined && alarmAt !== undefined && okAt < alarmAt;
}

export interface AlarmThreadStore {
  /** This alarm's latest message on this target, open or closed; `undefined` when nothing is remembered. */
  get(alarmName: string, target: Target): Promise<KnownThread | undefined>;
  /** Notes `thread` as this alarm's latest message, open; `alarmAt` is when its `ALARM` changed state. */
  set(alarmName: string, target: Target, thread: AlarmThread, alarmAt?: number): Promise<void>;
  /** Forgets this alarm's thread; a thread another alarm of the target owns now is left alone. */
  delete(alarmName: string, target: Target): Promise<void>;
  /**
   * Marks this alarm's thread closed and returns it when it was open, with one read of the store: on Lambda every
   * `OK` pays for it. A closed or unknown thread gives `undefined`, so a repeated `OK` answers on its own. The
   * closed mark stays, so that a Restart pressed under the message afterwards can tell that its alarm is over. A
   * failed write is logged, not thrown: the thread was found, so the `OK` still answers in it.
   *
   * `okAt` is when the `OK` changed state: a thread whose `ALARM` changed state later (open or closed) is left as
   * it is and answered with NEWER_ALARM.
   */
  close(
    alarmName: string,
    target: Target,
    okAt?: number,
  ): Promise<AlarmThread | typeof NEWER_ALARM | undefined>;
}

const DEFAULT_MAX_ENTRIES = 500;

/** One alarm of one target, as a map key: the memory store's, and the router's for threads still in flight. */
export function threadKey(alarmName: string, targetName: string): string {
  return `${targetName}\n${alarmName}`;
}

/** Server mode: one process sees both the `ALARM` and its `OK`. Bounded: the oldest entries are forgotten first. */
export function createMemoryThreadStore(options: { maxEntries?: number } = {}): AlarmThreadStore {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const threads = new Map<string, KnownThread>();
  return {
    async get(alarmName, target) {
      const thread = threads.get(threadKey(alarmName, target.name));
      return thread === undefined ? undefined : { ...thread };
    },
    async set(alarmName, target, thread, alarmAt) {
      const key = threadKey(alarmName, target.name);
      // Re-inserted so that the map's order stays "least recently set first".
      threads.delete(key);
      threads.set(key, {
        channel: thread.channel,
        ts: thread.ts,
        closed: false,
        ...(alarmAt === undefined ? {} : { alarmAt }),
      });
      while (threads.size > maxEntries) {
        const oldest = threads.keys().next().value;
        if (oldest === undefined) break;
        threads.delete(oldest);
      }
    },
    async delete(alarmName, target) {
      threads.delete(threadKey(alarmName, target.name));
    },
    async close(alarmName, target, okAt) {
      const thread = threads.get(threadKey(alarmName, target.name));
      if (thread === undefined) return undefined;
      if (okPredatesAlarm(okAt, thread.alarmAt)) return NEWER_ALARM;
      if (thread.closed) return undefined;
      thread.closed = true;
      return { channel: thread.channel, ts: thread.ts };
    },
  };
}

export const alarmThreadParameterName = (prefix: string, target: string): string =>
  `${prefix}/${target}/alarm-thread`;

const storedThreadSchema = z.object({
  alarmName: z.string().check(z.minLength(1), z.maxLength(255)),
  channel: slackIdSchema,
  ts: slackTsSchema,
  at: z.string(),
  /** When the `ALARM` behind the message changed state, where CloudWatch said. */
  alarmAt: z.optional(z.string()),
  /** When the alarm's `OK` closed the thread. */
  closedAt: z.optional(z.string()),
});

export interface ParameterThreadStoreOptions {
  ports: PortsProvider;
  prefix: string;
  logger: Logger;
  now?: () => number;
}

/**
 * Lambda: one standard parameter per target, `<prefix>/<target>/alarm-thread`, holding
 * `{alarmName, channel, ts, at, alarmAt}`, plus `closedAt` once the alarm's `OK` has come. One per target rather than per
 * alarm keeps the parameters few and fixed (the stack grants the prefix, and nothing ever needs cleaning up); a
 * second alarm on the same target takes the slot over, and the first one's `OK` then posts on its own, as it would
 * after a restart of a server.
 *
 * A value that cannot be read as a thread (edited by hand, an older format) counts as none: the `OK` is still
 * posted, only not in a thread.
 */
export function createParameterThreadStore(options: ParameterThreadStoreOptions): AlarmThreadStore {
  const { ports, prefix, logger } = options;
  const now = options.now ?? Date.now;
  const nameOf = (target: Target) => alarmThreadParameterName(prefix, target.name);

  const read = async (target: Target) => {
    const { parameters } = await ports.portsFor(target);
    const stored = await parameters.get(nameOf(target));
    if (stored === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(stored.value);
    } catch {
      json = undefined;
    }
    const parsed = storedThreadSchema.safeParse(json);
    if (!parsed.success) {
      logger.warn('alarm.thread-malformed', { target: target.name, parameter: nameOf(target) });
      return undefined;
    }
    return parsed.data;
  };

  return {
    async get(alarmName, target) {
      const stored = await read(target);
      if (stored === undefined || stored.alarmName !== alarmName) return undefined;
      const alarmAt = storedTime(stored.alarmAt);
      return {
        channel: stored.channel,
        ts: stored.ts,
        closed: stored.closedAt !== undefined,
        ...(alarmAt === undefined ? {} : { alarmAt }),
      };
    },
    async set(alarmName, target, thread, alarmAt) {
      const { parameters } = await ports.portsFor(target);
      const value = {
        alarmName,
        channel: thread.channel,
        ts: thread.ts,
        at: new Date(now()).toISOString(),
        ...(alarmAt === undefined ? {} : { alarmAt: new Date(alarmAt).toISOString() }),
      };
      await parameters.overwrite(nameOf(target), JSON.stringify(value));
    },
    async delete(alarmName, target) {
      const stored = await read(target);
      // Parameter Store cannot delete conditionally; reading first keeps a newer alarm's thread in the common case.
      if (stored !== undefined && stored.alarmName !== alarmName) return;
      const { parameters } = await ports.portsFor(target);
      await parameters.delete(nameOf(target));
    },
    async close(alarmName, target, okAt) {
      const stored = await read(target);
      if (stored === undefined || stored.alarmName !== alarmName) return undefined;
      if (okPredatesAlarm(okAt, storedTime(stored.alarmAt))) return NEWER_ALARM;
      if (stored.closedAt !== undefined) return undefined;
      try {
        const { parameters } = await ports.portsFor(target);
        const closed = { ...stored, closedAt: new Date(now()).toISOString() };
        await parameters.overwrite(nameOf(target), JSON.stringify(closed));
      } catch (error) {
        // The thread was read, so the `OK` still answers in it; a second `OK` would answer there again.
        logger.warn('alarm.thread-unsaved', { alarm: alarmName, target: target.name, error });
      }
      return { channel: stored.channel, ts: stored.ts };
    },
  };
}

/** A time the store wrote; anything unreadable (edited by hand) counts as unknown. */
function storedTime(value: string | undefined): number | undefined {
  const at = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}
