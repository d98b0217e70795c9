import { RecoveryError } from '../errors.js';
import type { AgentPingStatus, CommandInvocation, CommandStatus, SendCommandRequest } from '../ports.js';
import { classifyScript, type ScriptRun, type SimScriptKind, startScript } from './host.js';
import { randomUuid } from './random.js';
import { SIM_TIMINGS } from './scenarios.js';
import type { Boot, SimWorld } from './world.js';

/**
 * SSM Run Command for the simulated instance. SSM only knows what agents tell it, which is what the recovery
 * has to cope with:
 * - SendCommand is refused (InvalidInstanceId) only once SSM has noticed the agent is gone: `pingLagMs` after
 *   its last contact. Before that it accepts the command, which stays `Pending` until an agent (of whichever
 *   boot is up then) receives it, or `TimedOut` once `deliveryTimeoutSeconds` pass.
 * - A script running when its agent dies (reboot, stop) stays `InProgress`: nobody reports on it. When the next
 *   boot's agent comes up it finds the interrupted document and reports it `Failed`, without an exit code; if no
 *   agent comes back, SSM ends it `TimedOut` at the execution timeout. (The real agent does the same for an
 *   unplanned reboot; it resumes only documents that asked for the reboot with exit 194.)
 * - GetCommandInvocation says InvocationDoesNotExist (`undefined`) for the first `invocationVisibleAfterMs`.
 */

interface CommandRecord {
  readonly commandId: string;
  readonly instanceId: string;
  readonly kind: SimScriptKind;
  readonly commands: readonly string[];
  readonly createdAt: number;
  readonly deliveryDeadline: number;
  readonly executionTimeoutMs: number;
  status: CommandStatus;
  boot: Boot | undefined;
  run: ScriptRun | undefined;
  deliveredAt: number | undefined;
  finishedAt: number | undefined;
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

/** What facts() and tests see of a command: plain data. */
export interface CommandFacts {
  commandId: string;
  kind: SimScriptKind;
  status: CommandStatus;
  createdAt: number;
  /** Which boot ran it, and when its agent received it. */
  bootId: string | undefined;
  deliveredAt: number | undefined;
  finishedAt: number | undefined;
  exitCode: number | undefined;
}

const T = SIM_TIMINGS;
const ACCOUNT_ID = '123456789012';
const STDOUT_LIMIT = 24_000;
const STDERR_LIMIT = 8_000;

export class SsmModel {
  readonly #world: SimWorld;
  readonly #commands = new Map<string, CommandRecord>();

  constructor(world: SimWorld) {
    this.#world = world;
    world.onAgentReady((boot, at) => this.#agentReady(boot, at));
  }

  /** DescribeInstanceInformation's PingStatus: Online until SSM has missed the agent for `pingLagMs`. */
  pingStatus(instanceId: string, at: number): AgentPingStatus {
    if (instanceId !== this.#world.instanceId) return 'NotRegistered';
    const contact = this.#world.lastAgentContact(at);
    if (contact === undefined) return 'NotRegistered';
    return at - contact < T.pingLagMs ? 'Online' : 'ConnectionLost';
  }

  send(request: SendCommandRequest, at: number): string {
    validate(request);
    if (this.pingStatus(request.instanceId, at) !== 'Online') {
      throw new RecoveryError(
        'ssm-unreachable',
        `InvalidInstanceId: Instances [[${request.instanceId}]] not in a valid state for account ${ACCOUNT_ID}`,
        {
          fix: 'The SSM agent is not connected: the instance may be hung, stopped or booting, or its role lacks AmazonSSMManagedInstanceCore.',
        },
      );
    }
    const record: CommandRecord = {
      commandId: randomUuid(this.#world.random),
      instanceId: request.instanceId,
      kind: classifyScript(request.commands),
      commands: [...request.commands],
      createdAt: at,
      deliveryDeadline: at + request.deliveryTimeoutSeconds * 1000,
      executionTimeoutMs: request.executionTimeoutSeconds * 1000,
      status: 'Pending',
      boot: undefined,
      run: undefined,
      deliveredAt: undefined,
      finishedAt: undefined,
      exitCode: undefined,
      stdout: '',
      stderr: '',
    };
    this.#commands.set(record.commandId, record);
    this.#world.agenda.at(at + T.deliveryLatencyMs, (t) => this.#tryDeliver(record, t));
    this.#world.agenda.at(record.deliveryDeadline, (t) => {
      if (record.status !== 'Pending') return;
      this.#finish(record, t, 'TimedOut');
      this.#world.note(t, `command ${record.kind} ${short(record)} TimedOut: no agent received it`);
    });
    return record.commandId;
  }

  get(commandId: string, instanceId: string, at: number): CommandInvocation | undefined {
    const record = this.#commands.get(commandId);
    if (record === undefined || record.instanceId !== instanceId) return undefined;
    if (at < record.createdAt + T.invocationVisibleAfterMs) return undefined;
    const invocation: CommandInvocation = {
      commandId,
      status: record.status,
      stdout: record.stdout.slice(0, STDOUT_LIMIT),
      stderr: record.stderr.slice(0, STDERR_LIMIT),
    };
    if (record.exitCode !== undefined) invocation.exitCode = record.exitCode;
    return invocation;
  }

  /** CancelCommand: a pending command is dropped at once; a running one is killed by its agent. */
  cancel(commandId: string, instanceId: string, at: number): void {
    const record = this.#commands.get(commandId);
    if (record === undefined || record.instanceId !== instanceId) {
      throw new RecoveryError(
        'aws-error',
        `InvalidCommandId: ${commandId} is not a command for ${instanceId}`,
      );
    }
    if (record.status === 'Pending') {
      this.#finish(record, at, 'Cancelled');
    } else if (record.status === 'InProgress') {
      record.status = 'Cancelling';
      const boot = record.boot;
      if (boot !== undefined && this.#world.agentUp(boot, at)) {
        this.#world.agenda.at(at + T.cancelMs, (t) => {
          if (record.status === 'Cancelling') this.#finish(record, t, 'Cancelled');
        });
      }
    }
  }

