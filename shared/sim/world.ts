import { RecoveryError } from '../errors.js';
import type { InstanceDescription, InstanceState } from '../ports.js';
import { Agenda } from './agenda.js';
import { type Container, containersAfterShutdown, incidentContainers } from './host.js';
import { type CpuLevel, MetricsModel, T2_MICRO_CREDITS } from './metrics-model.js';
import { createRandom, type Random, randomUuid } from './random.js';
import { type Scenario, type ShutdownBehaviour, SIM_TIMINGS } from './scenarios.js';

/**
 * The simulated instance: its EC2 state machine and its boots. A boot is one life of the OS, from a kernel start
 * (its uptime origin) to the OS going down; the SSM agent of a boot answers in an interval inside it.
 *
 * Everything is a function of virtual time plus the actions taken, played through the agenda; nothing here
 * sleeps. Times are virtual epoch milliseconds.
 */

export interface Boot {
  readonly index: number;
  /** /proc/sys/kernel/random/boot_id */
  readonly id: string;
  readonly kernelStartAt: number;
  /** From when the agent runs commands; `undefined`: it never does on this boot. */
  agentReadyAt: number | undefined;
  /** The agent stops answering (shutdown began, or it died); may be planned in the future. */
  agentDownAt: number | undefined;
  /** The OS is gone (reset, power-off). */
  osDownAt: number | undefined;
  /** The incident's runaway process holds the CPU on this boot. */
  cpuPinned: boolean;
  readonly shutdown: ShutdownBehaviour;
  readonly oomKills: boolean;
  containers: Container[];
  /** Compose runs a boot probe started in the background, by run id; /run is a tmpfs, so each boot starts empty. */
  composeJobs: Map<string, ComposeJob>;
}

export interface ComposeJob {
  runId: string;
  bootId: string;
  startedAt: number;
  /** When the job will exit, known when it starts: compose durations do not depend on anything later. */
  finishesAt: number;
  finishedAt: number | undefined;
  result: { exitCode: number; stdout: string; stderr: string } | undefined;
}

export interface TimelineEntry {
  at: number;
  event: string;
}

export type AgentReadyListener = (boot: Boot, at: number) => void;

const T = SIM_TIMINGS;
const HONOURS: ShutdownBehaviour = {
  kind: 'honours',
  agentStopMs: T.rebootAgentStopMs,
  osDownMs: T.rebootOsDownMs,
};
/** The incident's boot has been up for a few days, like a server nobody touches. */
const INCIDENT_UPTIME_MS = 3 * 86_400_000 + 4 * 3_600_000 + 17 * 60_000;
const PINNED_SINCE_MS = 40 * 60_000;
const STOPPED_SINCE_MS = 20 * 60_000;
const HISTORY_MS = 3 * 3_600_000;

export class SimWorld {
  readonly instanceId: string;
  readonly instanceType: string;
  readonly scenario: Scenario;
  readonly agenda: Agenda;
  readonly metrics: MetricsModel;
  readonly boots: Boot[] = [];
  readonly timeline: TimelineEntry[] = [];
  /** For ids of things created in the world (boots, containers, commands): independent of API call order. */
  readonly random: Random;
  readonly startAt: number;

  #state: InstanceState;
  #launchTime: number;
  /** When the state last became `running`: status checks initialize from there. */
  #runningSince: number;
  /** Out of CPU credits: host-side work is `scenario.hostSlowdown` times slower until a stop/start. */
  #throttled: boolean;
  #agentLostAfterReboot: boolean;
  /** Bumped by every stop, so that events planned by an earlier reboot do nothing on the next power cycle. */
  #powerEpoch = 0;
  #rebootInProgress = false;
  #stopDueAt: number | undefined;
  #agentReadyListeners: AgentReadyListener[] = [];

