import { describe, expect, it } from 'vitest';
import { isRecoveryError } from '../errors.js';
import {
  bootProbeScript,
  composePsScript,
  composeUpScript,
  evidenceScript,
  parseBootProbe,
  parseComposePs,
  parseEvidence,
} from '../recovery/remote-scripts.js';
import { createSimulatedCloud, type SimulatedCloud } from './cloud.js';
import { type ScenarioName, SIM_TIMINGS } from './scenarios.js';
import { runScript } from './test-support.js';

const COMPOSE = { command: 'docker compose', directory: '/home/ubuntu' } as const;
const PS_NOW = { ...COMPOSE, waitSeconds: 0 };

function sim(scenario: ScenarioName, seed = 1): SimulatedCloud {
  return createSimulatedCloud({ scenario, seed });
}

async function probe(cloud: SimulatedCloud, deliveryTimeoutSeconds = 60) {
  const result = await runScript(cloud.ports, cloud.instanceId, bootProbeScript(), {
    deliveryTimeoutSeconds,
  });
  return { ...result, boot: parseBootProbe(result.stdout) };
}

async function sendError(cloud: SimulatedCloud): Promise<unknown> {
  return cloud.ports.commands
    .sendCommand({
      instanceId: cloud.instanceId,
      commands: bootProbeScript(),
      deliveryTimeoutSeconds: 30,
      executionTimeoutSeconds: 30,
      comment: 'test',
    })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
}

/** Sleeps until `at` on the cloud's virtual clock. */
const until = (cloud: SimulatedCloud, at: number) => cloud.clock.sleep(at - cloud.clock.now());

async function reboot(cloud: SimulatedCloud): Promise<number> {
  await cloud.ports.ec2.rebootInstance(cloud.instanceId, { dryRun: false });
  const at = cloud.facts().rebootRequestedAt.at(-1);
  if (at === undefined) throw new Error('reboot not recorded');
  return at;
}

