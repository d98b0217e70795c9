import { formatDuration, type ProgressEvent, type RecoveryResult, STEP_TITLES } from '../../shared/index.js';

/**
 * Renders progress events as a person reads them in a terminal: one line per step with the elapsed time since
 * the recovery began, the step's outcome and duration, and notes indented beneath.
 */
export interface TerminalStyle {
  color: boolean;
}

const codes = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36 } as const;
type Tone = keyof typeof codes;

export function createTerminalRenderer(write: (line: string) => void, style: TerminalStyle) {
  const paint = (tone: Tone, text: string) => (style.color ? `\u001b[${codes[tone]}m${text}\u001b[0m` : text);
  let startedAt: number | undefined;
  const clock = (at: number) => {
    const seconds = (at - (startedAt ?? at)) / 1000;
    const m = Math.floor(seconds / 60);
    return paint('dim', `${String(m).padStart(2, '0')}:${(seconds - m * 60).toFixed(1).padStart(4, '0')}`);
  };
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

  return (event: ProgressEvent): void => {
    switch (event.type) {
      case 'recovery-started':
        startedAt = event.at;
        write(
          `${paint('bold', `Recovering ${event.target}`)} (${event.instanceId}), asked by ${event.trigger.kind} ${event.trigger.actor}${event.dryRun ? paint('yellow', ' [dry run]') : ''}`,
        );
        return;
      case 'step-started':
        if (event.step !== 'done') write(`${clock(event.at)}  ${paint('cyan', '▶')} ${event.title}`);
        return;
      case 'step-progress':
        write(`${clock(event.at)}      ${paint('dim', event.message)}`);
        return;
      case 'step-finished':
        if (event.step !== 'done') {
          write(
            `${clock(event.at)}  ${paint('green', '✔')} ${STEP_TITLES[event.step]}${event.detail === undefined ? '' : `: ${event.detail}`} ${paint('dim', `(${seconds(event.durationMs)})`)}`,
          );
        }
        return;
      case 'step-skipped':
        write(`${clock(event.at)}  ${paint('dim', `⏭ ${STEP_TITLES[event.step]}: ${event.reason}`)}`);
        return;
      case 'step-failed':
        write(`${clock(event.at)}  ${paint('red', `✖ ${STEP_TITLES[event.step]}: ${event.error.message}`)}`);
        if (event.error.fix !== undefined) write(`           ${paint('yellow', `fix: ${event.error.fix}`)}`);
        return;
      case 'warning':
        write(`${clock(event.at)}  ${paint('yellow', `⚠ ${event.message}`)}`);
        return;
      case 'recovery-finished':
        for (const line of verdictLines(event.result)) write(paint(verdictTone(event.result), line));
        return;
    }
  };
}

function verdictTone(result: RecoveryResult): Tone {
  if (result.outcome === 'recovered' || result.outcome === 'rehearsed') return 'green';
  return result.outcome === 'refused' ? 'yellow' : 'red';
}

export function verdictLines(result: RecoveryResult): string[] {
  const took = formatDuration(result.durationMs / 1000);
  switch (result.outcome) {
    case 'recovered': {
      const services = result.services?.length ?? 0;
      const boot = result.bootIdAfter === undefined ? '' : `, new boot ${result.bootIdAfter.slice(0, 8)}`;
      return [
        `Recovered in ${took}${boot}, ${services} services up${result.escalated ? ' (after a stop/start)' : ''}.`,
      ];
    }
    case 'rehearsed':
      return [`Drill passed in ${took}: every call a real recovery makes would be allowed.`];
    case 'refused':
      return [
        `Refused: ${result.error?.message ?? 'no reason given'}`,
        ...(result.error?.fix ? [`  ${result.error.fix}`] : []),
      ];
    case 'failed':
      return [
        `Recovery failed after ${took}: ${result.error?.message ?? 'no reason given'}`,
        ...(result.error?.fix ? [`  ${result.error.fix}`] : []),
      ];
  }
}
