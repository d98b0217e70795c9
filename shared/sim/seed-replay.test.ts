import { describe, expect, it } from 'vitest';
import { isRecoveryError } from '../errors.js';
import type { RecoveryPorts } from '../ports.js';
import { createSimulatedCloud } from './cloud.js';
import type { ScenarioName } from './scenarios.js';

/**
 * The original Lambda (seed/README.md), replayed through the ports: reboot, the `instance_running` and
 * `instance_status_ok` waiters (15 s polls), then a bare `docker-compose up -d`. The simulator must reproduce
 * its flaw, or it would not be a fair test bed for the recovery that fixes it.
 */
async function seedLambda(ports: RecoveryPorts, instanceId: string): Promise<string> {
  await ports.ec2.rebootInstance(instanceId, { dryRun: false });
  while ((await ports.ec2.describeInstance(instanceId))?.state !== 'running') await ports.clock.sleep(15_000);
  while (!(await ports.ec2.instanceStatusOk(instanceId))) await ports.clock.sleep(15_000);
  const { commandId } = await ports.commands.sendCommand({
    instanceId,
    commands: ['cd /home/ubuntu', 'docker-compose up -d'],
    deliveryTimeoutSeconds: 3600,
    executionTimeoutSeconds: 3600,
    comment: 'seed lambda',
  });
  return commandId;
}

async function replay(scenario: ScenarioName) {
  const cloud = createSimulatedCloud({ scenario });
  const outcome = await seedLambda(cloud.ports, cloud.instanceId).then(
    () => 'returned' as const,
    (error: unknown) => error,
  );
  const lambdaEndedAt = cloud.clock.now();
  await cloud.clock.sleep(10 * 60_000);
  return { outcome, lambdaEndedAt, facts: cloud.facts(), start: cloud.clock.startAt };
}

describe('the seed Lambda on the simulator', () => {
  it('slow-shutdown: its compose up succeeds on the OLD boot, and the app stays down', async () => {
    const { outcome, lambdaEndedAt, facts, start } = await replay('slow-shutdown');
    expect(outcome).toBe('returned');
    // The waiters return at once: the state never left `running` and status checks lag.
    expect(lambdaEndedAt - start).toBeLessThan(1_000);
    expect(facts.composeRuns).toHaveLength(1);
    expect(facts.composeRuns[0]).toMatchObject({ status: 'Success', exitCode: 0, bootId: facts.bootIds[0] });
    expect(facts.bootCount).toBe(2);
    expect(facts.composeRanOnBootId).not.toBe(facts.currentBootId);
    expect(facts.appUp).toBe(false);
  });

  it('clean: its compose up races the shutdown and is cut off; the app stays down', async () => {
    const { outcome, facts } = await replay('clean');
    expect(outcome).toBe('returned');
    expect(facts.composeRuns[0]).toMatchObject({ status: 'Failed', bootId: facts.bootIds[0] });
    expect(facts).toMatchObject({ bootCount: 2, appUp: false });
  });

  it('hung: SSM refuses its command outright', async () => {
    const { outcome, facts } = await replay('hung');
    expect(isRecoveryError(outcome, 'ssm-unreachable')).toBe(true);
    // EC2 still forces the reboot, but nobody starts the app on the new boot.
    expect(facts).toMatchObject({ bootCount: 2, appUp: false, composeRuns: [] });
  });
});