describe('EC2 semantics', () => {
  it('clean: the state stays running through a reboot and status checks stay ok (the seed trap)', async () => {
    const cloud = sim('clean');
    const { ec2 } = cloud.ports;
    const before = cloud.facts().currentBootId;
    const rebootAt = await reboot(cloud);
    expect(await ec2.instanceStatusOk(cloud.instanceId)).toBe(true);
    const states = new Set<string>();
    while (cloud.clock.now() < rebootAt + 60_000) {
      states.add((await ec2.describeInstance(cloud.instanceId))?.state ?? 'unknown');
      expect(await ec2.instanceStatusOk(cloud.instanceId)).toBe(true);
      await cloud.clock.sleep(1_000);
    }
    expect([...states]).toEqual(['running']);
    const facts = cloud.facts();
    expect(facts.bootCount).toBe(2);
    expect(facts.currentBootId).not.toBe(before);
    // Agent of the new boot: rebootOsDownMs + firmware + agent start after the call.
    expect(facts.agentReadyAt).toBe(rebootAt + 40_000);
  });

  it('dry runs change nothing and still count as calls', async () => {
    const cloud = sim('clean');
    const { ec2 } = cloud.ports;
    await ec2.rebootInstance(cloud.instanceId, { dryRun: true });
    await ec2.stopInstance(cloud.instanceId, { dryRun: true, force: true });
    await ec2.startInstance(cloud.instanceId, { dryRun: true });
    await cloud.clock.sleep(120_000);
    expect(cloud.facts()).toMatchObject({ bootCount: 1, instanceState: 'running', rebootRequestedAt: [] });
    expect(cloud.calls()).toMatchObject({
      RebootInstances: 1,
      StopInstances: 1,
      StartInstances: 1,
      total: 3,
    });
  });

  it('stopped: start goes pending then running; wrong-state calls answer like EC2', async () => {
    const cloud = sim('stopped');
    const { ec2 } = cloud.ports;
    const id = cloud.instanceId;
    expect((await ec2.describeInstance(id))?.state).toBe('stopped');
    const refused = await ec2.rebootInstance(id, { dryRun: false }).catch((e: unknown) => e);
    expect(isRecoveryError(refused, 'aws-error') && refused.message).toMatch(/IncorrectInstanceState/);
    await ec2.stopInstance(id, { dryRun: false, force: false }); // already stopped: a no-op
    expect(isRecoveryError(await sendError(cloud), 'ssm-unreachable')).toBe(true);

    await ec2.startInstance(id, { dryRun: false });
    const startAt = cloud.facts().startRequestedAt[0] ?? 0;
    expect((await ec2.describeInstance(id))?.state).toBe('pending');
    expect(await ec2.instanceStatusOk(id)).toBe(false);
    const stopping = await ec2.stopInstance(id, { dryRun: false, force: false }).catch((e: unknown) => e);
    expect(isRecoveryError(stopping, 'aws-error')).toBe(true);
    await until(cloud, startAt + SIM_TIMINGS.pendingMs + 1);
    // Running, but the new boot's agent is not up yet and SSM last heard of one 20 minutes ago.
    expect(isRecoveryError(await sendError(cloud), 'ssm-unreachable')).toBe(true);
    const running = await ec2.describeInstance(id);
    expect(running?.state).toBe('running');
    expect(running?.launchTime?.getTime()).toBe(startAt);
    await ec2.startInstance(id, { dryRun: false }); // already running: a no-op
    // Status checks initialize for two minutes after `running`.
    expect(await ec2.instanceStatusOk(id)).toBe(false);
    await until(cloud, startAt + SIM_TIMINGS.pendingMs + 35_000);

    const { boot } = await probe(cloud);
    expect(boot?.bootId).toBe(cloud.facts().currentBootId);
    expect(cloud.facts().bootIds).toHaveLength(2);
    expect(cloud.facts().agentReadyAt).toBe(startAt + SIM_TIMINGS.pendingMs + 35_000);
  });

  it('refuses an unknown instance the way EC2 does', async () => {
    const cloud = sim('clean');
    expect(await cloud.ports.ec2.describeInstance('i-0fffffffffffffff0')).toBeUndefined();
    const error = await cloud.ports.ec2
      .rebootInstance('i-0fffffffffffffff0', { dryRun: false })
      .catch((e: unknown) => e);
    expect(isRecoveryError(error, 'instance-not-found')).toBe(true);
  });

  it('hung: a normal stop hangs in stopping; a forced stop powers off in seconds', async () => {
    const cloud = sim('hung');
    const { ec2 } = cloud.ports;
    const id = cloud.instanceId;
    await ec2.stopInstance(id, { dryRun: false, force: false });
    await cloud.clock.sleep(120_000);
    expect((await ec2.describeInstance(id))?.state).toBe('stopping');
    await ec2.stopInstance(id, { dryRun: false, force: true });
    const forcedAt = cloud.clock.now();
    await cloud.clock.sleep(SIM_TIMINGS.forceStopMs + 500);
    expect((await ec2.describeInstance(id))?.state).toBe('stopped');
    expect(cloud.facts().stopRequestedAt).toHaveLength(2);
    expect(cloud.clock.now() - forcedAt).toBeLessThan(12_000);
  });
});

