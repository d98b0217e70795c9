import { RecoveryError } from '../errors.js';

/**
 * The incidents the simulator can play. Each one is a way the real instance has failed, or could fail, when its
 * CPU alarm fires; together they cover every branch of the recovery sequence (DESIGN.md).
 */

/** Durations of the simulated world, in virtual ms. Host-side ones are multiplied by a scenario's slowdown. */
export const SIM_TIMINGS = {
  /** Every AWS API call answers after a deterministic latency in this range. */
  apiLatencyMinMs: 60,
  apiLatencyMaxMs: 120,
  /** The app's HTTP endpoint answers a live request in this range. */
  httpLatencyMinMs: 20,
  httpLatencyMaxMs: 60,
  /** nginx's proxy_read_timeout: a pinned api makes it answer 504 after this long. */
  gatewayTimeoutMs: 60_000,

  /** GetCommandInvocation says InvocationDoesNotExist this long after SendCommand. */
  invocationVisibleAfterMs: 500,
  /** SendCommand (or an agent coming online) to the agent receiving the command. */
  deliveryLatencyMs: 200,
  /** How long SSM keeps believing a silent agent is Online before PingStatus becomes ConnectionLost. */
  pingLagMs: 60_000,
  /** CancelCommand on a running script: the agent kills it within this long. */
  cancelMs: 1_000,

  /** A soft reboot of a healthy OS: systemd stops the agent, then the machine resets. */
  rebootAgentStopMs: 2_000,
  rebootOsDownMs: 5_000,
  /** EC2 forces a hard reboot when the OS has not shut down this long after RebootInstances. */
  hardRebootAfterMs: 240_000,
  /** Machine reset (or `running`) to the next kernel starting: the uptime origin. */
  firmwareMs: 3_000,
  /** Kernel start to the SSM agent running commands (x slowdown). */
  agentStartMs: 32_000,
  /** An incident's agent that stopped answering before the simulation starts, this long before. */
  agentLostBeforeStartMs: 10 * 60_000,

  /** StopInstances: `stopping` to `stopped` for an OS that shuts down. */
  stopMs: 20_000,
  /** A normal stop of a hung OS: EC2 waits for an ACPI shutdown that never comes, then powers off. */
  hungStopMs: 360_000,
  /** StopInstances with Force: power off without the OS. */
  forceStopMs: 10_000,
  /** StartInstances: `pending` to `running`. */
  pendingMs: 15_000,
  /** Status checks report `initializing` (not ok) this long after `running`. */
  statusChecksInitializingMs: 120_000,
  /** A down OS fails the reachability check only after this long: the check lags reality. */
  statusCheckFailAfterMs: 90_000,

  /** `docker compose up -d` starting every container of the app on a freshly booted host (x slowdown). */
  composeUpMs: 15_000,
  /** `docker compose up -d` when every container already runs: it only checks (x slowdown). */
  composeUpToDateMs: 2_000,
  /** `docker compose up -d` until the port-conflict error in `compose-fails` (x slowdown). */
  composeFailMs: 6_000,
  /** The api's healthcheck reports `starting` this long after its container starts (x slowdown). */
  healthDelayMs: 8_000,
  /** Script durations on a healthy host (x slowdown; x pinnedCommandSlowdown on a pinned host). */
  bootProbeMs: 150,
  evidenceMs: 2_500,
  composePsMs: 700,
  unknownScriptMs: 50,
  pinnedCommandSlowdown: 2,
} as const;

