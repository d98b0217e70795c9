import { describe, expect, it } from 'vitest';
import { parseConfig, resolveTarget } from '../config/load.js';
import type { Target } from '../config/schema.js';
import { RecoveryError } from '../errors.js';
import {
  createSimulatedCloud,
  SCENARIO_NAMES,
  type ScenarioName,
  type SimulatedCloud,
} from '../sim/index.js';
import { appendHistory, readHistory } from '../state/history.js';
import { lockParameterName, readLock, takeoverMarkerName } from '../state/lock.js';
import type { ProgressEvent, RecoveryResult, Trigger } from './events.js';
import { runRecovery, worstCaseDurationSeconds } from './sequence.js';

const PREFIX = '/domtory-recovery';
/** Locks and histories are kept per instance. */
const INSTANCE = 'i-0123456789abcdef0';

function target(overrides = ''): Target {
  return resolveTarget(
    parseConfig(`
region: ap-northeast-2
targets:
  domtory:
    instanceId: i-0123456789abcdef0
    compose: { directory: /home/ubuntu, user: ubuntu }
    healthCheck: { url: "http://domtory.internal/health" }
    policy: auto
${overrides}`),
    'domtory',
  );
}

const ALARM: Trigger = { kind: 'alarm', actor: 'domtory-cpu-high' };
const SLACK: Trigger = { kind: 'slack', actor: 'U0123ABCD' };

async function recover(
  scenario: ScenarioName,
  options: { trigger?: Trigger; dryRun?: boolean; cloud?: SimulatedCloud; target?: Target } = {},
) {
  const cloud = options.cloud ?? createSimulatedCloud({ scenario });
  const events: ProgressEvent[] = [];
  const result = await runRecovery(
    {
      target: options.target ?? target(),
      trigger: options.trigger ?? ALARM,
      dryRun: options.dryRun ?? false,
      owner: 'test:runner',
      parameterPrefix: PREFIX,
    },
    cloud.ports,
    (event) => events.push(event),
  );
  return { cloud, events, result };
}

/** The same simulated cloud, with some of its SSM calls replaced: a slow, failing or hanging SSM. */
function withCommands(
  cloud: SimulatedCloud,
  commands: Partial<SimulatedCloud['ports']['commands']>,
): SimulatedCloud {
  return { ...cloud, ports: { ...cloud.ports, commands: { ...cloud.ports.commands, ...commands } } };
}

/** Step events as `started:step`, `finished:step`, ... : the sequence a front end renders. */
const stepTrail = (events: ProgressEvent[]) =>
  events.flatMap((e) =>
    e.type === 'step-started' ||
    e.type === 'step-finished' ||
    e.type === 'step-failed' ||
    e.type === 'step-skipped'
      ? [`${e.type.slice(5)}:${e.step}`]
      : [],
  );

const HAPPY_TRAIL = [
  'started:preflight',
  'finished:preflight',
  'started:evidence',
  'finished:evidence',
  'started:restart',
  'finished:restart',
  'started:wait-boot',
  'finished:wait-boot',
  'started:compose-up',
  'finished:compose-up',
  'started:verify',
  'finished:verify',
  'started:done',
  'finished:done',
];

/** The simulator's ground truth: the app runs on a boot newer than the incident's, started there by compose. */
function appUpOnNewBoot(cloud: SimulatedCloud): boolean {
  const facts = cloud.facts();
  return (
    facts.appUp &&
    facts.composeRanOnBootId === facts.currentBootId &&
    facts.currentBootId !== facts.bootIds[0]
  );
}

function expectConsistentEvents(events: ProgressEvent[], result: RecoveryResult) {
  expect(events[0]?.type).toBe('recovery-started');
  expect(events.at(-1)).toMatchObject({ type: 'recovery-finished', result: { outcome: result.outcome } });
  const times = events.map((e) => e.at);
  expect([...times].sort((a, b) => a - b)).toEqual(times);
}

