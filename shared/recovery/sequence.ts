import { randomBytes } from 'node:crypto';
import type { Target } from '../config/schema.js';
import { shownUrl } from '../config/shown-url.js';
import { isRecoveryError, RecoveryError, summarizeError } from '../errors.js';
import {
  type Clock,
  type CommandInvocation,
  type InstanceDescription,
  type InstanceState,
  type RecoveryPorts,
  TERMINAL_COMMAND_STATUSES,
} from '../ports.js';
import {
  appendHistory,
  checkGuard,
  type HistoryEntry,
  historyEntryOf,
  readHistory,
  requestKey,
} from '../state/history.js';
import { acquireLock, lockParameterName, readLock } from '../state/lock.js';
import { type CommandWait, waitForCommand } from './command-wait.js';
import {
  type CommandOutput,
  type Evidence,
  isAutomatic,
  type LockInfo,
  type ProgressEvent,
  type ProgressListener,
  type RecoveryResult,
  STEP_TITLES,
  type StepName,
  type StepRecord,
  type Trigger,
} from './events.js';
import { collectEvidence } from './evidence.js';
import { CallPacer, DEFAULT_PACER, meterPorts, type PacerSettings } from './pacer.js';
import {
  type BootProbe,
  bootProbeScript,
  composePsScript,
  composeUpScript,
  composeWaitScript,
  type NewBootRule,
  parseBootProbe,
  parseComposePs,
  parseComposeStart,
  remoteScriptKind,
  tail,
} from './remote-scripts.js';

export interface RecoveryRequest {
  target: Target;
  trigger: Trigger;
  /** EC2 calls with `DryRun=true`, no SSM commands, no lock or history writes: the plan, reported as events. */
  dryRun: boolean;
  /** Who holds the lock while this runs, shown to anyone refused: `slack:U0123ABCD`, `github:octo/app#42`. */
  owner: string;
  parameterPrefix: string;
  signal?: AbortSignal;
  pacer?: PacerSettings;
  /**
   * Names a request that may be delivered more than once (a Lambda async invocation can arrive twice). It is kept
   * in the instance's history, and a request whose id is already there is refused instead of restarting again.
   */
  requestId?: string;
}

/** The terms of `worstCaseDurationSeconds`, in seconds, named for an error message that shows the sum. */
export function worstCaseDurationTerms(target: Target): Array<{ name: string; seconds: number }> {
  const t = target.timeouts;
  return [
    // Preflight may first wait out a pending/stopping instance.
    { name: 'start', seconds: t.start },
    { name: 'evidence', seconds: t.evidence },
    // The first wait for a new boot: after a reboot, or after a start when the instance was stopped.
    { name: t.start > t.reboot ? 'start' : 'reboot', seconds: Math.max(t.reboot, t.start) },
    ...(target.escalate ? [{ name: 'escalation', seconds: t.stop + t.forceStop + t.start }] : []),
    { name: 'compose', seconds: t.compose },
    { name: 'verify', seconds: t.verify },
    // API latency and bookkeeping.
    { name: 'margin', seconds: 60 },
  ];
}

/** How long the whole sequence may take at most: the lock's lifetime, and what a Lambda timeout must exceed. */
export function worstCaseDurationSeconds(target: Target): number {
  return worstCaseDurationTerms(target).reduce((sum, term) => sum + term.seconds, 0);
}

/** The signal's reason says who stopped the run: a cancelled workflow, or its `timeout-minutes`. */
function abortedError(signal: AbortSignal): RecoveryError {
  const reason = signal.reason instanceof Error ? `: ${signal.reason.message}` : '';
  return new RecoveryError('aborted', `the recovery was stopped before it finished${reason}`, {
    fix: 'Check the instance by hand: it may be between a restart and the compose app coming up.',
  });
}

/**
 * The recovery's clock: a sleep fails as `aborted` the moment the request's signal aborts. Waits between polls
 * last up to 15 s, and a cancelled GitHub run has 7.5 s between its SIGINT and its SIGTERM. Failing rather than
 * waking early matters: a loop that does not check the signal itself must not start polling back to back.
 */
function abortableClock(clock: Clock, signal: AbortSignal): Clock {
  return {
    now: () => clock.now(),
    async sleep(ms) {
      try {
        await clock.sleep(ms, signal);
      } catch (error) {
        if (signal.aborted) throw abortedError(signal);
        throw error;
      }
    },
  };
}

/**
 * Each call of the port fails as `aborted` the moment the signal aborts. A call inside the SDK's retries can take
 * a minute, which a cancelled run does not have; the call is abandoned, not stopped, and its answer ignored.
 */
function abortablePort<T extends object>(port: T, signal: AbortSignal): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        signal.aborted
          ? Promise.reject(abortedError(signal))
          : untilAborted(
              Promise.resolve((value as (...a: unknown[]) => unknown).apply(target, args)),
              signal,
            );
    },
  });
}

/** `promise`, or an `aborted` failure the moment `signal` aborts, whichever comes first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortedError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** How long a run that ends early waits for the cancels of its open commands, which go on without it after that. */
const CANCEL_WAIT_MS = 2_000;

