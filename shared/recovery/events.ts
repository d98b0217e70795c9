import type { ErrorSummary } from '../errors.js';
import type { MetricDatapoint } from '../ports.js';

/** The steps of DESIGN.md's recovery sequence, in order. */
export const STEPS = [
  'preflight',
  'evidence',
  'restart',
  'wait-boot',
  'escalate',
  'compose-up',
  'verify',
  'done',
] as const;
export type StepName = (typeof STEPS)[number];

export const STEP_TITLES: Record<StepName, string> = {
  preflight: 'Preflight',
  evidence: 'Collect evidence',
  restart: 'Restart instance',
  'wait-boot': 'Wait for a new boot',
  escalate: 'Escalate to stop/start',
  'compose-up': 'Start the compose app',
  verify: 'Verify the app',
  done: 'Record the outcome',
};

export type TriggerKind = 'alarm' | 'slack' | 'github' | 'cli';

export interface Trigger {
  kind: TriggerKind;
  /** Who or what asked: a Slack user id, a GitHub actor, an alarm name. */
  actor: string;
  /** Free-form context for history and logs (alarm reason, workflow run URL). */
  detail?: string;
}

/** Alarm triggers act without a person, so only they are subject to cooldown and the loop guard. */
export const isAutomatic = (trigger: Trigger): boolean => trigger.kind === 'alarm';

export interface ServiceStatus {
  service: string;
  state: string;
  /** `healthy`, `unhealthy`, `starting`, or empty where the service defines no healthcheck. */
  health: string;
}

export interface Evidence {
  bootId?: string;
  uptimeSeconds?: number;
  topProcesses?: string;
  dockerStats?: string;
  memory?: string;
  oomKills?: string;
  cpuUtilization?: MetricDatapoint[];
  cpuCreditBalance?: MetricDatapoint[];
  /** True when the credit balance is near zero: the instance runs at its baseline and a reboot will not cure that. */
  creditsExhausted?: boolean;
  /** Why evidence is partial (SSM not answering is normal for a hung instance). */
  notes: string[];
}

export interface CommandOutput {
  commandId: string;
  exitCode: number | undefined;
  status: string;
  stdoutTail: string;
  stderrTail: string;
}

export type StepStatus = 'succeeded' | 'failed' | 'skipped';

export interface StepRecord {
  step: StepName;
  status: StepStatus;
  startedAt: string;
  durationMs: number;
  detail?: string;
}

export type RecoveryOutcome = 'recovered' | 'failed' | 'refused' | 'rehearsed';

export interface LockInfo {
  owner: string;
  trigger: TriggerKind;
  acquiredAt: string;
  expiresAt: string;
}

export interface RecoveryResult {
  target: string;
  instanceId: string;
  /** The request's own id, when its front end gave one (see RecoveryRequest.requestId). */
  requestId?: string;
  trigger: Trigger;
  dryRun: boolean;
  outcome: RecoveryOutcome;
  /** For `failed` and `refused`: what went wrong and what to do. */
  error?: ErrorSummary;
  /** For a refusal because another recovery runs: who holds the lock and since when. */
  lockHolder?: LockInfo;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  steps: StepRecord[];
  evidence?: Evidence;
  /** The instance answered from a boot id different from the one before the restart. */
  newBootSeen: boolean;
  bootIdBefore?: string;
  bootIdAfter?: string;
  escalated: boolean;
  /** Every SSM command id sent, in order; the compose one is also in `compose`. */
  commandIds: string[];
  compose?: CommandOutput;
  services?: ServiceStatus[];
  warnings: string[];
}

interface EventBase {
  /** Milliseconds since the epoch, from the injected clock. */
  at: number;
  target: string;
}

export type ProgressEvent =
  | (EventBase & { type: 'recovery-started'; instanceId: string; trigger: Trigger; dryRun: boolean })
  | (EventBase & { type: 'step-started'; step: StepName; title: string })
  | (EventBase & { type: 'step-progress'; step: StepName; message: string })
  | (EventBase & { type: 'step-finished'; step: StepName; durationMs: number; detail?: string })
  | (EventBase & { type: 'step-skipped'; step: StepName; reason: string })
  | (EventBase & { type: 'step-failed'; step: StepName; durationMs: number; error: ErrorSummary })
  | (EventBase & { type: 'warning'; message: string })
  | (EventBase & { type: 'recovery-finished'; result: RecoveryResult });

export type ProgressListener = (event: ProgressEvent) => void;