describe('runRecovery on each simulated incident', () => {
  it('clean: reboots, proves a new boot by its id, starts compose there, verifies', async () => {
    const { cloud, events, result } = await recover('clean');
    expect(result).toMatchObject({ outcome: 'recovered', newBootSeen: true, escalated: false });
    expect(result.bootIdBefore).toBe(cloud.facts().bootIds[0]);
    expect(result.bootIdAfter).toBe(cloud.facts().currentBootId);
    expect(result.bootIdAfter).not.toBe(result.bootIdBefore);
    expect(stepTrail(events)).toEqual(HAPPY_TRAIL);
    expect(result.services?.map((s) => s.service).sort()).toEqual(['api', 'nginx', 'redis']);
    expect(result.evidence?.topProcesses).toContain('node');
    expect(appUpOnNewBoot(cloud)).toBe(true);
    expect(cloud.facts().rebootRequestedAt).toHaveLength(1);
    expectConsistentEvents(events, result);
  });

  it('slow-shutdown: the old boot still answering is not taken for the new one', async () => {
    const { cloud, events, result } = await recover('slow-shutdown');
    expect(result.outcome).toBe('recovered');
    expect(appUpOnNewBoot(cloud)).toBe(true);
    // Every compose run happened on the new boot: none raced the shutdown on the old one.
    expect(cloud.facts().composeRuns.map((run) => run.bootId)).toEqual([cloud.facts().currentBootId]);
    expect(events.some((e) => e.type === 'step-progress' && /old boot still answers/.test(e.message))).toBe(
      true,
    );
  });

  it('hung: no evidence from the host, the hard reboot after 4 minutes is recognised by boot time', async () => {
    const { cloud, result } = await recover('hung');
    expect(result.outcome).toBe('recovered');
    expect(result.bootIdBefore).toBeUndefined();
    expect(result.evidence?.notes.join(' ')).toMatch(/SSM does not reach the instance/);
    expect(result.escalated).toBe(false);
    expect(result.durationMs).toBeGreaterThan(240_000);
    expect(appUpOnNewBoot(cloud)).toBe(true);
  });

  it('no-agent: escalates to stop/start after the reboot deadline, and says what that costs', async () => {
    const { cloud, events, result } = await recover('no-agent');
    expect(result).toMatchObject({ outcome: 'recovered', escalated: true });
    expect(result.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'preflight:succeeded',
      'evidence:succeeded',
      'restart:succeeded',
      'wait-boot:failed',
      'escalate:succeeded',
      'wait-boot:succeeded',
      'compose-up:succeeded',
      'verify:succeeded',
      'done:succeeded',
    ]);
    expect(result.steps[3]?.detail).toBe('no answer from a new boot within 420 s');
    expect(
      events.some((e) => e.type === 'step-progress' && /new hardware.*CPU credits reset/.test(e.message)),
    ).toBe(true);
    expect(cloud.facts()).toMatchObject({
      stopRequestedAt: [expect.any(Number)],
      startRequestedAt: [expect.any(Number)],
    });
    expect(appUpOnNewBoot(cloud)).toBe(true);
  });

  it('no-agent without escalation: fails with no-new-boot instead of pretending', async () => {
    const { cloud, result } = await recover('no-agent', { target: target('    escalate: false') });
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'no-new-boot' }, newBootSeen: false });
    expect(result.error?.fix).toMatch(/system log/);
    expect(cloud.facts().stopRequestedAt).toEqual([]);
  });

  it('stopped: starts the instance instead of rebooting it', async () => {
    const { cloud, result } = await recover('stopped');
    expect(result.outcome).toBe('recovered');
    expect(result.steps.find((s) => s.step === 'restart')?.detail).toMatch(/StartInstances/);
    expect(cloud.facts().rebootRequestedAt).toEqual([]);
    expect(appUpOnNewBoot(cloud)).toBe(true);
  });

  it('stopped: gives the boot after a start the start timeout, not the (shorter) reboot timeout', async () => {
    const cloud = createSimulatedCloud({ scenario: 'stopped' });
    // A slow first boot: its agent takes 100 s to answer, longer than the reboot timeout of 60 s.
    const agentFrom = cloud.ports.clock.now() + 100_000;
    const { sendCommand } = cloud.ports.commands;
    const slowAgent = withCommands(cloud, {
      sendCommand: (request) =>
        cloud.ports.clock.now() < agentFrom
          ? Promise.reject(new RecoveryError('ssm-unreachable', 'InvalidInstanceId: not connected'))
          : sendCommand(request),
    });
    const { result } = await recover('stopped', {
      cloud: slowAgent,
      target: target('    timeouts: { reboot: 60, start: 420 }'),
    });
    expect(result).toMatchObject({ outcome: 'recovered', escalated: false });
    expect(cloud.facts().stopRequestedAt).toEqual([]);
  });

  it('compose-fails: fails the compose step with the tail of its output and a fix', async () => {
    const { cloud, events, result } = await recover('compose-fails');
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'compose-failed' } });
    expect(result.error?.message).toMatch(/exited 1: .*port is already allocated/);
    expect(result.compose?.stderrTail).toMatch(/Bind for 0\.0\.0\.0:80 failed/);
    expect(stepTrail(events).slice(-4)).toEqual([
      'started:compose-up',
      'failed:compose-up',
      'started:done',
      'finished:done',
    ]);
    expect(appUpOnNewBoot(cloud)).toBe(false);
  });

  it('credits-exhausted: recovers, and warns that a reboot does not restore CPU credits', async () => {
    const { result } = await recover('credits-exhausted');
    expect(result.outcome).toBe('recovered');
    expect(result.evidence?.creditsExhausted).toBe(true);
    expect(result.warnings.join(' ')).toMatch(/CPU credits are exhausted.*will not restore/);
  });

  it.each(SCENARIO_NAMES)('%s: "recovered" only when the app really runs on a new boot', async (scenario) => {
    const { cloud, result } = await recover(scenario);
    expect(result.outcome === 'recovered').toBe(appUpOnNewBoot(cloud));
  });
});

