export const id = 343;
export const ids = [343];
export const modules = {

/***/ 1343:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  restart: () => (/* binding */ restart)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./shared/config/shown-url.ts
var shown_url = __webpack_require__(6348);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/ports.ts + 1 modules
var ports = __webpack_require__(3490);
// EXTERNAL MODULE: ./shared/state/history.ts
var state_history = __webpack_require__(160);
// EXTERNAL MODULE: ./shared/state/lock.ts
var lock = __webpack_require__(5745);
// EXTERNAL MODULE: ./shared/recovery/command-wait.ts
var command_wait = __webpack_require__(9387);
;// CONCATENATED MODULE: ./shared/recovery/events.ts
/** The steps of DESIGN.md's recovery sequence, in order. */
const STEPS = (/* unused pure expression or super */ null && ([
    'preflight',
    'evidence',
    'restart',
    'wait-boot',
    'escalate',
    'compose-up',
    'verify',
    'done',
]));
const STEP_TITLES = {
    preflight: 'Preflight',
    evidence: 'Collect evidence',
    restart: 'Restart instance',
    'wait-boot': 'Wait for a new boot',
    escalate: 'Escalate to stop/start',
    'compose-up': 'Start the compose app',
    verify: 'Verify the app',
    done: 'Record the outcome',
};
/** Alarm triggers act without a person, so only they are subject to cooldown and the loop guard. */
const isAutomatic = (trigger) => trigger.kind === 'alarm';

// EXTERNAL MODULE: ./shared/recovery/remote-scripts.ts
var remote_scripts = __webpack_require__(4889);
;// CONCATENATED MODULE: ./shared/recovery/evidence.ts



/** Below this many credits a burstable instance is effectively pinned to its baseline. */
const CREDITS_EXHAUSTED_BELOW = 2;
const METRIC_WINDOW_MS = 30 * 60_000;
const isBurstable = (instanceType) => /^t\d[a-z]*\./.test(instanceType);
/**
 * Best effort, inside a short deadline: a hung host rarely answers, and the reboot must not wait on it.
 * What the host says is what a person wants to read after the fact: what pinned the CPU, memory, OOM kills.
 */
async function collectEvidence(request) {
    const evidence = { notes: [] };
    await Promise.all([fromHost(request, evidence), fromMetrics(request, evidence)]);
    return evidence;
}
async function fromHost(request, evidence) {
    const { ports, instance } = request;
    if (instance.state !== 'running') {
        evidence.notes.push(`instance is ${instance.state}: nothing to ask it`);
        return;
    }
    if (request.reachabilityOnly) {
        const status = await ports.commands.agentPingStatus(instance.instanceId);
        evidence.notes.push(`SSM agent ping status: ${status}`);
        return;
    }
    try {
        await askHost(request, evidence);
    }
    catch (error) {
        if ((0,errors/* isRecoveryError */.Co)(error, 'ssm-unreachable')) {
            evidence.notes.push('SSM does not reach the instance (usual for a hung one): no evidence from the host');
            return;
        }
        // Best effort: a throttled or failing SSM call costs the evidence, not the recovery. What no retry can cure
        // (a missing permission, a cancelled run) stops it here, before the restart, since the steps after the
        // restart would make the same calls.
        if (!(0,errors/* isRecoveryError */.Co)(error) || !TOLERATED.has(error.code))
            throw error;
        request.onProgress('could not ask the host; restarting without host evidence');
        evidence.notes.push(`no evidence from the host: ${(0,errors/* summarizeError */.Gg)(error).message}`);
    }
}
const TOLERATED = new Set(['throttled', 'aws-error', 'timeout']);
async function askHost(request, evidence) {
    const { ports, instance, deadline, pacer } = request;
    const { commandId } = await ports.commands.sendCommand({
        instanceId: instance.instanceId,
        commands: (0,remote_scripts/* evidenceScript */.BZ)(),
        deliveryTimeoutSeconds: 30,
        executionTimeoutSeconds: 30,
        comment: 'domtory-recovery evidence',
    });
    request.onCommand(commandId);
    const wait = await (0,command_wait/* waitForCommand */.c)(ports.commands, ports.clock, {
        commandId,
        instanceId: instance.instanceId,
        deadline,
        // The script takes a few seconds on a struggling host; looking sooner only spends calls.
        cadence: { firstMs: 1_500, maxMs: 2_000 },
        pause: (ms, until) => pacer.wait(ms, until),
    });
    if (wait.finished) {
        const { invocation } = wait;
        const sections = (0,remote_scripts/* parseEvidence */.vf)(invocation.stdout);
        if (sections.boot !== undefined) {
            evidence.bootId = sections.boot.bootId;
            evidence.uptimeSeconds = sections.boot.uptimeSeconds;
        }
        if (sections.top !== undefined)
            evidence.topProcesses = sections.top;
        if (sections.dockerStats !== undefined)
            evidence.dockerStats = sections.dockerStats;
        if (sections.memory !== undefined)
            evidence.memory = sections.memory;
        if (sections.oom !== undefined)
            evidence.oomKills = sections.oom;
        if (invocation.status !== 'Success')
            evidence.notes.push(`evidence command ended ${invocation.status}`);
        return;
    }
    request.onProgress('the instance did not answer in time; restarting without host evidence');
    evidence.notes.push('SSM did not answer before the evidence deadline (usual for a hung instance)');
}
async function fromMetrics(request, evidence) {
    const { ports, instance } = request;
    const end = new Date(ports.clock.now());
    const start = new Date(end.getTime() - METRIC_WINDOW_MS);
    const query = { instanceId: instance.instanceId, start, end, periodSeconds: 300 };
    const read = async (metric) => {
        try {
            return await ports.metrics.getDatapoints({
                ...query,
                metric,
                statistic: metric === 'CPUUtilization' ? 'Maximum' : 'Minimum',
            });
        }
        catch (error) {
            evidence.notes.push(`${metric} unavailable: ${(0,errors/* summarizeError */.Gg)(error).message}`);
            return undefined;
        }
    };
    const [cpu, credits] = await Promise.all([
        read('CPUUtilization'),
        isBurstable(instance.instanceType) ? read('CPUCreditBalance') : Promise.resolve(undefined),
    ]);
    if (cpu !== undefined)
        evidence.cpuUtilization = cpu;
    if (credits !== undefined) {
        evidence.cpuCreditBalance = credits;
        const latest = credits.at(-1);
        if (latest !== undefined)
            evidence.creditsExhausted = latest.value < CREDITS_EXHAUSTED_BELOW;
    }
}

;// CONCATENATED MODULE: ./shared/recovery/pacer.ts
const DEFAULT_PACER = { callsPerSecond: 0.4, burst: 10 };
class CallPacer {
    tokens;
    updatedAt;
    clock;
    settings;
    calls = 0;
    constructor(clock, settings = DEFAULT_PACER) {
        this.clock = clock;
        this.settings = settings;
        this.tokens = settings.burst;
        this.updatedAt = clock.now();
    }
    /** Records a call that has to happen now (a reboot, a lock); it may take the bucket below zero. */
    spend() {
        this.refill();
        this.tokens -= 1;
        this.calls += 1;
    }
    /**
     * Sleeps at least `preferredMs`, and longer if the bucket is empty, but never past `deadline`.
     * Resolves the instant it woke up.
     */
    async wait(preferredMs, deadline) {
        this.refill();
        const start = this.clock.now();
        const untilTokenMs = this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.settings.callsPerSecond) * 1000;
        const delay = Math.min(Math.max(preferredMs, untilTokenMs), Math.max(0, deadline - start));
        if (delay > 0)
            await this.clock.sleep(delay);
        return this.clock.now();
    }
    refill() {
        const now = this.clock.now();
        const earned = ((now - this.updatedAt) / 1000) * this.settings.callsPerSecond;
        this.tokens = Math.min(this.settings.burst, this.tokens + earned);
        this.updatedAt = now;
    }
}
/** Wraps every AWS-facing port so each call is counted against the pacer (the HTTP probe and clock are free). */
function meterPorts(port, pacer) {
    return new Proxy(port, {
        get(target, key, receiver) {
            const value = Reflect.get(target, key, receiver);
            if (typeof value !== 'function')
                return value;
            return (...args) => {
                pacer.spend();
                return value.apply(target, args);
            };
        },
    });
}

