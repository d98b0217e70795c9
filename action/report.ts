import type { AwsAccess } from './aws.js';
import type { ActionLog } from './log.js';

/**
 * What every command hands back to `main.ts`, which writes it in one place: outputs, the job summary, and the
 * failure (in red) when the job must fail. Commands never touch the toolkit themselves.
 */
export interface CommandReport {
  /** `false` fails the job. */
  ok: boolean;
  /** Why the job fails: one line, then the fix. Required when `ok` is false. */
  failure?: string;
  /** Step outputs, already as strings (JSON for structured values). */
  outputs: Record<string, string>;
  /** Markdown for the job summary. */
  summary: string;
}

export interface CommandTools {
  log: ActionLog;
  aws: AwsAccess;
  /** Aborted by `timeout-minutes` or by the run being cancelled. */
  signal: AbortSignal;
}

/**
 * A message and, when there is one, its fix. Every failure and error line the action prints has this shape, so a
 * reader finds the fix after the same `Fix:` word whether the line is a job failure (fix on its own line) or a
 * table cell (fix on the same line).
 */
export function withFix(message: string, fix: string | undefined, separator: ' ' | '\n'): string {
  return fix === undefined ? message : `${message}${separator}Fix: ${fix}`;
}
