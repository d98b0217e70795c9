import { RecoveryError } from '../errors.js';
import type { InstanceState, RecoveryPorts } from '../ports.js';
import { appHealthyAt, probeApp } from './host.js';
import { InMemoryParameterStore } from './parameter-store.js';
import { createRandom, randomInt } from './random.js';
import { getScenario, type Scenario, type ScenarioName, SIM_TIMINGS } from './scenarios.js';
import { type CommandFacts, SsmModel } from './ssm-model.js';
import { VirtualClock } from './virtual-clock.js';
import { SimWorld, type TimelineEntry } from './world.js';

/**
 * An in-memory AWS behind the same ports as the real adapters: one EC2 instance with its SSM agent and docker
 * compose app, CloudWatch metrics, Parameter Store and the app's HTTP endpoint, all on a virtual clock.
 * The demo's default backend, the fast test bed of the recovery sequence, and the benchmark's ground truth.
 */

export const AWS_OPERATIONS = [
  'DescribeInstances',
  'RebootInstances',
  'StopInstances',
  'StartInstances',
  'DescribeInstanceStatus',
  'SendCommand',
  'GetCommandInvocation',
  'CancelCommand',
  'DescribeInstanceInformation',
  'GetMetricStatistics',
  'GetParameter',
  'PutParameter',
  'DeleteParameter',
] as const;
export type AwsOperation = (typeof AWS_OPERATIONS)[number];

/** AWS calls per operation, their `total`, and the app's HTTP probes (not an AWS call, so not in `total`). */
export type CallCounts = Record<AwsOperation, number> & { total: number; httpProbes: number };

export const DEFAULT_INSTANCE_ID = 'i-0123456789abcdef0';

export interface SimulatedCloudOptions {
  /** A name from SCENARIO_NAMES, or a scenario object; default `clean`. */
  scenario?: ScenarioName | Scenario;
  instanceId?: string;
  /** Only the label changes: CPU credits are modelled on a t2.micro. */
  instanceType?: string;
  /** Seeds boot ids, command ids and latencies; the same seed replays the same run. */
  seed?: number;
  /** Share a clock with other components; otherwise one is created from `startAt`/`realMsPerVirtualSecond`. */
  clock?: VirtualClock;
  startAt?: number;
  realMsPerVirtualSecond?: number;
}

export interface BootFacts {
  index: number;
  bootId: string;
  kernelStartAt: number;
  agentReadyAt: number | undefined;
  osDownAt: number | undefined;
}

export interface ComposeRunFacts {
  commandId: string;
  bootId: string;
  startedAt: number;
  finishedAt: number | undefined;
  exitCode: number | undefined;
  status: CommandFacts['status'];
}

/** Ground truth at the clock's `now`. Times are virtual epoch ms. */
export interface SimFacts {
  now: number;
  instanceState: InstanceState;
  /** Every boot in order; `bootIds[0]` is the incident's boot (running, or the last to run, at the start). */
  bootIds: string[];
  bootCount: number;
  /** The latest boot; it may be down (rebooting, stopped). */
  currentBootId: string;
  /** The latest boot's OS is up. */
  osUp: boolean;
  /** When the latest boot's agent could first run a command (possibly still ahead); `undefined`: never. */
  agentReadyAt: number | undefined;
  /** The last `docker compose up` that an agent received, wherever it ran. */
  composeStartedAt: number | undefined;
  composeFinishedAt: number | undefined;
  composeExitCode: number | undefined;
  composeRanOnBootId: string | undefined;
  /** When every service of the latest boot was (or will be) running and healthy; HTTP answers 200 from then. */
  appHealthyAt: number | undefined;
  /** The app is up and healthy on the latest boot now. */
  appUp: boolean;
  /** `docker compose up -d` on a fresh boot, and container start to healthy, on the host as it is now. */
  composeDurationMs: number;
  healthDelayMs: number;
  /** `agentReadyAt + composeDurationMs + healthDelayMs`: no recovery can have the app healthy earlier. */
  earliestHealthyAt: number | undefined;
  /** Non-dry-run restart requests that EC2 accepted. */
  rebootRequestedAt: number[];
  stopRequestedAt: number[];
  startRequestedAt: number[];
  boots: BootFacts[];
  composeRuns: ComposeRunFacts[];
  commands: CommandFacts[];
}

