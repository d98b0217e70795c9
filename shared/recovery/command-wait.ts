import { type Clock, type CommandInvocation, type CommandPort, TERMINAL_COMMAND_STATUSES } from '../ports.js';

export interface CommandWait {
  commandId: string;
  instanceId: string;
  /** Epoch ms: the last look happens at this instant at the latest, then the command is cancelled. */
  deadline: number;
  /** The first pause, and the longest one as pauses grow between looks. */
  cadence: { firstMs: number; maxMs: number };
  /** Sleeps between two looks, never past the deadline: the recovery's pacer, or a plain clock. */
  pause: (ms: number, deadline: number) => Promise<unknown>;
}

export type CommandWaitResult =
  | { finished: true; invocation: CommandInvocation }
  | { finished: false; lastStatus: string | undefined };

/**
 * Polls an SSM command until it ends or its deadline passes. A command still pending at the deadline is
 * cancelled: left queued, it would run on the instance's next boot, long after anyone waits for it (and the
 * evidence script would describe the new boot as the old one).
 */
export async function waitForCommand(
  commands: Pick<CommandPort, 'getInvocation' | 'cancelCommand'>,
  clock: Pick<Clock, 'now'>,
  wait: CommandWait,
): Promise<CommandWaitResult> {
  let interval = wait.cadence.firstMs;
  for (;;) {
    await wait.pause(interval, wait.deadline);
    const invocation = await commands.getInvocation(wait.commandId, wait.instanceId);
    if (invocation !== undefined && TERMINAL_COMMAND_STATUSES.has(invocation.status)) {
      return { finished: true, invocation };
    }
    if (clock.now() >= wait.deadline) {
      try {
        await commands.cancelCommand(wait.commandId, wait.instanceId);
      } catch {
        // Already finished, or never delivered: either way it will not run later.
      }
      return { finished: false, lastStatus: invocation?.status };
    }
    interval = Math.min(wait.cadence.maxMs, interval * 1.6);
  }
}
