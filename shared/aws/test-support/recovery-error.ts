import { isRecoveryError, type RecoveryError } from '../../errors.js';

/**
 * The `RecoveryError` a promise rejects with; fails the test when it resolves or rejects with anything else.
 */
export async function recoveryErrorOf(promise: Promise<unknown>): Promise<RecoveryError> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: value }),
    (reason: unknown) => ({ rejected: reason }),
  );
  if (!('rejected' in outcome))
    throw new Error(`expected a rejection, got ${JSON.stringify(outcome.resolved)}`);
  if (!isRecoveryError(outcome.rejected)) {
    throw new Error(`expected a RecoveryError, got ${String(outcome.rejected)}`);
  }
  return outcome.rejected;
}
