import type { GuardSettings } from '../config/schema.js';
import type { ErrorSummary } from '../errors.js';
import type { ParameterStorePort } from '../ports.js';
import type { RecoveryOutcome, RecoveryResult, TriggerKind } from '../recovery/events.js';

/**
 * A bounded history of outcomes per instance, kept in one Parameter Store parameter beside the lock. It feeds the
 * cooldown and the loop guard, and the `status`/`history` views of both front ends. Writes happen only while
 * the instance's lock is held, so a read-modify-write is safe.
 */

/** Per instance, like the lock: the guard counts the restarts of the instance, whichever front end made them. */
export const historyParameterName = (prefix: string, instanceId: string): string =>
  `${prefix}/${instanceId}/history`;

/** A standard-tier parameter holds at most 4 KB; the oldest entries are dropped to fit. */
const MAX_PARAMETER_BYTES = 4096;
const MAX_ENTRIES = 20;

export interface HistoryEntry {
  startedAt: string;
  durationMs: number;
  trigger: TriggerKind;
  actor: string;
  outcome: RecoveryOutcome;
  escalated: boolean;
  newBootSeen: boolean;
  error?: ErrorSummary['code'];
  /** A front end's id for a request it may deliver twice; a second delivery finds it here and is refused. */
  requestId?: string;
}

export function historyEntryOf(result: RecoveryResult): HistoryEntry {
  const entry: HistoryEntry = {
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    trigger: result.trigger.kind,
    actor: result.trigger.actor.slice(0, 64),
    outcome: result.outcome,
    escalated: result.escalated,
    newBootSeen: result.newBootSeen,
  };
  if (result.error !== undefined) entry.error = result.error.code;
  if (result.requestId !== undefined) entry.requestId = requestKey(result.requestId);
  return entry;
}

/**
 * What the history keeps of a request id: its first 16 characters, about 50 random bits of a UUID, which is
 * plenty to tell apart the last twenty requests and keeps 10 automatic recoveries within the 4 KB.
 */
export function requestKey(requestId: string): string {
  return requestId.slice(0, 16);
}

/** Newest first. A missing or unreadable parameter is an empty history: it must never block a recovery. */
export async function readHistory(
  parameters: ParameterStorePort,
  prefix: string,
  instanceId: string,
): Promise<HistoryEntry[]> {
  const stored = await parameters.get(historyParameterName(prefix, instanceId));
  if (stored === undefined) return [];
  try {
    const parsed = JSON.parse(stored.value) as unknown;
    return Array.isArray(parsed) ? (parsed as HistoryEntry[]) : [];
  } catch {
    return [];
  }
}

/** `known`: the history as read earlier under the same lock, which saves reading it again. */
export async function appendHistory(
  parameters: ParameterStorePort,
  prefix: string,
  instanceId: string,
  entry: HistoryEntry,
  known?: readonly HistoryEntry[],
): Promise<HistoryEntry[]> {
  const previous = known ?? (await readHistory(parameters, prefix, instanceId));
  const entries = [entry, ...previous].slice(0, MAX_ENTRIES);
  let value = JSON.stringify(entries);
  while (Buffer.byteLength(value) > MAX_PARAMETER_BYTES && entries.length > 1) {
    entries.pop();
    value = JSON.stringify(entries);
  }
  await parameters.overwrite(historyParameterName(prefix, instanceId), value);
  return entries;
}

export type GuardDecision =
  | { allowed: true }
  | { allowed: false; code: 'cooldown' | 'loop-guard'; message: string; fix: string; retryAfter: string };

/**
 * Automatic recoveries only: a cooldown after each one, and at most N within a window. Past either, the bot
 * stops acting alone and asks a person, because a box that needs rebooting every few minutes has a problem a
 * reboot will not solve. Refused and rehearsed runs changed nothing, so they do not count.
 */
export function checkGuard(
  history: readonly HistoryEntry[],
  now: number,
  guard: GuardSettings,
): GuardDecision {
  const automatic = history.filter(
    (entry) => entry.trigger === 'alarm' && (entry.outcome === 'recovered' || entry.outcome === 'failed'),
  );
  const finishedAt = (entry: HistoryEntry) => Date.parse(entry.startedAt) + entry.durationMs;

  const windowStart = now - guard.windowHours * 3_600_000;
  const inWindow = automatic.filter((entry) => finishedAt(entry) > windowStart);
  if (inWindow.length >= guard.maxAutomaticRecoveries) {
    const oldest = Math.min(...inWindow.map(finishedAt));
    return {
      allowed: false,
      code: 'loop-guard',
      message: `${inWindow.length} automatic recoveries in the last ${guard.windowHours} h (limit ${guard.maxAutomaticRecoveries})`,
      fix: 'A person should look at the instance: restart it by hand if needed, and find out why it keeps hanging.',
      retryAfter: new Date(oldest + guard.windowHours * 3_600_000).toISOString(),
    };
  }

  const last = automatic[0];
  const cooldownMs = guard.cooldownMinutes * 60_000;
  if (last !== undefined && now - finishedAt(last) < cooldownMs) {
    const until = finishedAt(last) + cooldownMs;
    return {
      allowed: false,
      code: 'cooldown',
      message: `the last automatic recovery finished ${Math.round((now - finishedAt(last)) / 60_000)} min ago (cooldown ${guard.cooldownMinutes} min)`,
      fix: 'Wait for the cooldown to pass, or restart by hand if the app is down.',
      retryAfter: new Date(until).toISOString(),
    };
  }
  return { allowed: true };
}