  facts(): CommandFacts[] {
    return [...this.#commands.values()].map((r) => ({
      commandId: r.commandId,
      kind: r.kind,
      status: r.status,
      createdAt: r.createdAt,
      bootId: r.boot?.id,
      deliveredAt: r.deliveredAt,
      finishedAt: r.finishedAt,
      exitCode: r.exitCode,
    }));
  }

  #tryDeliver(record: CommandRecord, at: number): void {
    if (record.status !== 'Pending') return;
    const boot = this.#world.agentBoot(at);
    // No agent now: the command waits for the next agent that comes up (see #agentReady).
    if (boot === undefined) return;
    const run = startScript(this.#world, boot, record.commands, record.commandId, at);
    record.status = 'InProgress';
    record.boot = boot;
    record.run = run;
    record.deliveredAt = at;
    this.#world.note(at, `command ${record.kind} ${short(record)} runs on boot #${boot.index}`);
    if (run.durationMs <= record.executionTimeoutMs) {
      this.#world.agenda.at(at + run.durationMs, (t) => this.#complete(record, boot, run, t));
    }
    this.#world.agenda.at(at + record.executionTimeoutMs, (t) => {
      if (record.status === 'InProgress') {
        this.#finish(record, t, 'TimedOut', { stderr: 'Execution timed out: the script was killed' });
      } else if (record.status === 'Cancelling') {
        this.#finish(record, t, 'Cancelled');
      }
    });
  }

  #complete(record: CommandRecord, boot: Boot, run: ScriptRun, at: number): void {
    // A script whose agent died with its boot is left InProgress until an agent or the timeout settles it.
    if (record.status !== 'InProgress' || !this.#world.agentUp(boot, at)) return;
    const result = run.finish(at);
    this.#finish(record, at, result.exitCode === 0 ? 'Success' : 'Failed', result);
    this.#world.note(
      at,
      `command ${record.kind} ${short(record)} ${record.status} (exit ${result.exitCode})`,
    );
  }

  #agentReady(boot: Boot, at: number): void {
    for (const record of this.#commands.values()) {
      if (record.status === 'Pending' && at < record.deliveryDeadline) {
        this.#world.agenda.at(at + T.deliveryLatencyMs, (t) => this.#tryDeliver(record, t));
      } else if (record.boot !== undefined && record.boot !== boot) {
        if (record.status === 'InProgress') {
          this.#finish(record, at, 'Failed', {
            stderr: 'The command was interrupted: the instance went down while it ran.',
          });
          this.#world.note(at, `command ${record.kind} ${short(record)} Failed: interrupted by the reboot`);
        } else if (record.status === 'Cancelling') {
          this.#finish(record, at, 'Cancelled');
        }
      }
    }
  }

  #finish(
    record: CommandRecord,
    at: number,
    status: CommandStatus,
    output: { exitCode?: number; stdout?: string; stderr?: string } = {},
  ): void {
    record.status = status;
    record.finishedAt = at;
    record.exitCode = output.exitCode;
    record.stdout = output.stdout ?? record.stdout;
    record.stderr = output.stderr ?? record.stderr;
  }
}

function validate(request: SendCommandRequest): void {
  const problems: string[] = [];
  if (request.commands.length === 0) problems.push('commands must not be empty');
  if (request.deliveryTimeoutSeconds < 30 || request.deliveryTimeoutSeconds > 2_592_000) {
    problems.push(`timeoutSeconds ${request.deliveryTimeoutSeconds} must be between 30 and 2592000`);
  }
  if (request.executionTimeoutSeconds < 1 || request.executionTimeoutSeconds > 172_800) {
    problems.push(`executionTimeout ${request.executionTimeoutSeconds} must be between 1 and 172800`);
  }
  if (problems.length > 0)
    throw new RecoveryError('aws-error', `ValidationException: ${problems.join('; ')}`);
}

const short = (record: CommandRecord) => record.commandId.slice(0, 8);
