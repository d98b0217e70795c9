import type { CommandInvocation, RecoveryPorts } from '../ports.js';
import { TERMINAL_COMMAND_STATUSES } from '../ports.js';

/**
 * Runs a script through the command port and polls until it ends, the way any SSM client must (including the
 * InvocationDoesNotExist window). For the simulator's own tests and the benchmark; the core has its own waits.
 */
export async function runScript(
  ports: RecoveryPorts,
  instanceId: string,
  commands: string[],
  options: { deliveryTimeoutSeconds?: number; executionTimeoutSeconds?: number; pollMs?: number } = {},
): Promise<CommandInvocation & { sentAt: number; endedAt: number }> {
  const sentAt = ports.clock.now();
  const { commandId } = await ports.commands.sendCommand({
    instanceId,
    commands,
    deliveryTimeoutSeconds: options.deliveryTimeoutSeconds ?? 60,
    executionTimeoutSeconds: options.executionTimeoutSeconds ?? 300,
    comment: 'simulator test',
  });
  for (;;) {
    await ports.clock.sleep(options.pollMs ?? 500);
    const invocation = await ports.commands.getInvocation(commandId, instanceId);
    if (invocation !== undefined && TERMINAL_COMMAND_STATUSES.has(invocation.status)) {
      return { ...invocation, sentAt, endedAt: ports.clock.now() };
    }
  }
}