export interface SimulatedCloud {
  ports: RecoveryPorts;
  clock: VirtualClock;
  instanceId: string;
  scenario: Scenario;
  facts(): SimFacts;
  calls(): CallCounts;
  /** What happened in the world and when, for the demo's narration and for debugging a test. */
  timeline(): readonly TimelineEntry[];
  /** Parameter Store contents, shared by everyone using this cloud. */
  parameters(): ReadonlyMap<string, { value: string; version: number; lastModified: number }>;
}

export function createSimulatedCloud(options: SimulatedCloudOptions = {}): SimulatedCloud {
  const scenario =
    typeof options.scenario === 'object' ? options.scenario : getScenario(options.scenario ?? 'clean');
  const instanceId = options.instanceId ?? DEFAULT_INSTANCE_ID;
  const seed = options.seed ?? 1;
  const clock =
    options.clock ??
    new VirtualClock({
      ...(options.startAt === undefined ? {} : { startAt: options.startAt }),
      ...(options.realMsPerVirtualSecond === undefined
        ? {}
        : { realMsPerVirtualSecond: options.realMsPerVirtualSecond }),
    });
  const world = new SimWorld({
    instanceId,
    instanceType: options.instanceType ?? 't2.micro',
    scenario,
    startAt: clock.now(),
    seed,
  });
  const ssm = new SsmModel(world);
  const store = new InMemoryParameterStore();
  const latency = createRandom(seed);
  const requests = { reboot: [] as number[], stop: [] as number[], start: [] as number[] };

  const counts = Object.fromEntries(AWS_OPERATIONS.map((op) => [op, 0])) as Record<AwsOperation, number>;
  let httpProbes = 0;

  /** Every AWS call: counted, answered after a latency, acting on the world as it is when it lands. */
  const call = async <T>(operation: AwsOperation, action: (at: number) => T): Promise<T> => {
    counts[operation]++;
    await clock.sleep(randomInt(latency, SIM_TIMINGS.apiLatencyMinMs, SIM_TIMINGS.apiLatencyMaxMs));
    const at = clock.now();
    world.advanceTo(at);
    return action(at);
  };

  const requireInstance = (id: string): void => {
    if (id !== instanceId) {
      throw new RecoveryError(
        'instance-not-found',
        `InvalidInstanceID.NotFound: The instance ID '${id}' does not exist`,
      );
    }
  };

  const dryRun = (at: number, operation: string): void => {
    world.note(at, `${operation} DryRun: would have succeeded`);
  };

  const ports: RecoveryPorts = {
    clock,
    ec2: {
      describeInstance: (id) =>
        call('DescribeInstances', () => (id === instanceId ? world.describe() : undefined)),
      rebootInstance: (id, { dryRun: dry }) =>
        call('RebootInstances', (at) => {
          requireInstance(id);
          if (dry) return dryRun(at, 'RebootInstances');
          world.reboot(at);
          requests.reboot.push(at);
        }),
      stopInstance: (id, { dryRun: dry, force }) =>
        call('StopInstances', (at) => {
          requireInstance(id);
          if (dry) return dryRun(at, 'StopInstances');
          world.stop(at, force);
          requests.stop.push(at);
        }),
      startInstance: (id, { dryRun: dry }) =>
        call('StartInstances', (at) => {
          requireInstance(id);
          if (dry) return dryRun(at, 'StartInstances');
          world.start(at);
          requests.start.push(at);
        }),
      instanceStatusOk: (id) =>
        call('DescribeInstanceStatus', (at) => {
          requireInstance(id);
          return world.statusOk(at);
        }),
    },
    commands: {
      sendCommand: (request) => call('SendCommand', (at) => ({ commandId: ssm.send(request, at) })),
      getInvocation: (commandId, id) => call('GetCommandInvocation', (at) => ssm.get(commandId, id, at)),
      cancelCommand: (commandId, id) => call('CancelCommand', (at) => ssm.cancel(commandId, id, at)),
      agentPingStatus: (id) => call('DescribeInstanceInformation', (at) => ssm.pingStatus(id, at)),
    },
    metrics: {
      getDatapoints: (query) =>
        call('GetMetricStatistics', (at) =>
          // CloudWatch answers an unknown dimension with no datapoints, not an error.
          query.instanceId === instanceId ? world.metrics.datapoints(query, at) : [],
        ),
    },
    parameters: {
      get: (name) => call('GetParameter', () => store.get(name)),
      create: (name, value) => call('PutParameter', (at) => store.create(name, value, at)),
      overwrite: (name, value) => call('PutParameter', (at) => store.overwrite(name, value, at)),
      delete: (name) => call('DeleteParameter', () => store.delete(name)),
    },
    http: {
      get: async (_url, timeoutMs) => {
        httpProbes++;
        const latencyMs = randomInt(latency, SIM_TIMINGS.httpLatencyMinMs, SIM_TIMINGS.httpLatencyMaxMs);
        world.advanceTo(clock.now());
        const { result, elapsedMs } = probeApp(world, clock.now(), timeoutMs, latencyMs);
        await clock.sleep(elapsedMs);
        return result;
      },
    },
  };

  const facts = (): SimFacts => {
    const now = clock.now();
    world.advanceTo(now);
    const boot = world.latestBoot;
    const osUp = world.liveBoot(now) === boot;
    const agentReadyAt = world.agentReadyAtOf(boot);
    const commands = ssm.facts();
    const composeRuns: ComposeRunFacts[] = commands.flatMap((c) =>
      c.kind === 'compose-up' && c.bootId !== undefined && c.deliveredAt !== undefined
        ? [
            {
              commandId: c.commandId,
              bootId: c.bootId,
              startedAt: c.deliveredAt,
              finishedAt: c.finishedAt,
              exitCode: c.exitCode,
              status: c.status,
            },
          ]
        : [],
    );
    // Compose runs that a boot probe started in the background count as much as ones sent as commands.
    for (const job of world.boots.flatMap((b) => [...b.composeJobs.values()])) {
      composeRuns.push({
        commandId: `background:${job.runId}`,
        bootId: job.bootId,
        startedAt: job.startedAt,
        finishedAt: job.finishedAt,
        exitCode: job.result?.exitCode,
        status: job.result === undefined ? 'InProgress' : job.result.exitCode === 0 ? 'Success' : 'Failed',
      });
    }
    composeRuns.sort((a, b) => a.startedAt - b.startedAt);
    const lastCompose = composeRuns.at(-1);
    const healthyAt = osUp ? appHealthyAt(boot) : undefined;
    const composeDurationMs = SIM_TIMINGS.composeUpMs * world.hostSlowdown;
    const healthDelayMs = SIM_TIMINGS.healthDelayMs * world.hostSlowdown;
    return {
      now,
      instanceState: world.state,
      bootIds: world.boots.map((b) => b.id),
      bootCount: world.boots.length,
      currentBootId: boot.id,
      osUp,
      agentReadyAt,
      composeStartedAt: lastCompose?.startedAt,
      composeFinishedAt: lastCompose?.finishedAt,
      composeExitCode: lastCompose?.exitCode,
      composeRanOnBootId: lastCompose?.bootId,
      appHealthyAt: healthyAt,
      appUp: world.state === 'running' && healthyAt !== undefined && healthyAt <= now,
      composeDurationMs,
      healthDelayMs,
      earliestHealthyAt:
        agentReadyAt === undefined ? undefined : agentReadyAt + composeDurationMs + healthDelayMs,
      rebootRequestedAt: [...requests.reboot],
      stopRequestedAt: [...requests.stop],
      startRequestedAt: [...requests.start],
      boots: world.boots.map((b) => ({
        index: b.index,
        bootId: b.id,
        kernelStartAt: b.kernelStartAt,
        agentReadyAt: world.agentReadyAtOf(b),
        osDownAt: b.osDownAt,
      })),
      composeRuns,
      commands,
    };
  };

  return {
    ports,
    clock,
    instanceId,
    scenario,
    facts,
    calls: () => ({
      ...counts,
      total: Object.values(counts).reduce((sum, n) => sum + n, 0),
      httpProbes,
    }),
    timeline: () => {
      world.advanceTo(clock.now());
      return [...world.timeline];
    },
    parameters: () => store.snapshot(),
  };
}