/** Within how many seconds of its deadline a poll loop gives up: one slow API answer must not overrun it. */
const POLL = {
  /** Describe calls while an instance changes state: transitions take tens of seconds. */
  instanceState: 3_000,
  /**
   * The boot probe: shutdown, firmware, kernel and agent take well over 15 s on any instance, and an answer from
   * the old boot proves nothing, so earlier looks would only spend budget.
   */
  bootFirstLook: 15_000,
  /**
   * A delivered probe starts compose on the host by itself, so reading its answer a little later costs nothing;
   * while SSM refuses commands, though, every second until the next try delays compose.
   */
  bootAnswer: 6_000,
  bootRetrySend: 2_500,
  /**
   * Compose: its end is followed by the healthcheck's start period, which hides a late look; the calls saved
   * here are spent on verify, whose end is the recovery's end.
   */
  compose: { firstMs: 3_000, maxMs: 3_000 },
  verify: { firstMs: 500, maxMs: 1_000 },
  http: 1_000,
} as const;

/** The new boot must have started after the restart request, allowing this much host clock skew. */
const CLOCK_SKEW_MS = 5_000;

class StepFailure extends Error {
  readonly error: RecoveryError;
  constructor(error: RecoveryError) {
    super(error.message);
    this.error = error;
  }
}

/**
 * Runs DESIGN.md's recovery sequence for one target. Never throws for an operational failure: the outcome,
 * the reason and the fix are in the returned result, and every step is reported through `onEvent` as it happens.
 */
export async function runRecovery(
  request: RecoveryRequest,
  rawPorts: RecoveryPorts,
  onEvent: ProgressListener = () => {},
): Promise<RecoveryResult> {
  return new RecoveryRun(request, rawPorts, onEvent).run();
}

class RecoveryRun {
  private readonly request: RecoveryRequest;
  private readonly ports: RecoveryPorts;
  /** Not abortable: what a run does after it was stopped (release the lock, record history, cancel commands). */
  private readonly cleanup: Pick<RecoveryPorts, 'commands' | 'parameters'>;
  private readonly pacer: CallPacer;
  private readonly emitListener: ProgressListener;
  private readonly target: Target;
  private readonly startedAt: number;
  private readonly steps: StepRecord[] = [];
  private readonly warnings: string[] = [];
  private readonly commandIds: string[] = [];
  /**
   * Commands sent and not yet seen to end, which a run that ends early cancels: queued, a boot probe would still
   * start compose on a later boot. A `compose up` already on its way is left to finish, not cut off half-way.
   */
  private readonly openCommands = new Set<string>();
  /** The run is over: a command whose send was abandoned but that SSM accepted after all is cancelled at once. */
  private ended = false;
  /** The clock as given, for waits that must outlast a stopped run's signal. */
  private readonly cleanupClock: Clock;
  private evidence: Evidence | undefined;
  private bootIdBefore: string | undefined;
  private bootIdAfter: string | undefined;
  private newBootSeen = false;
  private escalated = false;
  private compose: CommandOutput | undefined;
  private services: RecoveryResult['services'];
  private releaseLock: (() => Promise<void>) | undefined;
  /** Names this recovery's compose run on the host, which the probe starts on the new boot. */
  private readonly composeRunId: string;
  private composeStartedByProbe = false;
  /** Read under the lock for the guard; reused when the outcome is appended. */
  private history: HistoryEntry[] | undefined;
  /** Set by the running step through `detail()`, taken by `step()` when it finishes. */
  private pendingDetail: string | undefined;

  constructor(request: RecoveryRequest, rawPorts: RecoveryPorts, onEvent: ProgressListener) {
    this.request = request;
    this.target = request.target;
    this.emitListener = onEvent;
    const clock =
      request.signal === undefined ? rawPorts.clock : abortableClock(rawPorts.clock, request.signal);
    this.pacer = new CallPacer(clock, request.pacer ?? DEFAULT_PACER);
    const metered: RecoveryPorts = {
      ec2: meterPorts(rawPorts.ec2, this.pacer),
      commands: meterPorts(rawPorts.commands, this.pacer),
      metrics: meterPorts(rawPorts.metrics, this.pacer),
      parameters: meterPorts(rawPorts.parameters, this.pacer),
      http: rawPorts.http,
      clock,
    };
    this.cleanup = { commands: metered.commands, parameters: metered.parameters };
    this.cleanupClock = rawPorts.clock;
    const signal = request.signal;
    this.ports =
      signal === undefined
        ? metered
        : {
            ec2: abortablePort(metered.ec2, signal),
            commands: abortablePort(metered.commands, signal),
            metrics: abortablePort(metered.metrics, signal),
            parameters: abortablePort(metered.parameters, signal),
            http: abortablePort(metered.http, signal),
            clock,
          };
    this.startedAt = rawPorts.clock.now();
    this.composeRunId = `${request.target.name}-${this.startedAt.toString(36)}-${randomBytes(3).toString('hex')}`;
  }

  private now(): number {
    return this.ports.clock.now();
  }

