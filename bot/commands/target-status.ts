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

export async function gatherStatus(service: RecoveryService, target: Target): Promise<TargetStatus> {
  const running = service.running(target.name);
  let ports: Awaited<ReturnType<RecoveryService['ports']['portsFor']>>;
  try {
    ports = await service.ports.portsFor(target);
  } catch (error) {
    return { target, instanceError: summarizeError(error).message, now: Date.now() };
  }
  const prefix = service.config.parameterPrefix;
  const [instance, lock, history] = await Promise.allSettled([
    withTimeout(ports.ec2.describeInstance(target.instanceId), 'EC2'),
    withTimeout(readLock(ports.parameters, prefix, target.name), 'Parameter Store'),
    withTimeout(readHistory(ports.parameters, prefix, target.name), 'Parameter Store'),
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
  if (running !== undefined) status.running = { owner: running.owner, startedAt: running.startedAt };
  return status;
}