;// CONCATENATED MODULE: ./shared/recovery/sequence.ts











/** The terms of `worstCaseDurationSeconds`, in seconds, named for an error message that shows the sum. */
function worstCaseDurationTerms(target) {
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
function worstCaseDurationSeconds(target) {
    return worstCaseDurationTerms(target).reduce((sum, term) => sum + term.seconds, 0);
}
/** The signal's reason says who stopped the run: a cancelled workflow, or its `timeout-minutes`. */
function abortedError(signal) {
    const reason = signal.reason instanceof Error ? `: ${signal.reason.message}` : '';
    return new errors/* RecoveryError */.gN('aborted', `the recovery was stopped before it finished${reason}`, {
        fix: 'Check the instance by hand: it may be between a restart and the compose app coming up.',
    });
}
/**
 * The recovery's clock: a sleep fails as `aborted` the moment the request's signal aborts. Waits between polls
 * last up to 15 s, and a cancelled GitHub run has 7.5 s between its SIGINT and its SIGTERM. Failing rather than
 * waking early matters: a loop that does not check the signal itself must not start polling back to back.
 */
function abortableClock(clock, signal) {
    return {
        now: () => clock.now(),
        async sleep(ms) {
            try {
                await clock.sleep(ms, signal);
            }
            catch (error) {
                if (signal.aborted)
                    throw abortedError(signal);
                throw error;
            }
        },
    };
}
/**
 * Each call of the port fails as `aborted` the moment the signal aborts. A call inside the SDK's retries can take
 * a minute, which a cancelled run does not have; the call is abandoned, not stopped, and its answer ignored.
 */
function abortablePort(port, signal) {
    return new Proxy(port, {
        get(target, key, receiver) {
            const value = Reflect.get(target, key, receiver);
            if (typeof value !== 'function')
                return value;
            return (...args) => signal.aborted
                ? Promise.reject(abortedError(signal))
                : untilAborted(Promise.resolve(value.apply(target, args)), signal);
        },
    });
}
/** `promise`, or an `aborted` failure the moment `signal` aborts, whichever comes first. */
function untilAborted(promise, signal) {
    if (signal.aborted)
        return Promise.reject(abortedError(signal));
    return new Promise((resolve, reject) => {
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
};
/** The new boot must have started after the restart request, allowing this much host clock skew. */
const CLOCK_SKEW_MS = 5_000;
class StepFailure extends Error {
    error;
    constructor(error) {
        super(error.message);
        this.error = error;
    }
}
/**
 * Runs DESIGN.md's recovery sequence for one target. Never throws for an operational failure: the outcome,
 * the reason and the fix are in the returned result, and every step is reported through `onEvent` as it happens.
 */
async function runRecovery(request, rawPorts, onEvent = () => { }) {
    return new RecoveryRun(request, rawPorts, onEvent).run();
}
class RecoveryRun {
    request;
    ports;
    /** Not abortable: what a run does after it was stopped (release the lock, record history, cancel commands). */
    cleanup;
    pacer;
    emitListener;
    target;
    startedAt;
    steps = [];
    warnings = [];
    commandIds = [];
    /**
     * Commands sent and not yet seen to end, which a run that ends early cancels: queued, a boot probe would still
     * start compose on a later boot. A `compose up` already on its way is left to finish, not cut off half-way.
     */
    openCommands = new Set();
    /** The run is over: a command whose send was abandoned but that SSM accepted after all is cancelled at once. */
    ended = false;
    /** The clock as given, for waits that must outlast a stopped run's signal. */
    cleanupClock;
    evidence;
    bootIdBefore;
    bootIdAfter;
    newBootSeen = false;
    escalated = false;
    compose;
    services;
    releaseLock;
    /** Names this recovery's compose run on the host, which the probe starts on the new boot. */
    composeRunId;
    composeStartedByProbe = false;
    /** Read under the lock for the guard; reused when the outcome is appended. */
    history;
    /** Set by the running step through `detail()`, taken by `step()` when it finishes. */
    pendingDetail;
    constructor(request, rawPorts, onEvent) {
        this.request = request;
        this.target = request.target;
        this.emitListener = onEvent;
        const clock = request.signal === undefined ? rawPorts.clock : abortableClock(rawPorts.clock, request.signal);
        this.pacer = new CallPacer(clock, request.pacer ?? DEFAULT_PACER);
        const metered = {
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
        this.composeRunId = `${request.target.name}-${this.startedAt.toString(36)}-${(0,external_node_crypto_.randomBytes)(3).toString('hex')}`;
    }
    now() {
        return this.ports.clock.now();
    }
    emit(event) {
        try {
            this.emitListener({ ...event, at: this.now(), target: this.target.name });
        }
        catch {
            // A renderer's failure (Slack down, a closed pipe) must never stop or fail the recovery itself.
        }
    }
    progress(step, message) {
        this.emit({ type: 'step-progress', step, message });
    }
    async run() {
        const { target, trigger, dryRun } = this.request;
        this.emit({ type: 'recovery-started', instanceId: target.instanceId, trigger, dryRun });
        let failure;
        let refusal;
        try {
            const instance = await this.step('preflight', () => this.preflight());
            if (instance.refused !== undefined) {
                refusal = instance.refused;
            }
            else {
                await this.step('evidence', () => this.collectEvidence(instance.description));
                const restartedAt = await this.step('restart', () => this.restart(instance.description.state));
                await this.recoverBoot(restartedAt, instance.description.state === 'stopped');
                await this.step('compose-up', () => this.composeUp());
                await this.step('verify', () => this.verify());
            }
        }
        catch (error) {
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
    async step(step, body) {
        const startedAt = this.now();
        this.emit({ type: 'step-started', step, title: STEP_TITLES[step] });
        try {
            this.throwIfAborted();
            const value = await body();
            const durationMs = this.now() - startedAt;
            const detail = this.pendingDetail;
            this.pendingDetail = undefined;
            this.steps.push(record(step, 'succeeded', startedAt, durationMs, detail));
            this.emit(detail === undefined
                ? { type: 'step-finished', step, durationMs }
                : { type: 'step-finished', step, durationMs, detail });
            return value;
        }
        catch (error) {
            const durationMs = this.now() - startedAt;
            const failure = error instanceof StepFailure ? error.error : asRecoveryError(error);
            this.pendingDetail = undefined;
            this.steps.push(record(step, 'failed', startedAt, durationMs, failure.message));
            this.emit({ type: 'step-failed', step, durationMs, error: (0,errors/* summarizeError */.Gg)(failure) });
            throw new StepFailure(failure);
        }
    }
    /** The one-line outcome of the running step, shown beside its name when it finishes. */
    detail(text) {
        this.pendingDetail = text;
    }
    skip(step, reason) {
        this.steps.push(record(step, 'skipped', this.now(), 0, reason));
        this.emit({ type: 'step-skipped', step, reason });
    }
    throwIfAborted() {
        if (this.request.signal?.aborted)
            throw abortedError(this.request.signal);
    }
    // 1. Preflight ----------------------------------------------------------------------------------------------
    async preflight() {
        const { target, dryRun, trigger } = this.request;
        let description = await this.describe();
        if (description.state === 'pending' || description.state === 'stopping') {
            this.progress('preflight', `instance is ${description.state}; waiting for it to settle`);
            description = await this.waitForState(['running', 'stopped'], this.now() + target.timeouts.start * 1000, 'preflight');
        }
        if (dryRun) {
            const holder = await (0,lock/* readLock */.mF)(this.ports.parameters, this.request.parameterPrefix, target.instanceId);
            if (holder !== undefined)
                this.warn(`a recovery by ${holder.owner} holds the lock since ${holder.acquiredAt}`);
            this.detail(`${description.instanceType}, ${description.state} (dry run: no lock taken)`);
            return { description };
        }
        // The lock's release must still work after an abort, so it is taken through the ports that are not abortable.
        const attempt = await (0,lock/* acquireLock */.IZ)(this.cleanup.parameters, this.ports.clock, {
            prefix: this.request.parameterPrefix,
            instanceId: target.instanceId,
            owner: this.request.owner,
            trigger: trigger.kind,
            ttlMs: worstCaseDurationSeconds(target) * 1000,
        });
        if (!attempt.acquired) {
            const { holder, takeoverMarker } = attempt;
            const error = takeoverMarker === undefined
                ? new errors/* RecoveryError */.gN('lock-held', `a recovery of ${target.name} is already running: started by ${holder.owner} at ${holder.acquiredAt}`, { fix: `Wait for it to finish (the lock expires at ${holder.expiresAt} at the latest).` })
                : new errors/* RecoveryError */.gN('lock-held', `the lock of ${target.name} (${holder.owner}, since ${holder.acquiredAt}) expired at ${holder.expiresAt}, and another recovery is taking it over`, {
                    fix: `Try again in a minute. If this persists and no recovery is running, a takeover was interrupted: delete the parameters ${(0,lock/* lockParameterName */.oM)(this.request.parameterPrefix, target.instanceId)} and ${takeoverMarker}.`,
                });
            this.detail('refused: another recovery holds the lock');
            return { description, refused: { error, holder: attempt.holder } };
        }
        this.releaseLock = attempt.release;
        if (attempt.takenOverFrom !== undefined) {
            this.warn(`took over an expired lock held by ${attempt.takenOverFrom.owner} since ${attempt.takenOverFrom.acquiredAt}`);
        }
        const { requestId } = this.request;
        const automatic = isAutomatic(trigger);
        // Read under the lock: the guard counts it, a repeated request is found in it, and the outcome is appended to it.
        if (automatic || requestId !== undefined) {
            this.history = await (0,state_history/* readHistory */.Lu)(this.ports.parameters, this.request.parameterPrefix, target.instanceId);
        }
        const history = this.history ?? [];
        const earlier = requestId === undefined ? undefined : history.find((e) => e.requestId === (0,state_history/* requestKey */.lq)(requestId));
        if (earlier !== undefined) {
            this.detail('refused: this request already ran');
            return {
                description,
                refused: {
                    error: new errors/* RecoveryError */.gN('duplicate-request', `this request already ran: ${earlier.outcome} at ${earlier.startedAt}`, { fix: 'Nothing to do: the same request was delivered twice. Ask again for another restart.' }),
                },
            };
        }
        const decision = automatic ? (0,state_history/* checkGuard */._S)(history, this.now(), target.guard) : undefined;
        if (decision !== undefined && !decision.allowed) {
            this.detail(`refused: ${decision.code}`);
            return {
                description,
                refused: { error: new errors/* RecoveryError */.gN(decision.code, decision.message, { fix: decision.fix }) },
            };
        }
        this.detail(`${description.instanceType}, ${description.state}, lock taken`);
        return { description };
    }
    async describe() {
        const { instanceId, name, region } = this.target;
        const description = await this.ports.ec2.describeInstance(instanceId);
        if (description === undefined) {
            throw new errors/* RecoveryError */.gN('instance-not-found', `instance ${instanceId} of target ${name} does not exist in ${region}`, {
                fix: `Check targets.${name}.instanceId and region in the config.`,
            });
        }
        if (description.state === 'terminated' || description.state === 'shutting-down') {
            throw new errors/* RecoveryError */.gN('instance-terminated', `instance ${instanceId} is ${description.state}`, {
                fix: 'A terminated instance cannot be recovered: point the target at its replacement.',
            });
        }
        return description;
    }
    async waitForState(wanted, deadline, step) {
        let last;
        for (;;) {
            const description = await this.describe();
            if (wanted.includes(description.state))
                return description;
            if (description.state !== last) {
                if (last !== undefined)
                    this.progress(step, `instance is ${description.state}`);
                last = description.state;
            }
            if (this.now() >= deadline) {
                throw new errors/* RecoveryError */.gN('timeout', `instance stayed ${description.state}, expected ${wanted.join(' or ')}`, {
                    fix: 'Look at the instance in the EC2 console; raise the matching timeout if it is merely slow.',
                });
            }
            await this.pacer.wait(POLL.instanceState, deadline);
            this.throwIfAborted();
        }
    }
    warn(message) {
        this.warnings.push(message);
        this.emit({ type: 'warning', message });
    }
    // 2. Evidence -----------------------------------------------------------------------------------------------
    async collectEvidence(instance) {
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
        for (const commandId of this.commandIds)
            this.openCommands.delete(commandId);
        this.evidence = evidence;
        this.bootIdBefore = evidence.bootId;
        if (evidence.creditsExhausted === true) {
            this.warn('CPU credits are exhausted: the instance is throttled to its baseline (10% on t2.micro) and a reboot will not restore credits. ' +
                'A stop/start resets T2 credits; for good, enable T2/T3 Unlimited or move to a larger type.');
        }
        this.detail(evidenceSummary(evidence));
    }
    // 3. Restart ------------------------------------------------------------------------------------------------
    /** Resolves the instant the restart was requested, the reference for "a boot newer than this". */
    async restart(state) {
        const { instanceId } = this.target;
        const dryRun = this.request.dryRun;
        const requestedAt = this.now();
        if (state === 'stopped') {
            await this.ports.ec2.startInstance(instanceId, { dryRun });
            this.detail(dryRun ? 'StartInstances would be allowed (dry run)' : 'instance was stopped: StartInstances sent');
        }
        else {
            await this.ports.ec2.rebootInstance(instanceId, { dryRun });
            this.detail(dryRun ? 'RebootInstances would be allowed (dry run)' : 'RebootInstances sent');
        }
        return requestedAt;
    }
    // 4 + 5. Wait for a new boot, escalate ----------------------------------------------------------------------
    /** `started`: the restart was a StartInstances (the instance was stopped), which has a timeout of its own. */
    async recoverBoot(restartedAt, started) {
        const { target, dryRun } = this.request;
        if (dryRun) {
            this.skip('wait-boot', 'dry run: would wait for an SSM answer from a new boot id');
            if (target.escalate)
                await this.step('escalate', () => this.escalate(true));
            else
                this.skip('escalate', 'escalation is disabled for this target');
            return;
        }
        const firstDeadline = restartedAt + (started ? target.timeouts.start : target.timeouts.reboot) * 1000;
        try {
            await this.step('wait-boot', () => this.waitForNewBoot(restartedAt, firstDeadline));
            return;
        }
        catch (error) {
            // A first wait that ran out is reported as failed, and escalation is what comes of it.
            const ranOut = error instanceof StepFailure && error.error.code === 'no-new-boot';
            if (!ranOut || !target.escalate)
                throw error;
        }
        const startedAt = await this.step('escalate', () => this.escalate(false));
        await this.step('wait-boot', () => this.waitForNewBoot(startedAt, startedAt + target.timeouts.start * 1000));
    }
    /**
     * A reboot never leaves `running` and status checks lag, so only the instance itself can prove it restarted:
     * a probe answered from a boot id other than the one before (or, without one, a boot that started after the
     * request). Fails with `no-new-boot` at the deadline; the caller may escalate.
     */
    async waitForNewBoot(restartedAt, deadline) {
        const { instanceId } = this.target;
        let probe;
        let lastNote = '';
        const note = (message) => {
            if (message !== lastNote)
                this.progress('wait-boot', message);
            lastNote = message;
        };
        let wakeAt = await this.pacer.wait(POLL.bootFirstLook, deadline);
        while (wakeAt < deadline) {
            this.throwIfAborted();
            if (probe === undefined) {
                try {
                    const probeScript = (0,remote_scripts/* bootProbeScript */.cK)({
                        runId: this.composeRunId,
                        rule: this.newBootRule(restartedAt),
                        compose: this.composeOptions(),
                    });
                    probe = await this.send(probeScript, deadline, 30, 'boot probe');
                    note('waiting for the instance to answer from a new boot');
                }
                catch (error) {
                    if (!(0,errors/* isRecoveryError */.Co)(error, 'ssm-unreachable') && !(0,errors/* isRecoveryError */.Co)(error, 'throttled'))
                        throw error;
                    note('SSM does not reach the instance yet (expected while it reboots)');
                }
            }
            else {
                const invocation = await this.ports.commands.getInvocation(probe, instanceId);
                if (invocation !== undefined && ports/* TERMINAL_COMMAND_STATUSES */.y.has(invocation.status)) {
                    this.openCommands.delete(probe);
                    probe = undefined;
                    const answer = invocation.status === 'Success' ? (0,remote_scripts/* parseBootProbe */.Lm)(invocation.stdout) : undefined;
                    if (answer !== undefined && this.isNewBoot(answer, restartedAt)) {
                        this.newBootSeen = true;
                        this.bootIdAfter = answer.bootId;
                        this.composeStartedByProbe = (0,remote_scripts/* parseComposeStart */.Os)(invocation.stdout) !== undefined;
                        await this.waitForStatusChecks(deadline);
                        this.detail(`new boot ${answer.bootId.slice(0, 8)} up for ${Math.round(answer.uptimeSeconds)} s`);
                        return;
                    }
                    if (answer !== undefined)
                        note('the old boot still answers: the shutdown has not begun yet');
                }
            }
            wakeAt = await this.pacer.wait(probe === undefined ? POLL.bootRetrySend : POLL.bootAnswer, deadline);
        }
        if (probe !== undefined)
            await this.cancelQuietly(probe);
        const waited = Math.round((deadline - restartedAt) / 1000);
        throw new errors/* RecoveryError */.gN('no-new-boot', `no answer from a new boot within ${waited} s`, {
            fix: 'The instance may be stuck in shutdown or boot, or its SSM agent does not start. Check the system log ' +
                '(EC2 console: Monitor and troubleshoot, Get system log); a stop/start moves it to new hardware.',
        });
    }
    /** The same rule the host applies before it starts compose (see `bootProbeScript`) and `isNewBoot` applies here. */
    newBootRule(restartedAt) {
        return this.bootIdBefore !== undefined
            ? { bootIdOtherThan: this.bootIdBefore }
            : { startedAfterEpochSeconds: Math.floor((restartedAt - CLOCK_SKEW_MS) / 1000) };
    }
    isNewBoot(answer, restartedAt) {
        if (this.bootIdBefore !== undefined)
            return answer.bootId !== this.bootIdBefore;
        // Without the boot id from before, fall back to when this boot started, by the host's own clock.
        if (answer.hostNowSeconds === undefined)
            return false;
        const bootStartedAt = (answer.hostNowSeconds - answer.uptimeSeconds) * 1000;
        return bootStartedAt >= restartedAt - CLOCK_SKEW_MS;
    }
    async waitForStatusChecks(deadline) {
        if (!this.target.waitForStatusChecks)
            return;
        this.progress('wait-boot', 'new boot seen; waiting for EC2 status checks as configured');
        while (!(await this.ports.ec2.instanceStatusOk(this.target.instanceId))) {
            if (this.now() >= deadline) {
                this.warn('EC2 status checks did not pass before the deadline; continuing, since the new boot answers');
                return;
            }
            await this.pacer.wait(POLL.instanceState * 3, deadline);
        }
    }
    /** Stop (forced after its deadline), then start. Resolves the instant the start was requested. */
    async escalate(dryRun) {
        const { instanceId, timeouts } = this.target;
        if (dryRun) {
            await this.ports.ec2.stopInstance(instanceId, { dryRun: true, force: false });
            await this.ports.ec2.startInstance(instanceId, { dryRun: true });
            this.detail('StopInstances and StartInstances would be allowed (dry run)');
            return this.now();
        }
        this.escalated = true;
        this.progress('escalate', 'stopping and starting the instance: it moves to new hardware, its public IP changes unless it has an Elastic IP, and on T2 its CPU credits reset');
        await this.ports.ec2.stopInstance(instanceId, { dryRun: false, force: false });
        try {
            await this.waitForState(['stopped'], this.now() + timeouts.stop * 1000, 'escalate');
        }
        catch (error) {
            if (!(0,errors/* isRecoveryError */.Co)(error, 'timeout'))
                throw error;
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
    composeOptions() {
        const { compose } = this.target;
        return compose.user === undefined
            ? { command: compose.command, directory: compose.directory }
            : { command: compose.command, directory: compose.directory, user: compose.user };
    }
    describeCompose() {
        const { compose } = this.target;
        const command = compose.command === 'auto' ? 'docker compose (or docker-compose)' : compose.command;
        return `\`${command} up -d\` in ${compose.directory}${compose.user === undefined ? '' : ` as ${compose.user}`}`;
    }
    async composeUp() {
        const { timeouts, compose } = this.target;
        if (this.request.dryRun) {
            this.detail(`dry run: would run ${this.describeCompose()}`);
            return;
        }
        // The probe that found the new boot already started compose there; otherwise (a host where that failed, say)
        // run it now.
        const script = this.composeStartedByProbe
            ? (0,remote_scripts/* composeWaitScript */.bJ)({ runId: this.composeRunId, waitSeconds: timeouts.compose })
            : (0,remote_scripts/* composeUpScript */.hm)(this.composeOptions());
        if (this.composeStartedByProbe) {
            this.progress('compose-up', `the new boot started ${this.describeCompose()} itself; waiting for it to finish`);
        }
        const invocation = await this.runCommand(script, timeouts.compose, 'compose up', POLL.compose);
        this.compose = commandOutput(invocation);
        if (invocation.status !== 'Success' || invocation.exitCode !== 0) {
            const exit = invocation.exitCode ?? -1;
            const fix = exit === 127
                ? `Install Docker Compose on the instance, or set compose.command to the one it has.`
                : `Run \`docker compose up -d\` in ${compose.directory} on the instance to see the whole error.`;
            throw new errors/* RecoveryError */.gN('compose-failed', `compose up ${exitedOrEnded(invocation)}: ${lastLine(invocation.stderr || invocation.stdout)}`, { fix });
        }
        this.detail(`exit 0`);
    }
    // 7. Verify -------------------------------------------------------------------------------------------------
    async verify() {
        const { timeouts, healthCheck } = this.target;
        if (this.request.dryRun) {
            this.detail(`dry run: would check docker compose ps${healthCheck === undefined ? '' : ` and ${(0,shown_url/* shownUrl */.z)(healthCheck.url)}`}`);
            return;
        }
        const deadline = this.now() + timeouts.verify * 1000;
        // The host waits for healthchecks itself; leave a little of the deadline for the SSM round trips.
        const hostWait = Math.max(5, timeouts.verify - 15);
        const invocation = await this.runCommand((0,remote_scripts/* composePsScript */.rX)({ ...this.composeOptions(), waitSeconds: hostWait }), timeouts.verify, 'compose ps', POLL.verify);
        if (invocation.status !== 'Success') {
            throw new errors/* RecoveryError */.gN('verify-failed', `docker compose ps ${exitedOrEnded(invocation)}: ${lastLine(invocation.stderr)}`, {
                fix: 'Run `docker compose ps` on the instance.',
            });
        }
        const services = (0,remote_scripts/* parseComposePs */.fb)(invocation.stdout);
        this.services = services;
        if (services.length === 0) {
            throw new errors/* RecoveryError */.gN('verify-failed', 'docker compose ps lists no services', {
                fix: `Check compose.directory (${this.target.compose.directory}): it must hold the compose file.`,
            });
        }
        const notReady = services.filter((s) => s.state !== 'running' || (s.health !== '' && s.health !== 'healthy'));
        if (notReady.length > 0) {
            const list = notReady
                .map((s) => `${s.service} ${s.state}${s.health === '' ? '' : ` (${s.health})`}`)
                .join(', ');
            throw new errors/* RecoveryError */.gN('verify-failed', `not every service is up: ${list}`, {
                fix: 'Read the logs of those services: `docker compose logs --tail 50 <service>`.',
            });
        }
        let detail = `${services.length} services running`;
        if (healthCheck !== undefined) {
            const status = await this.probeHttp(healthCheck.url, healthCheck.expectStatus, deadline);
            detail += `, ${(0,shown_url/* shownUrl */.z)(healthCheck.url)} answered ${status}`;
        }
        this.detail(detail);
    }
    async probeHttp(url, expectStatus, deadline) {
        let last = 'no answer';
        for (;;) {
            const answer = await this.ports.http.get(url, 5_000);
            if ('status' in answer) {
                const ok = expectStatus === undefined
                    ? answer.status >= 200 && answer.status < 400
                    : answer.status === expectStatus;
                if (ok)
                    return answer.status;
                last = `HTTP ${answer.status}`;
            }
            else {
                last = answer.error;
            }
            if (this.now() >= deadline) {
                throw new errors/* RecoveryError */.gN('verify-failed', `${(0,shown_url/* shownUrl */.z)(url)} did not answer as expected: ${last}`, {
                    fix: `Check the app's logs; expected ${expectStatus ?? 'a 2xx or 3xx status'}.`,
                });
            }
            this.progress('verify', `${(0,shown_url/* shownUrl */.z)(url)}: ${last}; trying again`);
            await this.ports.clock.sleep(Math.min(POLL.http, Math.max(0, deadline - this.now())));
        }
    }
    // SSM commands ----------------------------------------------------------------------------------------------
    async send(commands, deadline, executionSeconds, comment) {
        const sending = this.cleanup.commands.sendCommand({
            instanceId: this.target.instanceId,
            commands,
            deliveryTimeoutSeconds: Math.max(30, Math.ceil((deadline - this.now()) / 1000)),
            executionTimeoutSeconds: executionSeconds,
            comment: `domtory-recovery ${comment} (${this.target.name})`,
        });
        // A stopped run stops waiting for the answer, but a command SSM accepts after all is still known, and
        // cancelled the moment it is, so that nothing the run sent outlives it unseen.
        const cancellable = (0,remote_scripts/* remoteScriptKind */.Sb)(commands) !== 'compose-up';
        sending.then(({ commandId }) => {
            if (this.ended) {
                if (cancellable)
                    void this.cancelQuietly(commandId);
                return;
            }
            this.commandIds.push(commandId);
            if (cancellable)
                this.openCommands.add(commandId);
        }, () => { });
        const signal = this.request.signal;
        const { commandId } = await (signal === undefined ? sending : untilAborted(sending, signal));
        return commandId;
    }
    /** Sends a command and waits for it to finish; at the deadline it is cancelled and the step fails. */
    async runCommand(commands, timeoutSeconds, comment, cadence) {
        const deadline = this.now() + timeoutSeconds * 1000;
        const commandId = await this.send(commands, deadline, timeoutSeconds, comment);
        const wait = await (0,command_wait/* waitForCommand */.c)(this.ports.commands, this.ports.clock, {
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
        if (wait.finished)
            return wait.invocation;
        throw new errors/* RecoveryError */.gN('timeout', `${comment} did not finish within ${timeoutSeconds} s (command ${commandId})`, {
            fix: 'Look at the command in Systems Manager, Run Command; raise the timeout if the app is merely slow to start.',
        });
    }
    async cancelQuietly(commandId) {
        this.openCommands.delete(commandId);
        try {
            await this.cleanup.commands.cancelCommand(commandId, this.target.instanceId);
        }
        catch {
            // A command that already finished cannot be cancelled; nothing is left to undo.
        }
    }
    // 8. Done ---------------------------------------------------------------------------------------------------
    buildResult(failure, refusal) {
        const { target, trigger, dryRun } = this.request;
        const finishedAt = this.now();
        const outcome = refusal !== undefined
            ? 'refused'
            : failure !== undefined
                ? 'failed'
                : dryRun
                    ? 'rehearsed'
                    : 'recovered';
        const result = {
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
        if (this.request.requestId !== undefined)
            result.requestId = this.request.requestId;
        const error = refusal?.error ?? failure;
        if (error !== undefined)
            result.error = (0,errors/* summarizeError */.Gg)(error);
        if (refusal?.holder !== undefined)
            result.lockHolder = refusal.holder;
        if (this.evidence !== undefined)
            result.evidence = this.evidence;
        if (this.bootIdBefore !== undefined)
            result.bootIdBefore = this.bootIdBefore;
        if (this.bootIdAfter !== undefined)
            result.bootIdAfter = this.bootIdAfter;
        if (this.compose !== undefined)
            result.compose = this.compose;
        if (this.services !== undefined)
            result.services = this.services;
        return result;
    }
    /** Records the outcome and releases the lock; bookkeeping failures become warnings, never a different outcome. */
    async finish(result) {
        const startedAt = this.now();
        this.emit({ type: 'step-started', step: 'done', title: STEP_TITLES.done });
        const notes = [];
        if (this.releaseLock !== undefined && result.outcome !== 'refused') {
            try {
                await (0,state_history/* appendHistory */.b8)(this.cleanup.parameters, this.request.parameterPrefix, this.target.instanceId, (0,state_history/* historyEntryOf */.ag)(result), this.history);
            }
            catch (error) {
                notes.push(`history not recorded: ${(0,errors/* summarizeError */.Gg)(error).message}`);
            }
        }
        if (this.releaseLock !== undefined) {
            try {
                await this.releaseLock();
            }
            catch (error) {
                notes.push(`lock not released (it expires by itself): ${(0,errors/* summarizeError */.Gg)(error).message}`);
            }
        }
        for (const note of notes)
            this.warn(note);
        const durationMs = this.now() - startedAt;
        const detail = `${result.outcome} in ${Math.round(result.durationMs / 1000)} s`;
        this.steps.push(record('done', 'succeeded', startedAt, durationMs, detail));
        this.emit({ type: 'step-finished', step: 'done', durationMs, detail });
        result.finishedAt = new Date(this.now()).toISOString();
    }
}
function record(step, status, startedAt, durationMs, detail) {
    const entry = { step, status, startedAt: new Date(startedAt).toISOString(), durationMs };
    if (detail !== undefined)
        entry.detail = detail;
    return entry;
}
function asRecoveryError(error) {
    if (error instanceof errors/* RecoveryError */.gN)
        return error;
    return new errors/* RecoveryError */.gN('aws-error', error instanceof Error ? error.message : String(error), {
        cause: error,
    });
}
function commandOutput(invocation) {
    return {
        commandId: invocation.commandId,
        exitCode: invocation.exitCode,
        status: invocation.status,
        stdoutTail: (0,remote_scripts/* tail */.RT)(invocation.stdout),
        stderrTail: (0,remote_scripts/* tail */.RT)(invocation.stderr),
    };
}
/** SSM reports a script's non-zero exit as status `Failed` with the exit code; other statuses mean it never finished. */
function exitedOrEnded(invocation) {
    const exited = (invocation.status === 'Success' || invocation.status === 'Failed') && (invocation.exitCode ?? -1) >= 0;
    return exited ? `exited ${invocation.exitCode}` : `ended ${invocation.status}`;
}
/** The last line that says something: SSM appends "failed to run commands: exit status N" to a failed script's stderr. */
function lastLine(text) {
    const lines = text
        .trim()
        .split('\n')
        .filter((line) => line.trim() !== '' && !/^failed to run commands: exit status \d+$/.test(line.trim()));
    return (lines.at(-1) ?? '(no output)').slice(0, 300);
}
function evidenceSummary(evidence) {
    const parts = [];
    if (evidence.bootId !== undefined)
        parts.push(`boot ${evidence.bootId.slice(0, 8)}`);
    if (evidence.uptimeSeconds !== undefined)
        parts.push(`up ${formatDuration(evidence.uptimeSeconds)}`);
    const cpu = evidence.cpuUtilization?.at(-1);
    if (cpu !== undefined)
        parts.push(`CPU ${cpu.value.toFixed(1)}%`);
    const credits = evidence.cpuCreditBalance?.at(-1);
    if (credits !== undefined)
        parts.push(`credits ${credits.value.toFixed(1)}`);
    if (parts.length === 0)
        return evidence.notes[0] ?? 'nothing collected';
    return parts.join(', ');
}
function formatDuration(seconds) {
    if (seconds < 90)
        return `${Math.round(seconds)} s`;
    if (seconds < 5400)
        return `${Math.round(seconds / 60)} min`;
    if (seconds < 172_800)
        return `${Math.round(seconds / 3600)} h`;
    return `${Math.round(seconds / 86_400)} d`;
}

// EXTERNAL MODULE: ./action/render/markdown.ts
var markdown = __webpack_require__(6533);
;// CONCATENATED MODULE: ./action/render/progress-log.ts


/**
 * Live progress in the Actions log: one collapsible group per step, its progress lines inside, and its outcome
 * as the group's last line so a collapsed log still reads as a list of steps. Warnings also become annotations.
 */
function createProgressLog(log) {
    let open = false;
    const close = () => {
        if (open)
            log.endGroup();
        open = false;
    };
    let startedAt = 0;
    const clock = (at) => {
        const elapsed = Math.max(0, at - startedAt) / 1000;
        const minutes = Math.floor(elapsed / 60);
        return `${String(minutes).padStart(2, '0')}:${(elapsed - minutes * 60).toFixed(1).padStart(4, '0')}`;
    };
    return (event) => {
        switch (event.type) {
            case 'recovery-started':
                startedAt = event.at;
                log.info(`Recovering ${event.target} (${event.instanceId}), asked by ${event.trigger.kind} ${event.trigger.actor}${event.dryRun ? ' [dry run: EC2 DryRun=true, no SSM commands, no lock]' : ''}`);
                return;
            case 'step-started':
                close();
                log.startGroup(`${event.title}`);
                open = true;
                return;
            case 'step-progress':
                log.info(`${clock(event.at)}  ${event.message}`);
                return;
            case 'step-finished':
                log.info(`${clock(event.at)}  ✔ ${STEP_TITLES[event.step]}${event.detail === undefined ? '' : `: ${event.detail}`} (${(0,markdown/* seconds */.YA)(event.durationMs)})`);
                close();
                return;
            case 'step-skipped':
                close();
                log.info(`${clock(event.at)}  ⏭ ${STEP_TITLES[event.step]}: ${event.reason}`);
                return;
            case 'step-failed':
                log.info(`${clock(event.at)}  ✖ ${STEP_TITLES[event.step]}: ${event.error.message}`);
                if (event.error.fix !== undefined)
                    log.info(`           fix: ${event.error.fix}`);
                close();
                return;
            case 'warning':
                log.warning(event.message);
                return;
            case 'recovery-finished': {
                close();
                const { result } = event;
                log.info(`${result.target}: ${result.outcome} in ${(0,markdown/* seconds */.YA)(result.durationMs)}${result.newBootSeen ? ' (new boot seen)' : ''}`);
                return;
            }
        }
    };
}

// EXTERNAL MODULE: ./action/report.ts
var report = __webpack_require__(7123);
;// CONCATENATED MODULE: ./action/render/restart-report.ts



/** The `restart` command's outputs, summary and verdict, from the core's result alone. */
function restartReport(result, context, region) {
    const ok = result.outcome === 'recovered' || result.outcome === 'rehearsed';
    const report = {
        ok,
        outputs: restartOutputs(result),
        summary: restartSummary(result, context, region),
    };
    if (!ok)
        report.failure = failureLine(result);
    return report;
}
function failureLine(result) {
    const verb = result.outcome === 'refused' ? 'refused' : 'failed';
    const reason = result.error?.message ?? 'no reason recorded';
    return `Recovery of ${result.target} ${verb}: ${(0,report/* withFix */.Y)(reason, result.error?.fix, '\n')}`;
}
function restartOutputs(result) {
    const outputs = {
        outcome: result.outcome,
        target: result.target,
        'instance-id': result.instanceId,
        'duration-seconds': (result.durationMs / 1000).toFixed(1),
        steps: JSON.stringify(result.steps.map((step) => ({
            step: step.step,
            status: step.status,
            durationMs: step.durationMs,
            ...(step.detail === undefined ? {} : { detail: step.detail }),
        }))),
        // The compose command is the one worth opening in Run Command; without one, the last command sent.
        'command-id': result.compose?.commandId ?? result.commandIds.at(-1) ?? '',
        'command-ids': JSON.stringify(result.commandIds),
        'new-boot': String(result.newBootSeen),
        escalated: String(result.escalated),
        'boot-id-before': result.bootIdBefore ?? '',
        'boot-id-after': result.bootIdAfter ?? '',
        'error-code': result.error?.code ?? '',
        error: result.error?.message ?? '',
    };
    if (result.lockHolder !== undefined)
        outputs['lock-holder'] = JSON.stringify(result.lockHolder);
    return outputs;
}
const STATUS_ICON = { succeeded: '✅', failed: '❌', skipped: '⏭️' };
function headline(result) {
    const took = (0,markdown/* seconds */.YA)(result.durationMs);
    switch (result.outcome) {
        case 'recovered':
            return `✅ Recovered ${result.target} in ${took}`;
        case 'rehearsed':
            return `🧪 Rehearsed the recovery of ${result.target} (dry run, ${took}): nothing was changed`;
        case 'refused':
            return `⛔ Recovery of ${result.target} refused`;
        case 'failed':
            return `❌ Recovery of ${result.target} failed after ${took}`;
    }
}
function restartSummary(result, context, region) {
    const parts = [`## ${(0,markdown/* escapeHtml */.ZD)(headline(result))}`];
    if (result.error !== undefined) {
        parts.push((0,markdown/* alert */.xE)('CAUTION', [
            `**${result.error.code}**: ${result.error.message}`,
            ...(result.error.fix === undefined ? [] : [`Fix: ${result.error.fix}`]),
        ]));
    }
    const boot = result.bootIdBefore === undefined && result.bootIdAfter === undefined
        ? result.newBootSeen
            ? 'new boot seen'
            : 'no boot ids'
        : `\`${(result.bootIdBefore ?? 'unknown').slice(0, 8)}\` → \`${(result.bootIdAfter ?? 'none').slice(0, 8)}\`${result.newBootSeen ? ' (new boot seen)' : ' (no new boot seen)'}`;
    const asked = context.runUrl === undefined
        ? context.trigger.actor
        : `${context.trigger.actor} ([run](${context.runUrl}))`;
    parts.push([
        `- **Instance**: \`${result.instanceId}\` in ${region}`,
        `- **Asked by**: ${(0,markdown/* escapeHtml */.ZD)(asked)}`,
        `- **Boot**: ${boot}`,
        `- **Escalated to stop/start**: ${result.escalated ? 'yes' : 'no'}`,
        `- **SSM commands**: ${result.commandIds.length === 0 ? 'none' : result.commandIds.map((id) => `\`${id}\``).join(', ')}`,
        ...(result.lockHolder === undefined
            ? []
            : [
                `- **Lock held by**: ${(0,markdown/* escapeHtml */.ZD)(result.lockHolder.owner)} since ${result.lockHolder.acquiredAt} (expires ${result.lockHolder.expiresAt})`,
            ]),
    ].join('\n'));
    parts.push('### Steps', (0,markdown/* table */.tp)(['Step', 'Result', 'Duration', 'Detail'], result.steps.map((step) => [
        STEP_TITLES[step.step],
        `${STATUS_ICON[step.status]} ${step.status}`,
        step.status === 'skipped' ? '' : (0,markdown/* seconds */.YA)(step.durationMs),
        step.detail ?? '',
    ])));
    if (result.services !== undefined && result.services.length > 0) {
        parts.push('### Services', (0,markdown/* table */.tp)(['Service', 'State', 'Health'], result.services.map((service) => [service.service, service.state, service.health || '—'])));
    }
    if (result.warnings.length > 0)
        parts.push((0,markdown/* alert */.xE)('WARNING', result.warnings));
    const evidence = evidenceMarkdown(result);
    if (evidence !== '')
        parts.push((0,markdown/* details */.zH)('Evidence collected before the restart', evidence));
    if (result.compose !== undefined) {
        const { compose } = result;
        const output = [
            compose.stdoutTail && `stdout:\n${compose.stdoutTail}`,
            compose.stderrTail && `stderr:\n${compose.stderrTail}`,
        ]
            .filter((text) => text !== '')
            .join('\n\n');
        parts.push((0,markdown/* details */.zH)(`compose up: ${compose.status}, exit ${compose.exitCode ?? '?'} (command ${compose.commandId})`, (0,markdown/* codeBlock */.DV)(output || '(no output)')));
    }
    return `${parts.join('\n\n')}\n`;
}
function evidenceMarkdown(result) {
    const evidence = result.evidence;
    if (evidence === undefined)
        return '';
    const lines = [];
    if (evidence.bootId !== undefined)
        lines.push(`- Boot id \`${evidence.bootId}\``);
    if (evidence.uptimeSeconds !== undefined)
        lines.push(`- Up for ${(0,markdown/* seconds */.YA)(evidence.uptimeSeconds * 1000)}`);
    const cpu = evidence.cpuUtilization ?? [];
    if (cpu.length > 0) {
        lines.push(`- CPUUtilization (5-minute maximum, last 30 min): ${cpu.map((point) => `${point.value.toFixed(1)}%`).join(', ')}`);
    }
    const credits = evidence.cpuCreditBalance ?? [];
    if (credits.length > 0) {
        lines.push(`- CPUCreditBalance (minimum): ${credits.map((point) => point.value.toFixed(1)).join(', ')}${evidence.creditsExhausted === true ? ' — **exhausted**: the instance runs at its baseline' : ''}`);
    }
    for (const note of evidence.notes)
        lines.push(`- ${(0,markdown/* escapeHtml */.ZD)(note)}`);
    const blocks = [lines.join('\n')];
    const section = (title, text) => {
        if (text !== undefined && text.trim() !== '')
            blocks.push(`**${title}**\n\n${(0,markdown/* codeBlock */.DV)(text)}`);
    };
    section('Top processes', evidence.topProcesses);
    section('docker stats', evidence.dockerStats);
    section('Memory (MB)', evidence.memory);
    section('OOM killer', evidence.oomKills);
    return blocks.filter((block) => block !== '').join('\n\n');
}

;// CONCATENATED MODULE: ./action/commands/restart.ts



/** `restart`: the core's recovery sequence for one target, rendered live in the log and summed up at the end. */
async function restart(inputs, tools) {
    const { target } = inputs;
    const result = await runRecovery({
        target,
        trigger: inputs.context.trigger,
        dryRun: inputs.dryRun,
        owner: inputs.context.owner,
        parameterPrefix: inputs.parameterPrefix,
        signal: tools.signal,
    }, tools.aws.ports(target.region), createProgressLog(tools.log));
    return restartReport(result, inputs.context, target.region);
}


/***/ }),

/***/ 160:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lu: () => (/* binding */ readHistory),
/* harmony export */   _S: () => (/* binding */ checkGuard),
/* harmony export */   ag: () => (/* binding */ historyEntryOf),
/* harmony export */   b8: () => (/* binding */ appendHistory),
/* harmony export */   lq: () => (/* binding */ requestKey)
/* harmony export */ });
/* unused harmony export historyParameterName */
/**
 * A bounded history of outcomes per instance, kept in one Parameter Store parameter beside the lock. It feeds the
 * cooldown and the loop guard, and the `status`/`history` views of both front ends. Writes happen only while
 * the instance's lock is held, so a read-modify-write is safe.
 */
/** Per instance, like the lock: the guard counts the restarts of the instance, whichever front end made them. */
const historyParameterName = (prefix, instanceId) => `${prefix}/${instanceId}/history`;
/** A standard-tier parameter holds at most 4 KB; the oldest entries are dropped to fit. */
const MAX_PARAMETER_BYTES = 4096;
const MAX_ENTRIES = 20;
function historyEntryOf(result) {
    const entry = {
        startedAt: result.startedAt,
        durationMs: result.durationMs,
        trigger: result.trigger.kind,
        actor: result.trigger.actor.slice(0, 64),
        outcome: result.outcome,
        escalated: result.escalated,
        newBootSeen: result.newBootSeen,
    };
    if (result.error !== undefined)
        entry.error = result.error.code;
    if (result.requestId !== undefined)
        entry.requestId = requestKey(result.requestId);
    return entry;
}
/**
 * What the history keeps of a request id: its first 16 characters, about 50 random bits of a UUID, which is
 * plenty to tell apart the last twenty requests and keeps 10 automatic recoveries within the 4 KB.
 */
function requestKey(requestId) {
    return requestId.slice(0, 16);
}
/** Newest first. A missing or unreadable parameter is an empty history: it must never block a recovery. */
async function readHistory(parameters, prefix, instanceId) {
    const stored = await parameters.get(historyParameterName(prefix, instanceId));
    if (stored === undefined)
        return [];
    try {
        const parsed = JSON.parse(stored.value);
        return Array.isArray(parsed) ? parsed : [];
    }
    catch {
        return [];
    }
}
/** `known`: the history as read earlier under the same lock, which saves reading it again. */
async function appendHistory(parameters, prefix, instanceId, entry, known) {
    const previous = known ?? (await readHistory(parameters, prefix, instanceId));
    const entries = [entry, ...previous].slice(0, MAX_ENTRIES);
    let value = JSON.stringify(entries);
    while (Buffer.byteLength(value) > MAX_PARAMETER_BYTES && entries.length > 1) {
        entries.pop();
        value = JSON.stringify(entries);
    }
    await parameters.overwrite(historyParameterName(prefix, instanceId), value);
    return entries;
}
/**
 * Automatic recoveries only: a cooldown after each one, and at most N within a window. Past either, the bot
 * stops acting alone and asks a person, because a box that needs rebooting every few minutes has a problem a
 * reboot will not solve. Refused and rehearsed runs changed nothing, so they do not count.
 */
function checkGuard(history, now, guard) {
    const automatic = history.filter((entry) => entry.trigger === 'alarm' && (entry.outcome === 'recovered' || entry.outcome === 'failed'));
    const finishedAt = (entry) => Date.parse(entry.startedAt) + entry.durationMs;
    const windowStart = now - guard.windowHours * 3_600_000;
    const inWindow = automatic.filter((entry) => finishedAt(entry) > windowStart);
    if (inWindow.length >= guard.maxAutomaticRecoveries) {
        const oldest = Math.min(...inWindow.map(finishedAt));
        return {
            allowed: false,
            code: 'loop-guard',
            message: `${inWindow.length} automatic recoveries in the last ${guard.windowHours} h (limit ${guard.maxAutomaticRecoveries})`,
            fix: 'A person should look at the instance: restart it by hand if needed, and find out why it keeps hanging.',
            retryAfter: new Date(oldest + guard.windowHours * 3_600_000).toISOString(),
        };
    }
    const last = automatic[0];
    const cooldownMs = guard.cooldownMinutes * 60_000;
    if (last !== undefined && now - finishedAt(last) < cooldownMs) {
        const until = finishedAt(last) + cooldownMs;
        return {
            allowed: false,
            code: 'cooldown',
            message: `the last automatic recovery finished ${Math.round((now - finishedAt(last)) / 60_000)} min ago (cooldown ${guard.cooldownMinutes} min)`,
            fix: 'Wait for the cooldown to pass, or restart by hand if the app is down.',
            retryAfter: new Date(until).toISOString(),
        };
    }
    return { allowed: true };
}


/***/ })

};