  private emit(event: DistributiveOmit<ProgressEvent, 'at' | 'target'>): void {
    try {
      this.emitListener({ ...event, at: this.now(), target: this.target.name } as ProgressEvent);
    } catch {
      // A renderer's failure (Slack down, a closed pipe) must never stop or fail the recovery itself.
    }
  }

  private progress(step: StepName, message: string): void {
    this.emit({ type: 'step-progress', step, message });
  }

  async run(): Promise<RecoveryResult> {
    const { target, trigger, dryRun } = this.request;
    this.emit({ type: 'recovery-started', instanceId: target.instanceId, trigger, dryRun });
    let failure: RecoveryError | undefined;
    let refusal: { error: RecoveryError; holder?: LockInfo } | undefined;
    try {
      const instance = await this.step('preflight', () => this.preflight());
      if (instance.refused !== undefined) {
        refusal = instance.refused;
      } else {
        await this.step('evidence', () => this.collectEvidence(instance.description));
        const restartedAt = await this.step('restart', () => this.restart(instance.description.state));
        await this.recoverBoot(restartedAt, instance.description.state === 'stopped');
        await this.step('compose-up', () => this.composeUp());
        await this.step('verify', () => this.verify());
      }
    } catch (error) {
      failure = error instanceof StepFailure ? error.error : asRecoveryError(error);
    }
    this.ended = true;
    // A run that failed or was stopped cancels what it left open (see openCommands), alongside the lock's release
    // rather than before it: a cancelled workflow has seconds, and SSM may be slow.
    const cancels = Promise.all([...this.openCommands].map((commandId) => this.cancelQuietly(commandId)));
    const result = this.buildResult(failure, refusal);
    await this.finish(result);
    await Promise.race([cancels, this.cleanupClock.sleep(CANCEL_WAIT_MS)]);
    this.emit({ type: 'recovery-finished', result });
    return result;
  }

  /** Runs one step with its events and record; a thrown error fails the step and ends the sequence. */
  private async step<T>(step: StepName, body: () => Promise<T>): Promise<T> {
    const startedAt = this.now();
    this.emit({ type: 'step-started', step, title: STEP_TITLES[step] });
    try {
      this.throwIfAborted();
      const value = await body();
      const durationMs = this.now() - startedAt;
      const detail = this.pendingDetail;
      this.pendingDetail = undefined;
      this.steps.push(record(step, 'succeeded', startedAt, durationMs, detail));
      this.emit(
        detail === undefined
          ? { type: 'step-finished', step, durationMs }
          : { type: 'step-finished', step, durationMs, detail },
      );
      return value;
    } catch (error) {
      const durationMs = this.now() - startedAt;
      const failure = error instanceof StepFailure ? error.error : asRecoveryError(error);
      this.pendingDetail = undefined;
      this.steps.push(record(step, 'failed', startedAt, durationMs, failure.message));
      this.emit({ type: 'step-failed', step, durationMs, error: summarizeError(failure) });
      throw new StepFailure(failure);
    }
  }

  /** The one-line outcome of the running step, shown beside its name when it finishes. */
  private detail(text: string): void {
    this.pendingDetail = text;
  }

  private skip(step: StepName, reason: string): void {
    this.steps.push(record(step, 'skipped', this.now(), 0, reason));
    this.emit({ type: 'step-skipped', step, reason });
  }

  private throwIfAborted(): void {
    if (this.request.signal?.aborted) throw abortedError(this.request.signal);
  }

  // 1. Preflight ----------------------------------------------------------------------------------------------

