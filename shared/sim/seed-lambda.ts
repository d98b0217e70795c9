import type { RecoveryPorts } from '../ports.js';

/**
 * The original Lambda (the "seed" setup this project replaces), replayed through the ports: reboot, boto3's `instance_running` and
 * `instance_status_ok` waiters (a call at once, then every 15 s), then a bare `docker-compose up -d` whose result
 * it never reads. Kept as the baseline the benchmark and the simulator's tests measure the recovery against.
 * Resolves the command id, or rejects as the Lambda would have failed.
 */
export const SEED_WAITER_DELAY_MS = 15_000;

export async function runSeedLambda(ports: RecoveryPorts, instanceId: string): Promise<string> {
  await ports.ec2.rebootInstance(instanceId, { dryRun: false });
  while ((await ports.ec2.describeInstance(instanceId))?.state !== 'running')
    await ports.clock.sleep(SEED_WAITER_DELAY_MS);
  while (!(await ports.ec2.instanceStatusOk(instanceId))) await ports.clock.sleep(SEED_WAITER_DELAY_MS);
  const { commandId } = await ports.commands.sendCommand({
    instanceId,
    commands: ['cd /home/ubuntu', 'docker-compose up -d'],
    deliveryTimeoutSeconds: 3600,
    executionTimeoutSeconds: 3600,
    comment: 'seed lambda',
  });
  return commandId;
}
