import type { KnownBlock } from '@slack/types';
import {
  type ProgressEvent,
  type RecoveryResult,
  STEP_TITLES,
  STEPS,
  type StepName,
  type Trigger,
} from '../../shared/index.js';
import { describeOwner, escapeText, formatElapsed, slackDate, truncate } from '../slack/format.js';

/**
 * The state of one recovery as its progress message shows it, built from the core's events. Pure: the renderer
 * decides when to send, this decides what the message says.
 */

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface StepView {
  status: StepStatus;
  /** Event time the current run of the step began. */
  startedAt?: number;
  /** Sum over the step's runs (wait-boot runs again after an escalation). */
  durationMs: number;
  detail?: string;
  /** The latest `step-progress` line of a running step. */
  note?: string;
}

export interface ProgressState {
  target: string;
  instanceId?: string;
  trigger?: Trigger;
  dryRun: boolean;
  startedAt?: number;
  lastEventAt?: number;
  steps: Record<StepName, StepView>;
  result?: RecoveryResult;
  /** Set when the run ended without a result. */
  aborted?: string;
}

export interface SlackMessage {
  text: string;
  blocks?: KnownBlock[];
}

export function initialState(target: string, dryRun: boolean): ProgressState {
  const steps = {} as Record<StepName, StepView>;
  for (const step of STEPS) steps[step] = { status: 'pending', durationMs: 0 };
  return { target, dryRun, steps };
}

export function applyEvent(state: ProgressState, event: ProgressEvent): void {
  state.lastEventAt = event.at;
  switch (event.type) {
    case 'recovery-started':
      state.startedAt = event.at;
      state.instanceId = event.instanceId;
      state.trigger = event.trigger;
      state.dryRun = event.dryRun;
      return;
    case 'step-started': {
      const step = state.steps[event.step];
      step.status = 'running';
      step.startedAt = event.at;
      delete step.note;
      return;
    }
    case 'step-progress':
      state.steps[event.step].note = event.message;
      return;
    case 'step-finished': {
      const step = state.steps[event.step];
      step.status = 'succeeded';
      step.durationMs += event.durationMs;
      delete step.note;
      if (event.detail !== undefined) step.detail = event.detail;
      return;
    }
    case 'step-skipped': {
      const step = state.steps[event.step];
      step.status = 'skipped';
      step.detail = event.reason;
      return;
    }
    case 'step-failed': {
      const step = state.steps[event.step];
      step.status = 'failed';
      step.durationMs += event.durationMs;
      step.detail = event.error.message;
      delete step.note;
      return;
    }
    case 'warning':
      // Not part of the checklist: the renderer posts each one in the thread.
      return;
    case 'recovery-finished':
      state.result = event.result;
      return;
  }
}

const ICON: Record<StepStatus, string> = {
  pending: '▫️',
  running: '⏳',
  succeeded: '✅',
  failed: '❌',
  skipped: '⏭️',
};

function stepLine(state: ProgressState, name: StepName): string {
  const step = state.steps[name];
  const title = STEP_TITLES[name];
  const finished = state.result !== undefined;
  if (step.status === 'pending') {
    // Once the run is over, a step that never started was either not needed or never reached.
    if (!finished) return `${ICON.pending} ${title}`;
    const why = name === 'escalate' && state.result?.outcome === 'recovered' ? 'not needed' : 'not run';
    return `${ICON.skipped} ${title} · _${why}_`;
  }
  if (step.status === 'running') {
    const elapsed = (state.lastEventAt ?? 0) - (step.startedAt ?? state.lastEventAt ?? 0);
    const note = step.note === undefined ? '' : ` · ${escapeText(truncate(step.note, 160))}`;
    return `${ICON.running} *${title}* · ${formatElapsed(elapsed)} so far${note}`;
  }
  const duration = step.status === 'skipped' ? '' : ` · ${formatElapsed(step.durationMs)}`;
  const detail = step.detail === undefined ? '' : ` · ${escapeText(truncate(step.detail, 200))}`;
  const name_ = step.status === 'skipped' ? title : `*${title}*`;
  return `${ICON[step.status]} ${name_}${duration}${detail}`;
}