  private async preflight(): Promise<{
    description: InstanceDescription;
    refused?: { error: RecoveryError; holder?: LockInfo };
  }> {
    const { target, dryRun, trigger } = this.request;
    let description = await this.describe();
    if (description.state === 'pending' || description.state === 'stopping') {
      this.progress('preflight', `instance is ${description.state}; waiting for it to settle`);
      description = await this.waitForState(
        ['running', 'stopped'],
        this.now() + target.timeouts.start * 1000,
        'preflight',
      );
    }

    if (dryRun) {
      const holder = await readLock(this.ports.parameters, this.request.parameterPrefix, target.instanceId);
      if (holder !== undefined)
        this.warn(`a recovery by ${holder.owner} holds the lock since ${holder.acquiredAt}`);
      this.detail(`${description.instanceType}, ${description.state} (dry run: no lock taken)`);
      return { description };
    }

    // The lock's release must still work after an abort, so it is taken through the ports that are not abortable.
    const attempt = await acquireLock(this.cleanup.parameters, this.ports.clock, {
      prefix: this.request.parameterPrefix,
      instanceId: target.instanceId,
      owner: this.request.owner,
      trigger: trigger.kind,
      ttlMs: worstCaseDurationSeconds(target) * 1000,
    });
    if (!attempt.acquired) {
      const { holder, takeoverMarker } = attempt;
      const error =
        takeoverMarker === undefined
          ? new RecoveryError(
              'lock-held',
              `a recovery of ${target.name} is already running: started by ${holder.owner} at ${holder.acquiredAt}`,
              { fix: `Wait for it to finish (the lock expires at ${holder.expiresAt} at the latest).` },
            )
          : new RecoveryError(
              'lock-held',
              `the lock of ${target.name} (${holder.owner}, since ${holder.acquiredAt}) expired at ${holder.expiresAt}, and another recovery is taking it over`,
              {
                fix: `Try again in a minute. If this persists and no recovery is running, a takeover was interrupted: delete the parameters ${lockParameterName(this.request.parameterPrefix, target.instanceId)} and ${takeoverMarker}.`,
              },
            );
      this.detail('refused: another recovery holds the lock');
      return { description, refused: { error, holder: attempt.holder } };
    }
    this.releaseLock = attempt.release;
    if (attempt.takenOverFrom !== undefined) {
      this.warn(
        `took over an expired lock held by ${attempt.takenOverFrom.owner} since ${attempt.takenOverFrom.acquiredAt}`,
      );
    }

    const { requestId } = this.request;
    const automatic = isAutomatic(trigger);
    // Read under the lock: the guard counts it, a repeated request is found in it, and the outcome is appended to it.
    if (automatic || requestId !== undefined) {
      this.history = await readHistory(
        this.ports.parameters,
        this.request.parameterPrefix,
        target.instanceId,
      );
    }
    const history = this.history ?? [];
    const earlier =
      requestId === undefined ? undefined : history.find((e) => e.requestId === requestKey(requestId));
    if (earlier !== undefined) {
      this.detail('refused: this request already ran');
      return {
        description,
        refused: {
          error: new RecoveryError(
            'duplicate-request',
            `this request already ran: ${earlier.outcome} at ${earlier.startedAt}`,
            { fix: 'Nothing to do: the same request was delivered twice. Ask again for another restart.' },
          ),
        },
      };
    }
    const decision = automatic ? checkGuard(history, this.now(), target.guard) : undefined;
    if (decision !== undefined && !decision.allowed) {
      this.detail(`refused: ${decision.code}`);
      return {
        description,
        refused: { error: new RecoveryError(decision.code, decision.message, { fix: decision.fix }) },
      };
    }
    this.detail(`${description.instanceType}, ${description.state}, lock taken`);
    return { description };
  }

  private async describe(): Promise<InstanceDescription> {
    const { instanceId, name, region } = this.target;
    const description = await this.ports.ec2.describeInstance(instanceId);
    if (description === undefined) {
      throw new RecoveryError(
        'instance-not-found',
        `instance ${instanceId} of target ${name} does not exist in ${region}`,
        {
          fix: `Check targets.${name}.instanceId and region in the config.`,
        },
      );
    }
    if (description.state === 'terminated' || description.state === 'shutting-down') {
      throw new RecoveryError('instance-terminated', `instance ${instanceId} is ${description.state}`, {
        fix: 'A terminated instance cannot be recovered: point the target at its replacement.',
      });
    }
    return description;
  }

  private async waitForState(
    wanted: readonly InstanceState[],
    deadline: number,
    step: StepName,
  ): Promise<InstanceDescription> {
    let last: InstanceState | undefined;
    for (;;) {
      const description = await this.describe();
      if (wanted.includes(description.state)) return description;
      if (description.state !== last) {
        if (last !== undefined) this.progress(step, `instance is ${description.state}`);
        last = description.state;
      }
      if (this.now() >= deadline) {
        throw new RecoveryError(
          'timeout',
          `instance stayed ${description.state}, expected ${wanted.join(' or ')}`,
          {
            fix: 'Look at the instance in the EC2 console; raise the matching timeout if it is merely slow.',
          },
        );
      }
      await this.pacer.wait(POLL.instanceState, deadline);
      this.throwIfAborted();
    }
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.emit({ type: 'warning', message });
  }

  // 2. Evidence -----------------------------------------------------------------------------------------------

  private async collectEvidence(instance: InstanceDescription): Promise<void> {
    const { target, dryRun } = this.request;
    const evidence = await collectEvidence({
      ports: this.ports,
      pacer: this.pacer,
      instance,
      deadline: this.now() + target.timeouts.evidence * 1000,
      reachabilityOnly: dryRun,
      onCommand: (commandId) => {
        this.commandIds.push(commandId);
        this.openCommands.add(commandId);
      },
      onProgress: (message) => this.progress('evidence', message),
    });
    // Finished, or cancelled at its deadline.
    for (const commandId of this.commandIds) this.openCommands.delete(commandId);
    this.evidence = evidence;
    this.bootIdBefore = evidence.bootId;
    if (evidence.creditsExhausted === true) {
      this.warn(
        'CPU credits are exhausted: the instance is throttled to its baseline (10% on t2.micro) and a reboot will not restore credits. ' +
          'A stop/start resets T2 credits; for good, enable T2/T3 Unlimited or move to a larger type.',
      );
    }
    this.detail(evidenceSummary(evidence));
  }

  // 3. Restart ------------------------------------------------------------------------------------------------