export const SCENARIO_NAMES = [
  'clean',
  'hung',
  'slow-shutdown',
  'no-agent',
  'stopped',
  'compose-fails',
  'credits-exhausted',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** How the OS of a boot answers a soft reboot (and an ACPI stop). */
export type ShutdownBehaviour =
  | { kind: 'honours'; agentStopMs: number; osDownMs: number }
  /** Hung: only EC2's hard reboot (after `hardRebootAfterMs`) or a forced stop takes it down. */
  | { kind: 'ignores' };

export interface Scenario {
  name: ScenarioName;
  /** One line, for `--help`. */
  description: string;
  /** EC2 state when the simulation starts. */
  initialState: 'running' | 'stopped';
  /** The boot that was running when the alarm fired. */
  incident: {
    /** A runaway process holds the CPU (CloudWatch near 100 %, the api unhealthy, the HTTP endpoint hanging). */
    cpuPinned: boolean;
    /** The agent stopped answering long before the start: SSM already shows ConnectionLost. */
    agentLost: boolean;
    shutdown: ShutdownBehaviour;
    /** The kernel log holds OOM-killer lines. */
    oomKills: boolean;
  };
  /** Boots that follow a reboot get no agent until a stop/start moves the instance to new hardware. */
  agentLostAfterReboot: boolean;
  /** `docker compose up -d` exits 1: something else holds port 80. */
  composeFails: boolean;
  /** CPUCreditBalance near 0 and the CPU held at the 10 % baseline until a stop/start resets the credits. */
  creditsExhausted: boolean;
  /** Factor on host-side durations (agent start, scripts, compose, healthcheck) while credits are exhausted. */
  hostSlowdown: number;
  /** `docker compose up -d` on a fresh boot of this scenario's host, for the benchmark's floor. */
  composeDurationMs: number;
  /** Container start to `healthy` on this scenario's host, for the benchmark's floor. */
  healthDelayMs: number;
}

const T = SIM_TIMINGS;
const HONOURS: ShutdownBehaviour = {
  kind: 'honours',
  agentStopMs: T.rebootAgentStopMs,
  osDownMs: T.rebootOsDownMs,
};

type ScenarioSpec = Omit<
  Scenario,
  'name' | 'composeDurationMs' | 'healthDelayMs' | 'hostSlowdown' | 'incident'
> & {
  incident?: Partial<Scenario['incident']>;
};

const BASE: Omit<ScenarioSpec, 'description'> = {
  initialState: 'running',
  agentLostAfterReboot: false,
  composeFails: false,
  creditsExhausted: false,
};

const SPECS: Record<ScenarioName, ScenarioSpec> = {
  clean: {
    ...BASE,
    description:
      'CPU pinned but the OS answers: the reboot is honoured, the new agent runs commands ~40 s after it',
  },
  hung: {
    ...BASE,
    description:
      'OS hung, SSM already ConnectionLost; the soft reboot is ignored until EC2 forces one at 240 s, agent 35 s later',
    incident: { agentLost: true, shutdown: { kind: 'ignores' }, oomKills: true },
  },
  'slow-shutdown': {
    ...BASE,
    description:
      'the old boot keeps answering SSM for 25 s after the reboot call (the race the original Lambda loses)',
    incident: { shutdown: { kind: 'honours', agentStopMs: 25_000, osDownMs: 25_000 }, oomKills: true },
  },
  'no-agent': {
    ...BASE,
    description: 'after a reboot the SSM agent never comes back; only a stop/start (new hardware) cures it',
    agentLostAfterReboot: true,
  },
  stopped: {
    ...BASE,
    description: 'the instance is already stopped: start, pending 15 s, running, agent ~35 s later',
    initialState: 'stopped',
  },
  'compose-fails': {
    ...BASE,
    description: 'clean reboot, but `docker compose up -d` exits 1: port 80 is already allocated',
    composeFails: true,
  },
  'credits-exhausted': {
    ...BASE,
    description:
      't2.micro out of CPU credits, throttled to its 10 % baseline: the reboot works but the host is ~3x slower',
    creditsExhausted: true,
  },
};

function buildScenario(name: ScenarioName): Scenario {
  const spec = SPECS[name];
  const hostSlowdown = spec.creditsExhausted ? 3 : 1;
  return {
    ...spec,
    name,
    incident: {
      cpuPinned: true,
      agentLost: false,
      shutdown: HONOURS,
      oomKills: false,
      ...spec.incident,
    },
    hostSlowdown,
    composeDurationMs: T.composeUpMs * hostSlowdown,
    healthDelayMs: T.healthDelayMs * hostSlowdown,
  };
}

export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = Object.fromEntries(
  SCENARIO_NAMES.map((name) => [name, buildScenario(name)]),
) as Record<ScenarioName, Scenario>;

export const SCENARIO_DESCRIPTIONS: Readonly<Record<ScenarioName, string>> = Object.fromEntries(
  SCENARIO_NAMES.map((name) => [name, SPECS[name].description]),
) as Record<ScenarioName, string>;

export function isScenarioName(value: string): value is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(value);
}

/** Resolves a scenario by name; throws with the list of names, for a CLI to print. */
export function getScenario(name: string): Scenario {
  if (!isScenarioName(name)) {
    throw new RecoveryError('config-invalid', `unknown simulator scenario "${name}"`, {
      fix: `choose one of: ${SCENARIO_NAMES.join(', ')}`,
    });
  }
  return SCENARIOS[name];
}