describe('SSM semantics', () => {
  it('an invocation is invisible right after SendCommand, then answers', async () => {
    const cloud = sim('clean');
    const { commands } = cloud.ports;
    const { commandId } = await commands.sendCommand({
      instanceId: cloud.instanceId,
      commands: bootProbeScript(),
      deliveryTimeoutSeconds: 30,
      executionTimeoutSeconds: 30,
      comment: 'test',
    });
    expect(await commands.getInvocation(commandId, cloud.instanceId)).toBeUndefined();
    await cloud.clock.sleep(SIM_TIMINGS.invocationVisibleAfterMs);
    const invocation = await commands.getInvocation(commandId, cloud.instanceId);
    expect(invocation?.status).toBe('Success');
    expect(invocation?.exitCode).toBe(0);
    expect(parseBootProbe(invocation?.stdout ?? '')?.bootId).toBe(cloud.facts().currentBootId);
  });

  it('slow-shutdown: answers from the OLD boot right after the reboot call and from a new one later', async () => {
    const cloud = sim('slow-shutdown');
    const oldBoot = cloud.facts().currentBootId;
    const rebootAt = await reboot(cloud);
    const first = await probe(cloud);
    expect(first.boot?.bootId).toBe(oldBoot);
    expect(first.boot?.uptimeSeconds).toBeGreaterThan(86_400);
    await until(cloud, rebootAt + 15_000);
    expect((await probe(cloud)).boot?.bootId).toBe(oldBoot);

    await until(cloud, rebootAt + 61_000);
    const later = await probe(cloud);
    expect(later.boot?.bootId).not.toBe(oldBoot);
    expect(later.boot?.bootId).toBe(cloud.facts().currentBootId);
    expect(later.boot?.uptimeSeconds ?? 1e9).toBeLessThan((cloud.clock.now() - rebootAt) / 1000);
    expect(cloud.facts().agentReadyAt).toBe(rebootAt + 25_000 + 35_000);
  });

  it('a command pending while the agent is down is delivered to the NEW boot', async () => {
    const cloud = sim('clean');
    const oldBoot = cloud.facts().currentBootId;
    const rebootAt = await reboot(cloud);
    await until(cloud, rebootAt + 3_000); // the old agent has stopped; SSM still shows it Online
    expect(await cloud.ports.commands.agentPingStatus(cloud.instanceId)).toBe('Online');
    const { commandId } = await cloud.ports.commands.sendCommand({
      instanceId: cloud.instanceId,
      commands: bootProbeScript(),
      deliveryTimeoutSeconds: 120,
      executionTimeoutSeconds: 30,
      comment: 'test',
    });
    await cloud.clock.sleep(10_000);
    expect((await cloud.ports.commands.getInvocation(commandId, cloud.instanceId))?.status).toBe('Pending');
    await until(cloud, rebootAt + 45_000);
    const done = await cloud.ports.commands.getInvocation(commandId, cloud.instanceId);
    expect(done?.status).toBe('Success');
    const boot = parseBootProbe(done?.stdout ?? '');
    expect(boot?.bootId).not.toBe(oldBoot);
    expect(boot?.bootId).toBe(cloud.facts().currentBootId);
    expect(cloud.facts().commands.find((c) => c.commandId === commandId)?.deliveredAt).toBe(
      rebootAt + 40_000 + SIM_TIMINGS.deliveryLatencyMs,
    );
  });

  it('a script running when the OS goes down stays InProgress, then Failed when the next agent reports', async () => {
    const cloud = sim('clean');
    const rebootAt = await reboot(cloud);
    const { commandId } = await cloud.ports.commands.sendCommand({
      instanceId: cloud.instanceId,
      commands: evidenceScript(),
      deliveryTimeoutSeconds: 60,
      executionTimeoutSeconds: 60,
      comment: 'test',
    });
    await until(cloud, rebootAt + 20_000);
    expect((await cloud.ports.commands.getInvocation(commandId, cloud.instanceId))?.status).toBe(
      'InProgress',
    );
    await until(cloud, rebootAt + 41_000);
    const ended = await cloud.ports.commands.getInvocation(commandId, cloud.instanceId);
    expect(ended?.status).toBe('Failed');
    expect(ended?.exitCode).toBeUndefined();
    expect(ended?.stderr).toMatch(/interrupted/);
  });

  it('hung: SendCommand is refused until the hard reboot brings a new agent', async () => {
    const cloud = sim('hung');
    expect(await cloud.ports.commands.agentPingStatus(cloud.instanceId)).toBe('ConnectionLost');
    expect(isRecoveryError(await sendError(cloud), 'ssm-unreachable')).toBe(true);
    const rebootAt = await reboot(cloud);
    await until(cloud, rebootAt + 200_000);
    expect(isRecoveryError(await sendError(cloud), 'ssm-unreachable')).toBe(true);
    expect(await cloud.ports.ec2.instanceStatusOk(cloud.instanceId)).toBe(true);
    expect(cloud.facts().bootCount).toBe(1);
    await until(cloud, rebootAt + SIM_TIMINGS.hardRebootAfterMs + 35_000);
    const { boot } = await probe(cloud);
    expect(boot?.bootId).toBe(cloud.facts().currentBootId);
    expect(cloud.facts()).toMatchObject({ bootCount: 2, agentReadyAt: rebootAt + 275_000 });
  });

  it('no-agent: only a stop/start brings the agent back', async () => {
    const cloud = sim('no-agent');
    const { ec2, commands } = cloud.ports;
    const id = cloud.instanceId;
    const rebootAt = await reboot(cloud);
    // Accepted while SSM still believes the old agent is online, then never delivered.
    await until(cloud, rebootAt + 10_000);
    const pending = await probe(cloud, 30);
    expect(pending.status).toBe('TimedOut');
    await until(cloud, rebootAt + 300_000);
    expect(await commands.agentPingStatus(id)).toBe('ConnectionLost');
    expect(isRecoveryError(await sendError(cloud), 'ssm-unreachable')).toBe(true);
    expect(cloud.facts()).toMatchObject({ bootCount: 2, osUp: true, agentReadyAt: undefined });

    await ec2.stopInstance(id, { dryRun: false, force: false });
    const stopAt = cloud.clock.now();
    expect((await ec2.describeInstance(id))?.state).toBe('stopping');
    await until(cloud, stopAt + SIM_TIMINGS.stopMs);
    expect((await ec2.describeInstance(id))?.state).toBe('stopped');
    await ec2.startInstance(id, { dryRun: false });
    const startAt = cloud.facts().startRequestedAt[0] ?? 0;
    await until(cloud, startAt + SIM_TIMINGS.pendingMs + 35_000);
    const { boot } = await probe(cloud);
    expect(boot?.bootId).toBe(cloud.facts().bootIds[2]);
    expect(cloud.facts().agentReadyAt).toBe(startAt + 50_000);
  });

  it('cancels a pending command; refuses too short a delivery timeout', async () => {
    const cloud = sim('clean');
    const rebootAt = await reboot(cloud);
    await until(cloud, rebootAt + 3_000);
    const request = {
      instanceId: cloud.instanceId,
      commands: bootProbeScript(),
      deliveryTimeoutSeconds: 60,
      executionTimeoutSeconds: 30,
      comment: 'test',
    };
    const { commandId } = await cloud.ports.commands.sendCommand(request);
    await cloud.ports.commands.cancelCommand(commandId, cloud.instanceId);
    await until(cloud, rebootAt + 60_000);
    expect((await cloud.ports.commands.getInvocation(commandId, cloud.instanceId))?.status).toBe('Cancelled');
    const tooShort = await cloud.ports.commands
      .sendCommand({ ...request, deliveryTimeoutSeconds: 10 })
      .catch((e: unknown) => e);
    expect(isRecoveryError(tooShort, 'aws-error')).toBe(true);
  });

  it('answers unknown scripts like a shell: Failed, exit 127', async () => {
    const cloud = sim('clean');
    const result = await runScript(cloud.ports, cloud.instanceId, ['frobnicate --now']);
    expect(result).toMatchObject({ status: 'Failed', exitCode: 127 });
    expect(result.stderr).toMatch(/frobnicate: command not found/);
  });
});