  /** Resolves the instant the restart was requested, the reference for "a boot newer than this". */
  private async restart(state: InstanceState): Promise<number> {
    const { instanceId } = this.target;
    const dryRun = this.request.dryRun;
    const requestedAt = this.now();
    if (state === 'stopped') {
      await this.ports.ec2.startInstance(instanceId, { dryRun });
      this.detail(
        dryRun ? 'StartInstances would be allowed (dry run)' : 'instance was stopped: StartInstances sent',
      );
    } else {
      await this.ports.ec2.rebootInstance(instanceId, { dryRun });
      this.detail(dryRun ? 'RebootInstances would be allowed (dry run)' : 'RebootInstances sent');
    }
    return requestedAt;
  }

  // 4 + 5. Wait for a new boot, escalate ----------------------------------------------------------------------

  /** `started`: the restart was a StartInstances (the instance was stopped), which has a timeout of its own. */
  private async recoverBoot(restartedAt: number, started: boolean): Promise<void> {
    const { target, dryRun } = this.request;
    if (dryRun) {
      this.skip('wait-boot', 'dry run: would wait for an SSM answer from a new boot id');
      if (target.escalate) await this.step('escalate', () => this.escalate(true));
      else this.skip('escalate', 'escalation is disabled for this target');
      return;
    }
    const firstDeadline = restartedAt + (started ? target.timeouts.start : target.timeouts.reboot) * 1000;
    try {
      await this.step('wait-boot', () => this.waitForNewBoot(restartedAt, firstDeadline));
      return;
    } catch (error) {
      // A first wait that ran out is reported as failed, and escalation is what comes of it.
      const ranOut = error instanceof StepFailure && error.error.code === 'no-new-boot';
      if (!ranOut || !target.escalate) throw error;
    }
    const startedAt = await this.step('escalate', () => this.escalate(false));
    await this.step('wait-boot', () =>
      this.waitForNewBoot(startedAt, startedAt + target.timeouts.start * 1000),
    );
  }

  /**
   * A reboot never leaves `running` and status checks lag, so only the instance itself can prove it restarted:
   * a probe answered from a boot id other than the one before (or, without one, a boot that started after the
   * request). Fails with `no-new-boot` at the deadline; the caller may escalate.
   */
  private async waitForNewBoot(restartedAt: number, deadline: number): Promise<void> {
    const { instanceId } = this.target;
    let probe: string | undefined;
    let lastNote = '';
    const note = (message: string) => {
      if (message !== lastNote) this.progress('wait-boot', message);
      lastNote = message;
    };
    let wakeAt = await this.pacer.wait(POLL.bootFirstLook, deadline);
    while (wakeAt < deadline) {
      this.throwIfAborted();
      if (probe === undefined) {
        try {
          const probeScript = bootProbeScript({
            runId: this.composeRunId,
            rule: this.newBootRule(restartedAt),
            compose: this.composeOptions(),
          });
          probe = await this.send(probeScript, deadline, 30, 'boot probe');
          note('waiting for the instance to answer from a new boot');
        } catch (error) {
          if (!isRecoveryError(error, 'ssm-unreachable') && !isRecoveryError(error, 'throttled')) throw error;
          note('SSM does not reach the instance yet (expected while it reboots)');
        }
      } else {
        const invocation = await this.ports.commands.getInvocation(probe, instanceId);
        if (invocation !== undefined && TERMINAL_COMMAND_STATUSES.has(invocation.status)) {
          this.openCommands.delete(probe);
          probe = undefined;
          const answer = invocation.status === 'Success' ? parseBootProbe(invocation.stdout) : undefined;
          if (answer !== undefined && this.isNewBoot(answer, restartedAt)) {
            this.newBootSeen = true;
            this.bootIdAfter = answer.bootId;
            this.composeStartedByProbe = parseComposeStart(invocation.stdout) !== undefined;
            await this.waitForStatusChecks(deadline);
            this.detail(`new boot ${answer.bootId.slice(0, 8)} up for ${Math.round(answer.uptimeSeconds)} s`);
            return;
          }
          if (answer !== undefined) note('the old boot still answers: the shutdown has not begun yet');
        }
      }
      wakeAt = await this.pacer.wait(probe === undefined ? POLL.bootRetrySend : POLL.bootAnswer, deadline);
    }
    if (probe !== undefined) await this.cancelQuietly(probe);
    const waited = Math.round((deadline - restartedAt) / 1000);
    throw new RecoveryError('no-new-boot', `no answer from a new boot within ${waited} s`, {
      fix:
        'The instance may be stuck in shutdown or boot, or its SSM agent does not start. Check the system log ' +
        '(EC2 console: Monitor and troubleshoot, Get system log); a stop/start moves it to new hardware.',
    });
  }

  /** The same rule the host applies before it starts compose (see `bootProbeScript`) and `isNewBoot` applies here. */
  private newBootRule(restartedAt: number): NewBootRule {
    return this.bootIdBefore !== undefined
      ? { bootIdOtherThan: this.bootIdBefore }
      : { startedAfterEpochSeconds: Math.floor((restartedAt - CLOCK_SKEW_MS) / 1000) };
  }

