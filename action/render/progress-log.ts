import type { ProgressEvent, ProgressListener } from '../../shared/recovery/events.js';
import { STEP_TITLES } from '../../shared/recovery/events.js';
import type { ActionLog } from '../log.js';
import { seconds } from './markdown.js';

/**
 * Live progress in the Actions log: one collapsible group per step, its progress lines inside, and its outcome
 * as the group's last line so a collapsed log still reads as a list of steps. Warnings also become annotations.
 */
export function createProgressLog(log: ActionLog): ProgressListener {
  let open = false;
  const close = () => {
    if (open) log.endGroup();
    open = false;
  };
  let startedAt = 0;
  const clock = (at: number) => {
    const elapsed = Math.max(0, at - startedAt) / 1000;
    const minutes = Math.floor(elapsed / 60);
    return `${String(minutes).padStart(2, '0')}:${(elapsed - minutes * 60).toFixed(1).padStart(4, '0')}`;
  };

  return (event: ProgressEvent) => {
    switch (event.type) {
      case 'recovery-started':
        startedAt = event.at;
        log.info(
          `Recovering ${event.target} (${event.instanceId}), asked by ${event.trigger.kind} ${event.trigger.actor}${event.dryRun ? ' [dry run: EC2 DryRun=true, no SSM commands, no lock]' : ''}`,
        );
        return;
      case 'step-started':
        close();
        log.startGroup(`${event.title}`);
        open = true;
        return;
      case 'step-progress':
        log.info(`${clock(event.at)}  ${event.message}`);
        return;
      case 'step-finished':
        log.info(
          `${clock(event.at)}  ✔ ${STEP_TITLES[event.step]}${event.detail === undefined ? '' : `: ${event.detail}`} (${seconds(event.durationMs)})`,
        );
        close();
        return;
      case 'step-skipped':
        close();
        log.info(`${clock(event.at)}  ⏭ ${STEP_TITLES[event.step]}: ${event.reason}`);
        return;
      case 'step-failed':
        log.info(`${clock(event.at)}  ✖ ${STEP_TITLES[event.step]}: ${event.error.message}`);
        if (event.error.fix !== undefined) log.info(`           fix: ${event.error.fix}`);
        close();
        return;
      case 'warning':
        log.warning(event.message);
        return;
      case 'recovery-finished': {
        close();
        const { result } = event;
        log.info(
          `${result.target}: ${result.outcome} in ${seconds(result.durationMs)}${result.newBootSeen ? ' (new boot seen)' : ''}`,
        );
        return;
      }
    }
  };
}
