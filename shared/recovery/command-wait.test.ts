import { describe, expect, it } from 'vitest';
import type { CommandInvocation, CommandStatus } from '../ports.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { waitForCommand } from './command-wait.js';

/** A command whose status follows `statusAt(now)`; records every look and cancellation with its instant. */
function commandAt(clock: VirtualClock, statusAt: (now: number) => CommandStatus | undefined) {
  const looks: number[] = [];
  const cancels: number[] = [];
  return {
    looks,
    cancels,
    commands: {
      async getInvocation(commandId: string): Promise<CommandInvocation | undefined> {
        looks.push(clock.now());
        const status = statusAt(clock.now());
        return status === undefined ? undefined : { commandId, status, stdout: 'out', stderr: '' };
      },
      async cancelCommand() {
        cancels.push(clock.now());
      },
    },
  };
}

const pauseOn =
  (clock: VirtualClock) =>
  (ms: number, deadline: number): Promise<void> =>
    clock.sleep(Math.min(ms, Math.max(0, deadline - clock.now())));

describe('waitForCommand', () => {
  it('returns the invocation once it ends, looking less often as it runs', async () => {
    const clock = new VirtualClock({ startAt: 0 });
    const command = commandAt(clock, (now) => (now < 5_000 ? 'InProgress' : 'Success'));
    const result = await waitForCommand(command.commands, clock, {
      commandId: 'c-1',
      instanceId: 'i-1',
      deadline: 60_000,
      cadence: { firstMs: 1_000, maxMs: 2_000 },
      pause: pauseOn(clock),
    });
    expect(result).toMatchObject({ finished: true, invocation: { status: 'Success', stdout: 'out' } });
    expect(command.looks).toEqual([1_000, 2_600, 4_600, 6_600]);
    expect(command.cancels).toEqual([]);
  });

  it('looks a last time at the deadline, then cancels a command that is still pending', async () => {
    const clock = new VirtualClock({ startAt: 0 });
    const command = commandAt(clock, (now) => (now < 3_000 ? undefined : 'Pending'));
    const result = await waitForCommand(command.commands, clock, {
      commandId: 'c-2',
      instanceId: 'i-1',
      deadline: 5_000,
      cadence: { firstMs: 2_000, maxMs: 2_000 },
      pause: pauseOn(clock),
    });
    expect(result).toEqual({ finished: false, lastStatus: 'Pending' });
    expect(command.looks).toEqual([2_000, 4_000, 5_000]);
    expect(command.cancels).toEqual([5_000]);
  });

  it('passes on a failed pause (a cancelled run) without cancelling the command', async () => {
    const clock = new VirtualClock({ startAt: 0 });
    const command = commandAt(clock, () => 'InProgress');
    const controller = new AbortController();
    controller.abort();
    const waiting = waitForCommand(command.commands, clock, {
      commandId: 'c-3',
      instanceId: 'i-1',
      deadline: 5_000,
      cadence: { firstMs: 1_000, maxMs: 2_000 },
      pause: (ms) => clock.sleep(ms, controller.signal),
    });
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(command.looks).toEqual([]);
  });
});