describe('host outputs', () => {
  it('evidence parses, shows the pinned api and OOM kills before recovery', async () => {
    const cloud = sim('slow-shutdown');
    const result = await runScript(cloud.ports, cloud.instanceId, evidenceScript());
    const evidence = parseEvidence(result.stdout);
    expect(evidence.boot?.bootId).toBe(cloud.facts().currentBootId);
    expect(evidence.top?.split('\n')[1]).toMatch(/^\s+\d+ root\s+9\d\.\d\s+\d+\.\d\s+\S+ node$/);
    expect(evidence.dockerStats).toMatch(/^domtory-api-1 cpu=99\.\d\d% mem=[\d.]+MiB \/ [\d.]+MiB$/m);
    expect(evidence.memory).toMatch(/^Mem:\s+965\s+\d+/m);
    expect(evidence.oom).toMatch(/Out of memory: Killed process \d+ \(node\)/);
  });

  it('compose ps: exited after a reboot, then starting, then healthy; HTTP follows', async () => {
    const cloud = sim('clean');
    const { ports, instanceId } = cloud;
    const ps = async () =>
      parseComposePs((await runScript(ports, instanceId, composePsScript(PS_NOW))).stdout);
    const http = async () => ports.http.get('http://domtory.internal/health', 5_000);

    expect((await ps()).find((s) => s.service === 'api')).toEqual({
      service: 'api',
      state: 'running',
      health: 'unhealthy',
    });
    expect(await http()).toMatchObject({ error: expect.stringMatching(/timeout/) });
    const rebootAt = await reboot(cloud);
    await until(cloud, rebootAt + 45_000);
    expect((await ps()).map((s) => s.state)).toEqual(['exited', 'exited', 'exited']);
    expect(await http()).toMatchObject({ error: expect.stringMatching(/ECONNREFUSED/) });

    const up = await runScript(ports, instanceId, composeUpScript(COMPOSE), { pollMs: 1_000 });
    expect(up).toMatchObject({ status: 'Success', exitCode: 0 });
    expect(up.stderr).toMatch(/^ Container domtory-api-1 {2}Started$/m);
    const facts = cloud.facts();
    expect((facts.composeFinishedAt ?? 0) - (facts.composeStartedAt ?? 0)).toBe(SIM_TIMINGS.composeUpMs);
    expect(facts.composeRanOnBootId).toBe(facts.currentBootId);
    expect(facts.appUp).toBe(false);
    expect(await ps()).toEqual([
      { service: 'redis', state: 'running', health: '' },
      { service: 'api', state: 'running', health: 'starting' },
      { service: 'nginx', state: 'running', health: '' },
    ]);
    expect(await http()).toMatchObject({ status: 502 });

    await until(cloud, (facts.appHealthyAt ?? 0) + 1);
    expect((await ps()).find((s) => s.service === 'api')?.health).toBe('healthy');
    expect(await http()).toMatchObject({ status: 200 });
    expect(cloud.facts()).toMatchObject({
      appUp: true,
      appHealthyAt: (facts.composeFinishedAt ?? 0) + 8_000,
    });
  });

  it('compose ps with a wait returns as soon as the app is healthy, or when the wait is over', async () => {
    const cloud = sim('clean');
    const { ports, instanceId } = cloud;
    const waitPs = (waitSeconds: number) =>
      runScript(ports, instanceId, composePsScript({ ...COMPOSE, waitSeconds }), { pollMs: 1_000 });
    // Pinned api: unhealthy the whole wait.
    const pinned = await waitPs(20);
    expect(pinned.endedAt - pinned.sentAt).toBeGreaterThanOrEqual(20_000);
    expect(parseComposePs(pinned.stdout).find((s) => s.service === 'api')?.health).toBe('unhealthy');

    const rebootAt = await reboot(cloud);
    await until(cloud, rebootAt + 45_000);
    await runScript(ports, instanceId, composeUpScript(COMPOSE), { pollMs: 1_000 });
    const waited = await waitPs(60);
    expect(parseComposePs(waited.stdout).every((s) => s.state === 'running' && s.health !== 'starting')).toBe(
      true,
    );
    expect(waited.endedAt).toBeGreaterThanOrEqual(cloud.facts().appHealthyAt ?? Number.POSITIVE_INFINITY);
    expect(waited.endedAt - (cloud.facts().appHealthyAt ?? 0)).toBeLessThan(4_000);
  });

  it('compose-fails: compose up exits 1 with the port conflict', async () => {
    const cloud = sim('compose-fails');
    const rebootAt = await reboot(cloud);
    await until(cloud, rebootAt + 45_000);
    const up = await runScript(cloud.ports, cloud.instanceId, composeUpScript(COMPOSE));
    expect(up).toMatchObject({ status: 'Failed', exitCode: 1 });
    expect(up.stderr).toContain(
      'Error response from daemon: driver failed programming external connectivity on endpoint domtory-nginx-1: Bind for 0.0.0.0:80 failed: port is already allocated',
    );
    const ps = parseComposePs(
      (await runScript(cloud.ports, cloud.instanceId, composePsScript(PS_NOW))).stdout,
    );
    expect(ps.find((s) => s.service === 'nginx')?.state).toBe('created');
    await cloud.clock.sleep(60_000);
    expect(cloud.facts()).toMatchObject({ appUp: false, appHealthyAt: undefined, composeExitCode: 1 });
  });
});