  private isNewBoot(answer: BootProbe, restartedAt: number): boolean {
    if (this.bootIdBefore !== undefined) return answer.bootId !== this.bootIdBefore;
    // Without the boot id from before, fall back to when this boot started, by the host's own clock.
    if (answer.hostNowSeconds === undefined) return false;
    const bootStartedAt = (answer.hostNowSeconds - answer.uptimeSeconds) * 1000;
    return bootStartedAt >= restartedAt - CLOCK_SKEW_MS;
  }

  private async waitForStatusChecks(deadline: number): Promise<void> {
    if (!this.target.waitForStatusChecks) return;
    this.progress('wait-boot', 'new boot seen; waiting for EC2 status checks as configured');
    while (!(await this.ports.ec2.instanceStatusOk(this.target.instanceId))) {
      if (this.now() >= deadline) {
        this.warn(
          'EC2 status checks did not pass before the deadline; continuing, since the new boot answers',
        );
        return;
      }
      await this.pacer.wait(POLL.instanceState * 3, deadline);
    }
  }

  /** Stop (forced after its deadline), then start. Resolves the instant the start was requested. */
  private async escalate(dryRun: boolean): Promise<number> {
    const { instanceId, timeouts } = this.target;
    if (dryRun) {
      await this.ports.ec2.stopInstance(instanceId, { dryRun: true, force: false });
      await this.ports.ec2.startInstance(instanceId, { dryRun: true });
      this.detail('StopInstances and StartInstances would be allowed (dry run)');
      return this.now();
    }
    this.escalated = true;
    this.progress(
      'escalate',
      'stopping and starting the instance: it moves to new hardware, its public IP changes unless it has an Elastic IP, and on T2 its CPU credits reset',
    );
    await this.ports.ec2.stopInstance(instanceId, { dryRun: false, force: false });
    try {
      await this.waitForState(['stopped'], this.now() + timeouts.stop * 1000, 'escalate');
    } catch (error) {
      if (!isRecoveryError(error, 'timeout')) throw error;
      this.progress('escalate', `not stopped after ${timeouts.stop} s: forcing the stop`);
      await this.ports.ec2.stopInstance(instanceId, { dryRun: false, force: true });
      await this.waitForState(['stopped'], this.now() + timeouts.forceStop * 1000, 'escalate');
    }
    const startedAt = this.now();
    await this.ports.ec2.startInstance(instanceId, { dryRun: false });
    await this.waitForState(['running'], startedAt + timeouts.start * 1000, 'escalate');
    this.detail('stopped and started');
    return startedAt;
  }

  // 6. Compose up ---------------------------------------------------------------------------------------------

  private composeOptions() {
    const { compose } = this.target;
    return compose.user === undefined
      ? { command: compose.command, directory: compose.directory }
      : { command: compose.command, directory: compose.directory, user: compose.user };
  }

  private describeCompose(): string {
    const { compose } = this.target;
    const command = compose.command === 'auto' ? 'docker compose (or docker-compose)' : compose.command;
    return `\`${command} up -d\` in ${compose.directory}${compose.user === undefined ? '' : ` as ${compose.user}`}`;
  }

  private async composeUp(): Promise<void> {
    const { timeouts, compose } = this.target;
    if (this.request.dryRun) {
      this.detail(`dry run: would run ${this.describeCompose()}`);
      return;
    }
    // The probe that found the new boot already started compose there; otherwise (a host where that failed, say)
    // run it now.
    const script = this.composeStartedByProbe
      ? composeWaitScript({ runId: this.composeRunId, waitSeconds: timeouts.compose })
      : composeUpScript(this.composeOptions());
    if (this.composeStartedByProbe) {
      this.progress(
        'compose-up',
        `the new boot started ${this.describeCompose()} itself; waiting for it to finish`,
      );
    }
    const invocation = await this.runCommand(script, timeouts.compose, 'compose up', POLL.compose);
    this.compose = commandOutput(invocation);
    if (invocation.status !== 'Success' || invocation.exitCode !== 0) {
      const exit = invocation.exitCode ?? -1;
      const fix =
        exit === 127
          ? `Install Docker Compose on the instance, or set compose.command to the one it has.`
          : `Run \`docker compose up -d\` in ${compose.directory} on the instance to see the whole error.`;
      throw new RecoveryError(
        'compose-failed',
        `compose up ${exitedOrEnded(invocation)}: ${lastLine(invocation.stderr || invocation.stdout)}`,
        { fix },
      );
    }
    this.detail(`exit 0`);
  }

  // 7. Verify -------------------------------------------------------------------------------------------------

