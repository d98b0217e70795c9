import { describe, expect, it } from 'vitest';
import { isRecoveryError } from '../errors.js';
import { createSimulatedCloud } from './cloud.js';
import type { ScenarioName } from './scenarios.js';
import { runSeedLambda } from './seed-lambda.js';

async function replay(scenario: ScenarioName) {
  const cloud = createSimulatedCloud({ scenario });
  const outcome = await runSeedLambda(cloud.ports, cloud.instanceId).then(
    () => 'returned' as const,
    (error: unknown) => error,
  );
  const lambdaEndedAt = cloud.clock.now();
  await cloud.clock.sleep(10 * 60_000);
  return { outcome, lambdaEndedAt, facts: cloud.facts(), start: cloud.clock.startAt };
}

// The simulator must reproduce the original Lambda's flaw, or it would not be a fair test bed for the fix.
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