describe('CloudWatch', () => {
  const query = (cloud: SimulatedCloud, metric: 'CPUUtilization' | 'CPUCreditBalance', from: number) => ({
    instanceId: cloud.instanceId,
    metric,
    statistic: 'Average' as const,
    start: new Date(from),
    end: new Date(cloud.clock.now()),
    periodSeconds: 300,
  });

  it('CPU near 100 before a recovery, 5-20 after; credits healthy', async () => {
    const cloud = sim('hung');
    const before = await cloud.ports.metrics.getDatapoints(
      query(cloud, 'CPUUtilization', cloud.clock.now() - 1_800_000),
    );
    expect(before.length).toBeGreaterThanOrEqual(5);
    for (const point of before) expect(point.value).toBeGreaterThan(95);
    const credits = await cloud.ports.metrics.getDatapoints(
      query(cloud, 'CPUCreditBalance', cloud.clock.now() - 1_800_000),
    );
    for (const point of credits) expect(point.value).toBeGreaterThanOrEqual(40);

    const rebootAt = await reboot(cloud);
    await until(cloud, rebootAt + 40 * 60_000);
    const after = await cloud.ports.metrics.getDatapoints(query(cloud, 'CPUUtilization', rebootAt + 300_000));
    expect(after.length).toBeGreaterThanOrEqual(5);
    for (const point of after) expect(point.value).toBeGreaterThanOrEqual(5);
    for (const point of after) expect(point.value).toBeLessThanOrEqual(20);
    const times = after.map((p) => p.timestamp.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('credits-exhausted: balance near 0, CPU at the baseline, and a ~3x slower host', async () => {
    const cloud = sim('credits-exhausted');
    const credits = await cloud.ports.metrics.getDatapoints(
      query(cloud, 'CPUCreditBalance', cloud.clock.now() - 3_600_000),
    );
    expect(credits.length).toBeGreaterThan(0);
    for (const point of credits) expect(point.value).toBeLessThan(1);
    const cpu = await cloud.ports.metrics.getDatapoints(
      query(cloud, 'CPUUtilization', cloud.clock.now() - 3_600_000),
    );
    for (const point of cpu) expect(point.value).toBeLessThan(11);

    const rebootAt = await reboot(cloud);
    expect(cloud.facts()).toMatchObject({ composeDurationMs: 45_000, healthDelayMs: 24_000 });
    await until(cloud, rebootAt + 5_000 + 3_000 + 3 * 32_000);
    const up = await runScript(cloud.ports, cloud.instanceId, composeUpScript(COMPOSE), { pollMs: 1_000 });
    expect(up.status).toBe('Success');
    const facts = cloud.facts();
    expect((facts.composeFinishedAt ?? 0) - (facts.composeStartedAt ?? 0)).toBe(45_000);
  });
});

describe('accounting and determinism', () => {
  it('counts each call under its AWS operation name, HTTP probes apart', async () => {
    const cloud = sim('clean');
    const { ports, instanceId } = cloud;
    await ports.ec2.describeInstance(instanceId);
    await ports.ec2.describeInstance(instanceId);
    await ports.ec2.instanceStatusOk(instanceId);
    await ports.commands.agentPingStatus(instanceId);
    await ports.parameters.create('/domtory-recovery/lock/web', 'me');
    await ports.parameters.overwrite('/domtory-recovery/lock/web', 'me again');
    await ports.parameters.get('/domtory-recovery/lock/web');
    await ports.parameters.delete('/domtory-recovery/lock/web');
    await ports.metrics.getDatapoints({
      instanceId,
      metric: 'CPUUtilization',
      statistic: 'Maximum',
      start: new Date(cloud.clock.now() - 600_000),
      end: new Date(cloud.clock.now()),
      periodSeconds: 60,
    });
    await ports.http.get('http://example.test/', 1_000);
    await runScript(ports, instanceId, bootProbeScript(), { pollMs: 1_000 });
    const calls = cloud.calls();
    expect(calls).toMatchObject({
      DescribeInstances: 2,
      DescribeInstanceStatus: 1,
      DescribeInstanceInformation: 1,
      PutParameter: 2,
      GetParameter: 1,
      DeleteParameter: 1,
      GetMetricStatistics: 1,
      SendCommand: 1,
      GetCommandInvocation: 1,
      RebootInstances: 0,
      httpProbes: 1,
      total: 11,
    });
  });

  it('charges every call a virtual latency of 60-120 ms', async () => {
    const cloud = sim('clean');
    for (let i = 0; i < 20; i++) {
      const before = cloud.clock.now();
      await cloud.ports.ec2.describeInstance(cloud.instanceId);
      const spent = cloud.clock.now() - before;
      expect(spent).toBeGreaterThanOrEqual(SIM_TIMINGS.apiLatencyMinMs);
      expect(spent).toBeLessThanOrEqual(SIM_TIMINGS.apiLatencyMaxMs);
    }
  });

  it('replays identically for a seed; boot ids look like the kernel’s', async () => {
    const play = async (seed: number) => {
      const cloud = sim('slow-shutdown', seed);
      const rebootAt = await reboot(cloud);
      await until(cloud, rebootAt + 70_000);
      const { boot } = await probe(cloud);
      return { ids: cloud.facts().bootIds, uptime: boot?.uptimeSeconds, now: cloud.clock.now() };
    };
    const a = await play(7);
    expect(await play(7)).toEqual(a);
    expect((await play(8)).ids).not.toEqual(a.ids);
    for (const id of a.ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