  private async verify(): Promise<void> {
    const { timeouts, healthCheck } = this.target;
    if (this.request.dryRun) {
      this.detail(
        `dry run: would check docker compose ps${healthCheck === undefined ? '' : ` and ${shownUrl(healthCheck.url)}`}`,
      );
      return;
    }
    const deadline = this.now() + timeouts.verify * 1000;
    // The host waits for healthchecks itself; leave a little of the deadline for the SSM round trips.
    const hostWait = Math.max(5, timeouts.verify - 15);
    const invocation = await this.runCommand(
      composePsScript({ ...this.composeOptions(), waitSeconds: hostWait }),
      timeouts.verify,
      'compose ps',
      POLL.verify,
    );
    if (invocation.status !== 'Success') {
      throw new RecoveryError(
        'verify-failed',
        `docker compose ps ${exitedOrEnded(invocation)}: ${lastLine(invocation.stderr)}`,
        {
          fix: 'Run `docker compose ps` on the instance.',
        },
      );
    }
    const services = parseComposePs(invocation.stdout);
    this.services = services;
    if (services.length === 0) {
      throw new RecoveryError('verify-failed', 'docker compose ps lists no services', {
        fix: `Check compose.directory (${this.target.compose.directory}): it must hold the compose file.`,
      });
    }
    const notReady = services.filter(
      (s) => s.state !== 'running' || (s.health !== '' && s.health !== 'healthy'),
    );
    if (notReady.length > 0) {
      const list = notReady
        .map((s) => `${s.service} ${s.state}${s.health === '' ? '' : ` (${s.health})`}`)
        .join(', ');
      throw new RecoveryError('verify-failed', `not every service is up: ${list}`, {
        fix: 'Read the logs of those services: `docker compose logs --tail 50 <service>`.',
      });
    }
    let detail = `${services.length} services running`;
    if (healthCheck !== undefined) {
      const status = await this.probeHttp(healthCheck.url, healthCheck.expectStatus, deadline);
      detail += `, ${shownUrl(healthCheck.url)} answered ${status}`;
    }
    this.detail(detail);
  }

  private async probeHttp(url: string, expectStatus: number | undefined, deadline: number): Promise<number> {
    let last = 'no answer';
    for (;;) {
      const answer = await this.ports.http.get(url, 5_000);
      if ('status' in answer) {
        const ok =
          expectStatus === undefined
            ? answer.status >= 200 && answer.status < 400
            : answer.status === expectStatus;
        if (ok) return answer.status;
        last = `HTTP ${answer.status}`;
      } else {
        last = answer.error;
      }
      if (this.now() >= deadline) {
        throw new RecoveryError('verify-failed', `${shownUrl(url)} did not answer as expected: ${last}`, {
          fix: `Check the app's logs; expected ${expectStatus ?? 'a 2xx or 3xx status'}.`,
        });
      }
      this.progress('verify', `${shownUrl(url)}: ${last}; trying again`);
      await this.ports.clock.sleep(Math.min(POLL.http, Math.max(0, deadline - this.now())));
    }
  }

  // SSM commands ----------------------------------------------------------------------------------------------

  private async send(
    commands: string[],
    deadline: number,
    executionSeconds: number,
    comment: string,
  ): Promise<string> {
    const sending = this.cleanup.commands.sendCommand({
      instanceId: this.target.instanceId,
      commands,
      deliveryTimeoutSeconds: Math.max(30, Math.ceil((deadline - this.now()) / 1000)),
      executionTimeoutSeconds: executionSeconds,
      comment: `domtory-recovery ${comment} (${this.target.name})`,
    });
    // A stopped run stops waiting for the answer, but a command SSM accepts after all is still known, and
    // cancelled the moment it is, so that nothing the run sent outlives it unseen.
    const cancellable = remoteScriptKind(commands) !== 'compose-up';
    sending.then(
      ({ commandId }) => {
        if (this.ended) {
          if (cancellable) void this.cancelQuietly(commandId);
          return;
        }
        this.commandIds.push(commandId);
        if (cancellable) this.openCommands.add(commandId);
      },
      () => {},
    );
    const signal = this.request.signal;
    const { commandId } = await (signal === undefined ? sending : untilAborted(sending, signal));
    return commandId;
  }

  /** Sends a command and waits for it to finish; at the deadline it is cancelled and the step fails. */
  private async runCommand(
    commands: string[],
    timeoutSeconds: number,
    comment: string,
    cadence: CommandWait['cadence'],
  ): Promise<CommandInvocation> {
    const deadline = this.now() + timeoutSeconds * 1000;
    const commandId = await this.send(commands, deadline, timeoutSeconds, comment);
    const wait = await waitForCommand(this.ports.commands, this.ports.clock, {
      commandId,
      instanceId: this.target.instanceId,
      deadline,
      cadence,
      pause: async (ms, until) => {
        await this.pacer.wait(ms, until);
        this.throwIfAborted();
      },
    });
    // Finished, or cancelled at its deadline.
    this.openCommands.delete(commandId);
    if (wait.finished) return wait.invocation;
    throw new RecoveryError(
      'timeout',
      `${comment} did not finish within ${timeoutSeconds} s (command ${commandId})`,
      {
        fix: 'Look at the command in Systems Manager, Run Command; raise the timeout if the app is merely slow to start.',
      },
    );
  }

  private async cancelQuietly(commandId: string): Promise<void> {
    this.openCommands.delete(commandId);
    try {
      await this.cleanup.commands.cancelCommand(commandId, this.target.instanceId);
    } catch {
      // A command that already finished cannot be cancelled; nothing is left to undo.
    }
  }

