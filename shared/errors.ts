/**
 * Every failure the core reports carries a stable code (for front ends and tests) and, where one exists,
 * the fix a person should apply. Front ends render `message` and `fix`; they never parse `message`.
 */
export type RecoveryErrorCode =
  | 'config-invalid'
  | 'unknown-target'
  | 'instance-not-found'
  | 'instance-terminated'
  | 'permission-denied'
  | 'ssm-unreachable'
  | 'throttled'
  | 'aws-error'
  | 'lock-held'
  | 'cooldown'
  | 'loop-guard'
  | 'timeout'
  | 'no-new-boot'
  | 'compose-failed'
  | 'verify-failed'
  | 'aborted'
  | 'duplicate-request';

export class RecoveryError extends Error {
  override readonly name = 'RecoveryError';
  readonly code: RecoveryErrorCode;
  readonly fix: string | undefined;

  constructor(code: RecoveryErrorCode, message: string, options: { fix?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fix = options.fix;
  }
}

export function isRecoveryError(error: unknown, code?: RecoveryErrorCode): error is RecoveryError {
  return error instanceof RecoveryError && (code === undefined || error.code === code);
}

/** Plain-data form of an error, for results and events that cross process boundaries (JSON logs, Slack). */
export interface ErrorSummary {
  code: RecoveryErrorCode;
  message: string;
  fix?: string;
}

export function summarizeError(error: unknown): ErrorSummary {
  if (error instanceof RecoveryError) {
    return error.fix === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, fix: error.fix };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'aws-error', message };
}