  constructor(options: {
    instanceId: string;
    instanceType: string;
    scenario: Scenario;
    startAt: number;
    seed: number;
  }) {
    const { scenario, startAt } = options;
    this.instanceId = options.instanceId;
    this.instanceType = options.instanceType;
    this.scenario = scenario;
    this.startAt = startAt;
    this.agenda = new Agenda(startAt);
    this.random = createRandom(options.seed ^ 0x5bd1e995);
    this.#throttled = scenario.creditsExhausted;
    this.#agentLostAfterReboot = scenario.agentLostAfterReboot;

    const kernelStartAt = startAt - INCIDENT_UPTIME_MS;
    const stopped = scenario.initialState === 'stopped';
    const osDownAt = stopped ? startAt - STOPPED_SINCE_MS : undefined;
    const agentLostAt = scenario.incident.agentLost ? startAt - T.agentLostBeforeStartMs : undefined;
    const pinnedSince = startAt - PINNED_SINCE_MS;
    this.#launchTime = kernelStartAt - T.firmwareMs;
    this.#runningSince = this.#launchTime;
    this.#state = stopped ? 'stopped' : 'running';
    this.boots.push({
      index: 0,
      id: randomUuid(this.random),
      kernelStartAt,
      agentReadyAt: kernelStartAt + T.agentStartMs,
      agentDownAt: osDownAt ?? agentLostAt,
      osDownAt,
      cpuPinned: scenario.incident.cpuPinned,
      shutdown: scenario.incident.shutdown,
      oomKills: scenario.incident.oomKills,
      containers:
        osDownAt === undefined
          ? incidentContainers(this.random, kernelStartAt, startAt)
          : containersAfterShutdown(incidentContainers(this.random, kernelStartAt, startAt), osDownAt, 0),
      composeJobs: new Map(),
    });

    this.metrics = new MetricsModel({
      origin: startAt - HISTORY_MS,
      level: this.#throttled ? 'throttled' : 'normal',
      creditBalance: this.#throttled ? 0.4 : T2_MICRO_CREDITS.maxBalance,
      seed: options.seed,
    });
    this.metrics.setLevel(pinnedSince, this.#cpuLevel());
    if (osDownAt !== undefined) this.metrics.setLevel(osDownAt, 'off');

    this.note(startAt, `simulation starts: scenario ${scenario.name}, ${this.instanceId} ${this.#state}`);
  }

  get state(): InstanceState {
    return this.#state;
  }

  get hostSlowdown(): number {
    return this.#throttled ? this.scenario.hostSlowdown : 1;
  }

  get latestBoot(): Boot {
    const boot = this.boots.at(-1);
    if (boot === undefined) throw new Error('the simulated instance has no boot');
    return boot;
  }

  note(at: number, event: string): void {
    this.timeline.push({ at, event });
  }

  advanceTo(at: number): void {
    this.agenda.advanceTo(at);
  }

  onAgentReady(listener: AgentReadyListener): void {
    this.#agentReadyListeners.push(listener);
  }

  /** The boot whose OS is up at `at`, if any. */
  liveBoot(at: number): Boot | undefined {
    const boot = this.latestBoot;
    return boot.kernelStartAt <= at && (boot.osDownAt === undefined || at < boot.osDownAt) ? boot : undefined;
  }

  agentUp(boot: Boot, at: number): boolean {
    return (
      boot.agentReadyAt !== undefined &&
      boot.agentReadyAt <= at &&
      (boot.agentDownAt === undefined || at < boot.agentDownAt) &&
      (boot.osDownAt === undefined || at < boot.osDownAt)
    );
  }

  /** When the boot's agent could first run a command, unless the boot went down before that. */
  agentReadyAtOf(boot: Boot): number | undefined {
    const { agentReadyAt } = boot;
    const end = Math.min(
      boot.agentDownAt ?? Number.POSITIVE_INFINITY,
      boot.osDownAt ?? Number.POSITIVE_INFINITY,
    );
    return agentReadyAt !== undefined && agentReadyAt < end ? agentReadyAt : undefined;
  }

  /** The boot whose agent would receive a command at `at`. */
  agentBoot(at: number): Boot | undefined {
    const boot = this.liveBoot(at);
    return boot !== undefined && this.agentUp(boot, at) ? boot : undefined;
  }

  /** The last instant an agent of this instance answered, or `undefined` when none ever registered. */
  lastAgentContact(at: number): number | undefined {
    for (let i = this.boots.length - 1; i >= 0; i--) {
      const boot = this.boots[i];
      if (boot?.agentReadyAt === undefined || boot.agentReadyAt > at) continue;
      if (this.agentUp(boot, at)) return at;
      return Math.min(boot.agentDownAt ?? at, boot.osDownAt ?? at, at);
    }
    return undefined;
  }

  describe(): InstanceDescription {
    return {
      instanceId: this.instanceId,
      state: this.#state,
      instanceType: this.instanceType,
      launchTime: new Date(this.#launchTime),
      availabilityZone: 'ap-northeast-2a',
    };
  }

  /**
   * Both status checks pass. Lags reality on purpose, like EC2: `initializing` for two minutes after `running`,
   * and a down OS fails the reachability check only after a while, so it stays true right after a reboot.
   */
  statusOk(at: number): boolean {
    if (this.#state !== 'running' || at - this.#runningSince < T.statusChecksInitializingMs) return false;
    const boot = this.latestBoot;
    const osDownSince = boot.osDownAt !== undefined && boot.osDownAt <= at ? boot.osDownAt : undefined;
    return osDownSince === undefined || at - osDownSince < T.statusCheckFailAfterMs;
  }

  /** RebootInstances: the state stays `running` throughout; what the OS does depends on the boot. */
  reboot(at: number): void {
    this.#requireState('RebootInstances', ['running']);
    this.note(at, 'RebootInstances accepted (the EC2 state stays running)');
    const boot = this.latestBoot;
    if (this.#rebootInProgress || boot.osDownAt !== undefined) return;
    this.#rebootInProgress = true;
    const epoch = this.#powerEpoch;
    if (boot.shutdown.kind === 'ignores') {
      this.note(at, 'the OS ignores the soft reboot');
      this.agenda.at(at + T.hardRebootAfterMs, (t) => {
        if (epoch !== this.#powerEpoch || boot.osDownAt !== undefined) return;
        this.note(t, 'EC2 forces a hard reboot: the OS did not shut down in time');
        this.#endBoot(boot, t, false);
        this.#bootAfterReset(t, epoch);
      });
      return;
    }
    const { agentStopMs, osDownMs } = boot.shutdown;
    boot.agentDownAt = Math.min(boot.agentDownAt ?? Number.POSITIVE_INFINITY, at + agentStopMs);
    this.agenda.at(at + agentStopMs, (t) => {
      if (epoch === this.#powerEpoch) this.note(t, `boot #${boot.index}: shutting down, SSM agent stopped`);
    });
    this.agenda.at(at + osDownMs, (t) => {
      if (epoch !== this.#powerEpoch || boot.osDownAt !== undefined) return;
      this.#endBoot(boot, t, true);
      this.#bootAfterReset(t, epoch);
    });
  }

  /** StopInstances: a hung OS ignores the ACPI shutdown of a normal stop; a forced stop powers off. */
  stop(at: number, force: boolean): void {
    if (this.#state === 'stopped') {
      this.note(at, 'StopInstances on a stopped instance: nothing to do');
      return;
    }
    this.#requireState('StopInstances', ['running', 'stopping']);
    const boot = this.latestBoot;
    const alive = boot.osDownAt === undefined;
    let osDownAt: number;
    let stoppedAt: number;
    if (force) {
      osDownAt = at + 1_000;
      stoppedAt = at + T.forceStopMs;
    } else if (this.#state === 'stopping') {
      this.note(at, 'StopInstances while stopping: already under way');
      return;
    } else if (alive && boot.shutdown.kind === 'ignores') {
      stoppedAt = at + T.hungStopMs;
      osDownAt = stoppedAt;
    } else {
      boot.agentDownAt = Math.min(boot.agentDownAt ?? Number.POSITIVE_INFINITY, at + T.rebootAgentStopMs);
      osDownAt = at + T.rebootOsDownMs;
      stoppedAt = at + T.stopMs;
    }
    if (this.#stopDueAt !== undefined && this.#stopDueAt <= stoppedAt) return;
    this.note(at, `StopInstances${force ? ' (force)' : ''} accepted: stopping`);
    this.#state = 'stopping';
    this.#powerEpoch++;
    this.#rebootInProgress = false;
    this.#stopDueAt = stoppedAt;
    if (alive) {
      this.agenda.at(osDownAt, (t) => {
        if (boot.osDownAt === undefined) this.#endBoot(boot, t, !force);
      });
    }
    this.agenda.at(stoppedAt, (t) => {
      if (this.#stopDueAt !== t || this.#state !== 'stopping') return;
      if (boot.osDownAt === undefined) this.#endBoot(boot, t, false);
      this.#state = 'stopped';
      this.#stopDueAt = undefined;
      // A stop releases the host: the next start lands on other hardware, which is what cures `no-agent`.
      this.#agentLostAfterReboot = false;
      this.metrics.setLevel(t, 'off');
      this.note(t, 'stopped');
    });
  }

  /** StartInstances: `pending`, then `running` on new hardware with fresh launch credits. */
  start(at: number): void {
    if (this.#state === 'running' || this.#state === 'pending') {
      this.note(at, `StartInstances on a ${this.#state} instance: nothing to do`);
      return;
    }
    this.#requireState('StartInstances', ['stopped']);
    this.note(at, 'StartInstances accepted: pending');
    this.#state = 'pending';
    this.#launchTime = at;
    if (this.#throttled) this.note(at, 'T2 launch credits granted: CPU no longer throttled');
    this.#throttled = false;
    this.metrics.resetCredits(at, T2_MICRO_CREDITS.launchCredits);
    const epoch = this.#powerEpoch;
    this.agenda.at(at + T.pendingMs, (t) => {
      this.#state = 'running';
      this.#runningSince = t;
      this.metrics.setLevel(t, 'normal');
      this.note(t, 'running');
      this.#bootAfterReset(t, epoch);
    });
  }

  #bootAfterReset(resetAt: number, epoch: number): void {
    this.agenda.at(resetAt + T.firmwareMs, (t) => {
      if (epoch !== this.#powerEpoch || this.#state !== 'running') return;
      this.#rebootInProgress = false;
      this.#startBoot(t);
    });
  }

  #startBoot(at: number): void {
    const previous = this.latestBoot;
    // Only a reboot keeps the instance on the host where the agent broke; a start after a stop does not.
    const withAgent = !this.#agentLostAfterReboot;
    const agentReadyAt = withAgent ? at + T.agentStartMs * this.hostSlowdown : undefined;
    const boot: Boot = {
      index: this.boots.length,
      id: randomUuid(this.random),
      kernelStartAt: at,
      agentReadyAt,
      agentDownAt: undefined,
      osDownAt: undefined,
      cpuPinned: false,
      shutdown: HONOURS,
      oomKills: false,
      containers: previous.containers.map((container) => ({ ...container })),
      composeJobs: new Map(),
    };
    this.boots.push(boot);
    this.metrics.setLevel(at, this.#cpuLevel());
    this.note(
      at,
      `boot #${boot.index} ${boot.id}: kernel started${withAgent ? '' : ' (the SSM agent will not start)'}`,
    );
    if (agentReadyAt === undefined) return;
    this.agenda.at(agentReadyAt, (t) => {
      if (!this.agentUp(boot, t)) return;
      this.note(t, `boot #${boot.index}: SSM agent online`);
      for (const listener of this.#agentReadyListeners) listener(boot, t);
    });
  }

  /** `graceful`: systemd stopped docker, so containers exited 0; otherwise the machine was reset under them. */
  #endBoot(boot: Boot, at: number, graceful: boolean): void {
    boot.osDownAt = at;
    boot.agentDownAt = Math.min(boot.agentDownAt ?? at, at);
    boot.containers = containersAfterShutdown(boot.containers, at, graceful ? 0 : 255);
    this.metrics.setLevel(at, 'normal');
    this.note(at, `boot #${boot.index}: OS down`);
  }

  #cpuLevel(): CpuLevel {
    const boot = this.latestBoot;
    if (this.#state === 'stopped') return 'off';
    if (!boot.cpuPinned) return 'normal';
    return this.#throttled ? 'throttled' : 'pinned';
  }

  #requireState(operation: string, allowed: readonly InstanceState[]): void {
    if (allowed.includes(this.#state)) return;
    throw new RecoveryError(
      'aws-error',
      `IncorrectInstanceState: ${operation}: the instance '${this.instanceId}' is not in a state from which it can be ${operationVerb(operation)} (it is ${this.#state}).`,
    );
  }
}

function operationVerb(operation: string): string {
  if (operation === 'RebootInstances') return 'rebooted';
  if (operation === 'StopInstances') return 'stopped';
  return 'started';
}
