import { createHash } from 'node:crypto';
import { RecoveryError } from '../errors.js';
import type { Clock, ParameterStorePort, StoredParameter } from '../ports.js';
import type { LockInfo, TriggerKind } from '../recovery/events.js';

/**
 * One recovery per instance at a time, across the bot and the action: a Parameter Store parameter created with
 * `Overwrite=false` is an atomic create-if-absent, so exactly one contender can hold it.
 *
 * Parameter Store has no compare-and-swap, so taking over an expired lock goes through a second create-if-absent:
 * a marker named after that very lock (its version and a digest of its value; versions start again at 1 after a
 * delete, so a version alone would name every generation's marker alike). The contender that creates the marker
 * reads the lock once more and overwrites it only if it is still the expired one: a contender that saw the same
 * expired lock but reaches the marker after an earlier takeover has finished (and deleted its marker) finds the
 * new holder there and is refused. What remains is the instant between that read and the overwrite, in which the
 * expired holder would have to release and a third contender create the lock.
 */

/**
 * One lock per instance, whatever names it: the bot's target, or the action's instance inputs without a config
 * file. What must not happen twice at once is a restart of the instance.
 */
export const lockParameterName = (prefix: string, instanceId: string): string =>
  `${prefix}/${instanceId}/lock`;

export interface LockRequest {
  prefix: string;
  instanceId: string;
  owner: string;
  trigger: TriggerKind;
  ttlMs: number;
}

export type LockAttempt =
  | { acquired: true; lock: LockInfo; takenOverFrom?: LockInfo; release: () => Promise<void> }
  | {
      acquired: false;
      holder: LockInfo;
      /**
       * The holder's lock has expired, but another contender's takeover marker exists: that takeover is under
       * way, or its process died before finishing and the marker must be deleted by hand.
       */
      takeoverMarker?: string;
    };

export async function acquireLock(
  parameters: ParameterStorePort,
  clock: Clock,
  request: LockRequest,
): Promise<LockAttempt> {
  const name = lockParameterName(request.prefix, request.instanceId);
  const now = clock.now();
  const lock: LockInfo = {
    owner: request.owner,
    trigger: request.trigger,
    acquiredAt: new Date(now).toISOString(),
    expiresAt: new Date(now + request.ttlMs).toISOString(),
  };
  const value = JSON.stringify(lock);
  const release = () => releaseLock(parameters, clock, name, lock);
  /** A lock found gone: one more create-if-absent decides it, and a loss reports whoever holds it now. */
  const createOnce = async (shown: LockInfo): Promise<LockAttempt> =>
    (await parameters.create(name, value))
      ? { acquired: true, lock, release }
      : {
          acquired: false,
          holder: (await readLock(parameters, request.prefix, request.instanceId)) ?? shown,
        };

  if (await parameters.create(name, value)) return { acquired: true, lock, release };

  const current = await parameters.get(name);
  // Ours after all: the SDK retried a create whose first attempt landed but whose answer was lost.
  if (current?.value === value) return { acquired: true, lock, release };
  // Released between our create and our read. Losing that race twice means a third party holds it now, gone again
  // before we could read it: our own request stands in for the holder's shape rather than an invented one.
  if (current === undefined) return createOnce(lock);
  const holder = decodeLock(current.value);
  if (Date.parse(holder.expiresAt) > now) return { acquired: false, holder };

  const marker = takeoverMarkerName(name, current);
  // A marker holding our own value is ours: a create whose answer was lost, as for the lock above.
  if (!(await parameters.create(marker, value)) && (await parameters.get(marker))?.value !== value)
    return { acquired: false, holder, takeoverMarker: marker };
  try {
    const again = await parameters.get(name);
    // Released meanwhile by its late holder.
    if (again === undefined) return await createOnce(holder);
    if (again.version !== current.version || again.value !== current.value)
      return { acquired: false, holder: decodeLock(again.value) };
    await parameters.overwrite(name, value);
  } finally {
    await parameters.delete(marker);
  }
  return { acquired: true, lock, takenOverFrom: holder, release };
}

/** Names the takeover of one expired lock: its version and a digest of its value. */
export function takeoverMarkerName(lockName: string, stale: StoredParameter): string {
  const digest = createHash('sha256').update(stale.value).digest('hex').slice(0, 16);
  return `${lockName}-takeover-v${stale.version}-${digest}`;
}

export async function readLock(
  parameters: ParameterStorePort,
  prefix: string,
  instanceId: string,
): Promise<LockInfo | undefined> {
  const current = await parameters.get(lockParameterName(prefix, instanceId));
  return current === undefined ? undefined : decodeLock(current.value);
}

export function isLockExpired(lock: LockInfo, now: number): boolean {
  return Date.parse(lock.expiresAt) <= now;
}

async function releaseLock(
  parameters: ParameterStorePort,
  clock: Clock,
  name: string,
  lock: LockInfo,
): Promise<void> {
  // Nobody can take over a lock before it expires, so until then it is ours to delete without reading it first
  // (holders' clocks are NTP-synced: skew is far below any lock's lifetime).
  if (clock.now() < Date.parse(lock.expiresAt)) {
    await parameters.delete(name);
    return;
  }
  // Past expiry it may have been taken over: never delete someone else's lock.
  const current = await parameters.get(name);
  if (current === undefined) return;
  const holder = decodeLock(current.value);
  if (holder.owner === lock.owner && holder.acquiredAt === lock.acquiredAt) await parameters.delete(name);
}

function decodeLock(value: string): LockInfo {
  try {
    const parsed = JSON.parse(value) as Partial<LockInfo>;
    if (typeof parsed.owner === 'string' && typeof parsed.expiresAt === 'string') {
      return {
        owner: parsed.owner,
        trigger: parsed.trigger ?? 'cli',
        acquiredAt: parsed.acquiredAt ?? parsed.expiresAt,
        expiresAt: parsed.expiresAt,
      };
    }
  } catch {
    // fall through: an unreadable lock is treated as held by someone unknown until it is removed by hand
  }
  throw new RecoveryError(
    'lock-held',
    `the lock parameter holds an unreadable value: ${value.slice(0, 80)}`,
    {
      fix: 'Delete the lock parameter in Parameter Store if no recovery is running.',
    },
  );
}