export function describeTrigger(trigger: Trigger | undefined): string {
  if (trigger === undefined) return 'unknown';
  switch (trigger.kind) {
    case 'alarm':
      return `alarm *${escapeText(trigger.actor)}*`;
    case 'slack':
      return /^[UW][A-Z0-9]{2,}$/.test(trigger.actor) ? `<@${trigger.actor}>` : escapeText(trigger.actor);
    case 'github':
      return `GitHub (${escapeText(trigger.actor)})`;
    case 'cli':
      return escapeText(trigger.actor);
  }
}

export function verdict(result: RecoveryResult): string {
  const took = formatElapsed(result.durationMs);
  switch (result.outcome) {
    case 'recovered': {
      const parts = [`*Recovered* in ${took}`];
      if (result.bootIdAfter !== undefined) parts.push(`new boot \`${result.bootIdAfter.slice(0, 8)}\``);
      if (result.services !== undefined) parts.push(`${result.services.length} services running`);
      if (result.escalated) parts.push('after a stop/start');
      return `✅ ${parts.join(' · ')}`;
    }
    case 'rehearsed':
      return `🎭 *Drill passed* in ${took}: every call would have been allowed. Nothing was changed.`;
    case 'refused': {
      const holder =
        result.lockHolder === undefined
          ? ''
          : ` Started by ${describeOwner(result.lockHolder.owner)} at ${slackDate(Date.parse(result.lockHolder.acquiredAt))}.`;
      return `🚫 *Refused*: ${escapeText(result.error?.message ?? 'no reason given')}.${holder}`;
    }
    case 'failed': {
      const failed = result.steps.findLast((s) => s.status === 'failed');
      const where = failed === undefined ? '' : ` at *${STEP_TITLES[failed.step]}*`;
      return `❌ *Failed*${where} after ${took}: ${escapeText(result.error?.message ?? 'unknown error')}`;
    }
  }
}

export function renderProgress(state: ProgressState, header: string): SlackMessage {
  const lines = STEPS.map((step) => stepLine(state, step)).join('\n');
  const elapsed = (state.lastEventAt ?? 0) - (state.startedAt ?? state.lastEventAt ?? 0);
  const context = [
    `*${escapeText(state.target)}*${state.instanceId === undefined ? '' : ` \`${state.instanceId}\``}`,
    `by ${describeTrigger(state.trigger)}`,
    state.result === undefined
      ? `running for ${formatElapsed(elapsed)}`
      : `took ${formatElapsed(state.result.durationMs)}`,
  ];
  if (state.dryRun) context.push('dry run: nothing is changed');
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(header, 2_900) } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(lines, 2_900) } },
  ];
  let summary: string;
  if (state.result !== undefined) {
    const text = verdict(state.result);
    const fix = state.result.error?.fix;
    const withFix =
      fix === undefined || state.result.outcome === 'recovered'
        ? text
        : `${text}\n*What to do:* ${escapeText(fix)}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(withFix, 2_900) } });
    summary = text;
  } else if (state.aborted !== undefined) {
    summary = `❌ *Stopped*: ${escapeText(state.aborted)}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: summary } });
  } else {
    const running = STEPS.find((s) => state.steps[s].status === 'running');
    summary = running === undefined ? 'starting' : `${STEP_TITLES[running]}…`;
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: truncate(context.join(' · '), 2_900) }],
  });
  // The plain text is what notifications and screen readers get; the blocks are what people see.
  const title = header.split('\n')[0] ?? header;
  return { text: truncate(`${stripMrkdwn(title)}: ${stripMrkdwn(summary)}`, 3_000), blocks };
}

function stripMrkdwn(text: string): string {
  return text.replace(/[*_]/g, '');
}
