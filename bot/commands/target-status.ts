import { isLockExpired, readHistory, readLock, summarizeError, type Target } from '../../shared/index.js';
import type { RecoveryService } from '../recovery/recovery-service.js';
import type { TargetStatus } from '../slack/messages.js';

/** Slow AWS answers must not keep a status reply from coming at all. */
const STATUS_TIMEOUT_MS = 8_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${STATUS_TIMEOUT_MS / 1000} s`)),
      STATUS_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Reads in flight, per service and target. */
const inFlight = new WeakMap<RecoveryService, Map<string, Promise<TargetStatus>>>();

/**
 * A target's status: the instance, the lock, the history and what this process runs. Requests that arrive while
 * a read of the same target is under way share it rather than start their own (several people asking at once,
 * a retried command): the answer is as fresh as theirs would have been to within one read, and EC2's and
 * Parameter Store's request quotas, which a recovery needs, are not spent on copies. What this process runs
 * costs no read and is taken for each answer as it leaves.
 */
export async function gatherStatus(service: RecoveryService, target: Target): Promise<TargetStatus> {
  let reads = inFlight.get(service);
  if (reads === undefined) {
    reads = new Map();
    inFlight.set(service, reads);
  }
  let read = reads.get(target.name);
  if (read === undefined) {
    const started = readStatus(service, target).finally(() => reads.delete(target.name));
    reads.set(target.name, started);
    read = started;
  }
  const status = { ...(await read) };
  const running = service.running(target.name);
  if (running !== undefined) status.running = { owner: running.owner, startedAt: running.startedAt };
  return status;
}

/** Everything but what this process runs. */
async function readStatus(service: RecoveryService, target: Target): Promise<TargetStatus> {
  let ports: Awaited<ReturnType<RecoveryService['ports']['portsFor']>>;
  try {
    ports = await service.ports.portsFor(target);
  } catch (error) {
    return { target, instanceError: summarizeError(error).message, now: Date.now() };
  }
  const prefix = service.config.parameterPrefix;
  const [instance, lock, history] = await Promise.allSettled([
    withTimeout(ports.ec2.describeInstance(target.instanceId), 'EC2'),
    withTimeout(readLock(ports.parameters, prefix, target.instanceId), 'Parameter Store'),
    withTimeout(readHistory(ports.parameters, prefix, target.instanceId), 'Parameter Store'),
  ]);
  const status: TargetStatus = { target, now: ports.clock.now() };
  if (instance.status === 'fulfilled') status.instance = instance.value;
  else status.instanceError = summarizeError(instance.reason).message;
  // An expired lock belongs to a run that died; the next recovery takes it over, so it is not "running".
  if (lock.status === 'fulfilled') {
    if (lock.value !== undefined && !isLockExpired(lock.value, status.now)) status.lock = lock.value;
  } else status.stateError = summarizeError(lock.reason).message;
  if (history.status === 'fulfilled') status.history = history.value;
  else status.stateError = summarizeError(history.reason).message;
  return status;
}