  // 8. Done ---------------------------------------------------------------------------------------------------

  private buildResult(
    failure: RecoveryError | undefined,
    refusal: { error: RecoveryError; holder?: LockInfo } | undefined,
  ): RecoveryResult {
    const { target, trigger, dryRun } = this.request;
    const finishedAt = this.now();
    const outcome =
      refusal !== undefined
        ? 'refused'
        : failure !== undefined
          ? 'failed'
          : dryRun
            ? 'rehearsed'
            : 'recovered';
    const result: RecoveryResult = {
      target: target.name,
      instanceId: target.instanceId,
      trigger,
      dryRun,
      outcome,
      startedAt: new Date(this.startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      durationMs: finishedAt - this.startedAt,
      steps: this.steps,
      newBootSeen: this.newBootSeen,
      escalated: this.escalated,
      commandIds: this.commandIds,
      warnings: this.warnings,
    };
    if (this.request.requestId !== undefined) result.requestId = this.request.requestId;
    const error = refusal?.error ?? failure;
    if (error !== undefined) result.error = summarizeError(error);
    if (refusal?.holder !== undefined) result.lockHolder = refusal.holder;
    if (this.evidence !== undefined) result.evidence = this.evidence;
    if (this.bootIdBefore !== undefined) result.bootIdBefore = this.bootIdBefore;
    if (this.bootIdAfter !== undefined) result.bootIdAfter = this.bootIdAfter;
    if (this.compose !== undefined) result.compose = this.compose;
    if (this.services !== undefined) result.services = this.services;
    return result;
  }

  /** Records the outcome and releases the lock; bookkeeping failures become warnings, never a different outcome. */
  private async finish(result: RecoveryResult): Promise<void> {
    const startedAt = this.now();
    this.emit({ type: 'step-started', step: 'done', title: STEP_TITLES.done });
    const notes: string[] = [];
    if (this.releaseLock !== undefined && result.outcome !== 'refused') {
      try {
        await appendHistory(
          this.cleanup.parameters,
          this.request.parameterPrefix,
          this.target.instanceId,
          historyEntryOf(result),
          this.history,
        );
      } catch (error) {
        notes.push(`history not recorded: ${summarizeError(error).message}`);
      }
    }
    if (this.releaseLock !== undefined) {
      try {
        await this.releaseLock();
      } catch (error) {
        notes.push(`lock not released (it expires by itself): ${summarizeError(error).message}`);
      }
    }
    for (const note of notes) this.warn(note);
    const durationMs = this.now() - startedAt;
    const detail = `${result.outcome} in ${Math.round(result.durationMs / 1000)} s`;
    this.steps.push(record('done', 'succeeded', startedAt, durationMs, detail));
    this.emit({ type: 'step-finished', step: 'done', durationMs, detail });
    result.finishedAt = new Date(this.now()).toISOString();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function record(
  step: StepName,
  status: StepRecord['status'],
  startedAt: number,
  durationMs: number,
  detail?: string,
): StepRecord {
  const entry: StepRecord = { step, status, startedAt: new Date(startedAt).toISOString(), durationMs };
  if (detail !== undefined) entry.detail = detail;
  return entry;
}

function asRecoveryError(error: unknown): RecoveryError {
  if (error instanceof RecoveryError) return error;
  return new RecoveryError('aws-error', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}

function commandOutput(invocation: CommandInvocation): CommandOutput {
  return {
    commandId: invocation.commandId,
    exitCode: invocation.exitCode,
    status: invocation.status,
    stdoutTail: tail(invocation.stdout),
    stderrTail: tail(invocation.stderr),
  };
}

/** SSM reports a script's non-zero exit as status `Failed` with the exit code; other statuses mean it never finished. */
function exitedOrEnded(invocation: CommandInvocation): string {
  const exited =
    (invocation.status === 'Success' || invocation.status === 'Failed') && (invocation.exitCode ?? -1) >= 0;
  return exited ? `exited ${invocation.exitCode}` : `ended ${invocation.status}`;
}

/** The last line that says something: SSM appends "failed to run commands: exit status N" to a failed script's stderr. */
function lastLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^failed to run commands: exit status \d+$/.test(line.trim()));
  return (lines.at(-1) ?? '(no output)').slice(0, 300);
}

function evidenceSummary(evidence: Evidence): string {
  const parts: string[] = [];
  if (evidence.bootId !== undefined) parts.push(`boot ${evidence.bootId.slice(0, 8)}`);
  if (evidence.uptimeSeconds !== undefined) parts.push(`up ${formatDuration(evidence.uptimeSeconds)}`);
  const cpu = evidence.cpuUtilization?.at(-1);
  if (cpu !== undefined) parts.push(`CPU ${cpu.value.toFixed(1)}%`);
  const credits = evidence.cpuCreditBalance?.at(-1);
  if (credits !== undefined) parts.push(`credits ${credits.value.toFixed(1)}`);
  if (parts.length === 0) return evidence.notes[0] ?? 'nothing collected';
  return parts.join(', ');
}

export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