describe('safety', () => {
  it('dry run: EC2 calls with DryRun only, no command on the instance, no lock, no history', async () => {
    const { cloud, events, result } = await recover('clean', { dryRun: true });
    expect(result.outcome).toBe('rehearsed');
    const facts = cloud.facts();
    expect(facts.rebootRequestedAt).toEqual([]);
    expect(facts.stopRequestedAt).toEqual([]);
    expect(facts.bootCount).toBe(1);
    expect(cloud.calls()).toMatchObject({
      SendCommand: 0,
      PutParameter: 0,
      DeleteParameter: 0,
      RebootInstances: 1,
    });
    expect(stepTrail(events)).toContain('skipped:wait-boot');
    expect(result.steps.find((s) => s.step === 'compose-up')?.detail).toMatch(/would run `docker compose/);
  });

  it('restarts without host evidence when SSM throttles the evidence command, since evidence is best effort', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const commands = cloud.ports.commands;
    let throttle = true;
    const flaky = withCommands(cloud, {
      getInvocation: (commandId, instanceId) => {
        if (!throttle) return commands.getInvocation(commandId, instanceId);
        throttle = false;
        return Promise.reject(new RecoveryError('throttled', 'AWS throttled ssm:GetCommandInvocation'));
      },
    });
    const { result } = await recover('clean', { cloud: flaky, trigger: SLACK });
    expect(result.outcome).toBe('recovered');
    expect(result.evidence?.notes.join(' ')).toMatch(/no evidence from the host: AWS throttled/);
    expect(cloud.facts().rebootRequestedAt).toHaveLength(1);
  });

  it('stops before the restart when the evidence command is not allowed, since every later step needs it', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const denied = withCommands(cloud, {
      sendCommand: () =>
        Promise.reject(new RecoveryError('permission-denied', 'Not allowed to call ssm:SendCommand')),
    });
    const { result } = await recover('clean', { cloud: denied, trigger: SLACK });
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'permission-denied' } });
    expect(result.steps.find((s) => s.status === 'failed')?.step).toBe('evidence');
    expect(cloud.facts().rebootRequestedAt).toHaveLength(0);
  });

  it("never shows a health URL's query or password in its progress or result", async () => {
    const secret = 'url-token-0123456789';
    const url = `http://probe:${secret}-pw@domtory.internal/health?token=${secret}`;
    const { events, result } = await recover('clean', { target: { ...target(), healthCheck: { url } } });
    expect(result.outcome).toBe('recovered');
    expect(result.steps.find((s) => s.step === 'verify')?.detail).toContain(
      'http://domtory.internal/health?…',
    );
    expect(JSON.stringify({ events, result })).not.toContain(secret);
  });

  it('refuses an instance EC2 does not know, touching nothing', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const other = target().instanceId.replace('0123456789abcdef0', 'fedcba98765432100');
    const { result } = await recover('clean', { cloud, target: { ...target(), instanceId: other } });
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'instance-not-found' } });
    expect(result.error?.fix).toMatch(/instanceId and region/);
    expect(cloud.calls()).toMatchObject({ RebootInstances: 0, SendCommand: 0 });
    expect(await readLock(cloud.ports.parameters, PREFIX, INSTANCE)).toBeUndefined();
  });

  it('refuses a second recovery while one runs, naming the holder; the first one is unaffected', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const [first, second] = await Promise.all([
      recover('clean', { cloud }),
      recover('clean', { cloud, trigger: SLACK }).then((r) => r),
    ]);
    const outcomes = [first.result.outcome, second.result.outcome].sort();
    expect(outcomes).toEqual(['recovered', 'refused']);
    const refused = [first.result, second.result].find((r) => r.outcome === 'refused');
    expect(refused).toMatchObject({ error: { code: 'lock-held' }, lockHolder: { owner: 'test:runner' } });
    expect(refused?.error?.message).toMatch(/already running: started by test:runner at \d{4}-/);
    expect(cloud.facts().rebootRequestedAt).toHaveLength(1);
    expect(await readLock(cloud.ports.parameters, PREFIX, INSTANCE)).toBeUndefined();
  });

  it('refuses to take over an expired lock whose takeover never finished, and says which parameters to delete', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const lockName = lockParameterName(PREFIX, INSTANCE);
    const expired = { owner: 'bot:crashed', trigger: 'alarm', acquiredAt: '2020-01-01T00:00:00.000Z' };
    await cloud.ports.parameters.create(
      lockName,
      JSON.stringify({ ...expired, expiresAt: '2020-01-01T01:00:00.000Z' }),
    );
    const marker = takeoverMarkerName(
      lockName,
      (await cloud.ports.parameters.get(lockName)) ?? { value: '', version: 0 },
    );
    await cloud.ports.parameters.create(marker, '{}');
    const { result } = await recover('clean', { cloud, trigger: SLACK });
    expect(result).toMatchObject({
      outcome: 'refused',
      error: { code: 'lock-held' },
      lockHolder: { owner: 'bot:crashed' },
    });
    expect(result.error?.message).toMatch(
      /expired at 2020-01-01T01:00:00.000Z, and another recovery is taking it over/,
    );
    expect(result.error?.fix).toContain(`delete the parameters ${lockName} and ${marker}`);
    expect(cloud.calls()).toMatchObject({ RebootInstances: 0 });
  });

  it('locks the instance, not the name: a target of another name for the same instance is refused meanwhile', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    // The action without a config file names its target after the instance; the bot's config calls it domtory.
    const unnamed = { ...target(), name: INSTANCE };
    const [first, second] = await Promise.all([
      recover('clean', { cloud }),
      recover('clean', { cloud, trigger: SLACK, target: unnamed }),
    ]);
    expect([first.result.outcome, second.result.outcome].sort()).toEqual(['recovered', 'refused']);
    expect(cloud.facts().rebootRequestedAt).toHaveLength(1);
  });

  it('refuses a request whose id the history already holds, so a second delivery cannot restart again', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const once = (requestId: string) =>
      runRecovery(
        { target: target(), trigger: SLACK, dryRun: false, owner: 'x', parameterPrefix: PREFIX, requestId },
        cloud.ports,
        () => {},
      );
    expect((await once('run-1')).outcome).toBe('recovered');
    expect(await once('run-1')).toMatchObject({ outcome: 'refused', error: { code: 'duplicate-request' } });
    expect(cloud.facts().rebootRequestedAt).toHaveLength(1);
    expect((await once('run-2')).outcome).toBe('recovered');
    expect((await readHistory(cloud.ports.parameters, PREFIX, INSTANCE)).map((e) => e.requestId)).toEqual([
      'run-2',
      'run-1',
    ]);
    // Kept short: what it keeps of a longer id still recognises it.
    const uuid = '9b2f6c1e-3d4a-4b5c-8d7e-0f1a2b3c4d5e';
    expect((await once(uuid)).outcome).toBe('recovered');
    expect((await once(uuid)).outcome).toBe('refused');
  });

  it('applies the cooldown to alarms but lets a person restart', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const first = await recover('clean', { cloud });
    expect(first.result.outcome).toBe('recovered');
    const again = await recover('clean', { cloud });
    expect(again.result).toMatchObject({ outcome: 'refused', error: { code: 'cooldown' } });
    expect(cloud.facts().rebootRequestedAt).toHaveLength(1);
    const manual = await recover('clean', { cloud, trigger: SLACK });
    expect(manual.result.outcome).toBe('recovered');
  });

  it('stops acting alone past the loop guard, and asks a person', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const now = cloud.clock.now();
    for (const hoursAgo of [1, 2, 3]) {
      await appendHistory(cloud.ports.parameters, PREFIX, INSTANCE, {
        startedAt: new Date(now - hoursAgo * 3_600_000).toISOString(),
        durationMs: 90_000,
        trigger: 'alarm',
        actor: 'domtory-cpu-high',
        outcome: 'recovered',
        escalated: false,
        newBootSeen: true,
      });
    }
    const { result } = await recover('clean', { cloud });
    expect(result).toMatchObject({ outcome: 'refused', error: { code: 'loop-guard' } });
    expect(result.error?.fix).toMatch(/person/);
    expect(cloud.calls().RebootInstances).toBe(0);
    // A refusal changes nothing, so it is not recorded as a recovery either.
    expect(await readHistory(cloud.ports.parameters, PREFIX, INSTANCE)).toHaveLength(3);
  });

  it('records the outcome in the history and releases the lock', async () => {
    const { cloud, result } = await recover('compose-fails');
    const history = await readHistory(cloud.ports.parameters, PREFIX, INSTANCE);
    expect(history[0]).toMatchObject({
      outcome: 'failed',
      error: 'compose-failed',
      trigger: 'alarm',
      startedAt: result.startedAt,
    });
    expect(await readLock(cloud.ports.parameters, PREFIX, INSTANCE)).toBeUndefined();
  });

  it('a listener that throws (Slack down) neither stops nor changes the recovery', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const result = await runRecovery(
      { target: target(), trigger: ALARM, dryRun: false, owner: 'x', parameterPrefix: PREFIX },
      cloud.ports,
      () => {
        throw new Error('slack is down');
      },
    );
    expect(result.outcome).toBe('recovered');
  });

  it('an abort signal ends the recovery with a clear reason', async () => {
    const cloud = createSimulatedCloud({ scenario: 'hung' });
    const controller = new AbortController();
    let abortedAt = 0;
    const result = await runRecovery(
      {
        target: target(),
        trigger: ALARM,
        dryRun: false,
        owner: 'x',
        parameterPrefix: PREFIX,
        signal: controller.signal,
      },
      cloud.ports,
      (event) => {
        // A second into the boot wait, whose first pause lasts 15 s.
        if (event.type === 'step-started' && event.step === 'wait-boot') {
          void cloud.ports.clock.sleep(1_000).then(() => {
            abortedAt = cloud.ports.clock.now();
            controller.abort();
          });
        }
      },
    );
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'aborted' } });
    // The pause ends at the abort instead of being sat out; what follows is the lock and history writes.
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.parse(result.finishedAt) - abortedAt).toBeLessThan(5_000);
    expect(await readLock(cloud.ports.parameters, PREFIX, INSTANCE)).toBeUndefined();
  });

  it('a stopped run cancels the boot probe it left queued, so the probe cannot start compose on a later boot', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const controller = new AbortController();
    const request = { target: target(), trigger: ALARM, dryRun: false, owner: 'x', parameterPrefix: PREFIX };
    const result = await runRecovery({ ...request, signal: controller.signal }, cloud.ports, (event) => {
      if (event.type === 'step-progress' && /answer from a new boot/.test(event.message)) controller.abort();
    });
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'aborted' } });
    expect(cloud.calls().CancelCommand).toBeGreaterThanOrEqual(1);
    // Long after the new boot's agent came up: nothing the run sent has started compose there.
    await cloud.ports.clock.sleep(300_000);
    expect(cloud.facts().bootCount).toBeGreaterThan(1);
    expect(cloud.facts().composeStartedAt).toBeUndefined();
  });

  it('a stopped run does not wait for an AWS call that hangs: it releases the lock at once', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const hanging = withCommands(cloud, { getInvocation: () => new Promise(() => {}) });
    const controller = new AbortController();
    let abortedAt = 0;
    const request = { target: target(), trigger: SLACK, dryRun: false, owner: 'x', parameterPrefix: PREFIX };
    const result = await runRecovery({ ...request, signal: controller.signal }, hanging.ports, (event) => {
      if (event.type === 'step-started' && event.step === 'evidence') {
        void cloud.ports.clock.sleep(3_000).then(() => {
          abortedAt = cloud.ports.clock.now();
          controller.abort(new Error('the workflow run was cancelled'));
        });
      }
    });
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'aborted' } });
    expect(result.error?.message).toMatch(/the workflow run was cancelled/);
    expect(Date.parse(result.finishedAt) - abortedAt).toBeLessThan(2_000);
    expect(await readLock(cloud.ports.parameters, PREFIX, INSTANCE)).toBeUndefined();
    expect(cloud.calls().RebootInstances).toBe(0);
  });

  it('a run stopped while its probe is being sent cancels the probe once SSM has taken it', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const controller = new AbortController();
    const { sendCommand } = cloud.ports.commands;
    const slowSend = withCommands(cloud, {
      sendCommand: async (request) => {
        if (request.commands[0]?.includes('boot-probe')) {
          // SSM takes 2 s to accept it; the run is stopped half a second in.
          void cloud.ports.clock.sleep(500).then(() => controller.abort());
          await cloud.ports.clock.sleep(2_000);
        }
        return sendCommand(request);
      },
    });
    const request = { target: target(), trigger: SLACK, dryRun: false, owner: 'x', parameterPrefix: PREFIX };
    const result = await runRecovery({ ...request, signal: controller.signal }, slowSend.ports, () => {});
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'aborted' } });
    await cloud.ports.clock.sleep(300_000);
    expect(cloud.calls().CancelCommand).toBeGreaterThanOrEqual(1);
    expect(cloud.facts().bootCount).toBeGreaterThan(1);
    expect(cloud.facts().composeStartedAt).toBeUndefined();
  });

  it('a stopped run leaves a compose up that is already on its way to finish, rather than cut it off', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const controller = new AbortController();
    const { getInvocation } = cloud.ports.commands;
    const sent: Array<{ commandId: string; kind: string }> = [];
    const cancelled: string[] = [];
    const { ports } = withCommands(cloud, {
      sendCommand: async (request) => {
        const answer = await cloud.ports.commands.sendCommand(request);
        sent.push({ commandId: answer.commandId, kind: request.commands[0] ?? '' });
        return answer;
      },
      // A host whose probe could not start compose itself: the run sends `compose up` on its own.
      getInvocation: async (commandId, instanceId) => {
        const invocation = await getInvocation(commandId, instanceId);
        return invocation === undefined
          ? undefined
          : { ...invocation, stdout: invocation.stdout.replace(/^compose=.*$/m, '') };
      },
      cancelCommand: async (commandId, instanceId) => {
        cancelled.push(commandId);
        return cloud.ports.commands.cancelCommand(commandId, instanceId);
      },
    });
    const request = { target: target(), trigger: SLACK, dryRun: false, owner: 'x', parameterPrefix: PREFIX };
    const result = await runRecovery({ ...request, signal: controller.signal }, ports, (event) => {
      if (event.type === 'step-started' && event.step === 'compose-up') {
        void cloud.ports.clock.sleep(2_000).then(() => controller.abort());
      }
    });
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'aborted' } });
    const composeUp = sent.find((command) => command.kind.endsWith('compose-up'));
    expect(composeUp).toBeDefined();
    expect(cancelled).not.toContain(composeUp?.commandId);
  });

  it('a stopped run releases its lock and records its outcome without waiting for slow cancels', async () => {
    const cloud = createSimulatedCloud({ scenario: 'clean' });
    const controller = new AbortController();
    const { cancelCommand } = cloud.ports.commands;
    const slowCancel = withCommands(cloud, {
      cancelCommand: async (commandId, instanceId) => {
        await cloud.ports.clock.sleep(30_000);
        return cancelCommand(commandId, instanceId);
      },
    });
    let abortedAt = 0;
    let lockGoneAt = 0;
    const request = { target: target(), trigger: ALARM, dryRun: false, owner: 'x', parameterPrefix: PREFIX };
    const result = await runRecovery({ ...request, signal: controller.signal }, slowCancel.ports, (event) => {
      if (event.type === 'step-progress' && /answer from a new boot/.test(event.message)) {
        abortedAt = cloud.ports.clock.now();
        controller.abort();
      }
      if (event.type === 'step-finished' && event.step === 'done') lockGoneAt = cloud.ports.clock.now();
    });
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'aborted' } });
    expect(lockGoneAt - abortedAt).toBeLessThan(1_000);
    expect(Date.parse(result.finishedAt) - abortedAt).toBeLessThan(3_000);
    expect(await readLock(cloud.ports.parameters, PREFIX, INSTANCE)).toBeUndefined();
    // Recorded, so the loop guard counts the automatic restart that was cut short.
    expect(await readHistory(cloud.ports.parameters, PREFIX, INSTANCE)).toEqual([
      expect.objectContaining({ trigger: 'alarm', outcome: 'failed' }),
    ]);
  });

  it('sizes the lock to the longest possible recovery', () => {
    const t = target();
    const { evidence, reboot, stop, forceStop, start, compose, verify } = t.timeouts;
    expect(worstCaseDurationSeconds(t)).toBeGreaterThanOrEqual(
      evidence + reboot + stop + forceStop + start + compose + verify,
    );
    expect(worstCaseDurationSeconds({ ...t, escalate: false })).toBeLessThan(
      worstCaseDurationSeconds(t) - stop,
    );
  });
});
