export const id = 404;
export const ids = [404];
export const modules = {

/***/ 3404:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   status: () => (/* binding */ status)
/* harmony export */ });
/* harmony import */ var _shared_alarm_alarm_provisioner_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6776);
/* harmony import */ var _shared_alarm_alarm_spec_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6193);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2635);
/* harmony import */ var _shared_state_history_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(160);
/* harmony import */ var _shared_state_lock_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5745);
/* harmony import */ var _render_markdown_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6533);






/** How many recoveries the status shows per target; the history keeps up to 20. */
const RECENT = 5;
async function section(read) {
    try {
        return { ok: true, value: await read() };
    }
    catch (error) {
        const summary = (0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .summarizeError */ .Gg)(error);
        return {
            ok: false,
            error: summary.fix === undefined ? summary.message : `${summary.message} Fix: ${summary.fix}`,
        };
    }
}
/** `status`: instance state, alarm states, the lock and the last recoveries, for each target. Changes nothing. */
async function status(inputs, tools) {
    const statuses = await Promise.all(inputs.targets.map((target) => targetStatus(target, inputs, tools)));
    const { log } = tools;
    for (const entry of statuses) {
        log.startGroup(`${entry.target} (${entry.instanceId}, ${entry.region})`);
        for (const line of statusLines(entry))
            log.info(line);
        log.endGroup();
    }
    const problems = statuses.flatMap((entry) => [
        ...['instance', 'alarms', 'lock', 'history'].flatMap((key) => {
            const part = entry[key];
            return part.ok ? [] : [`${entry.target} ${key}: ${part.error}`];
        }),
        ...(entry.instance.ok && entry.instance.value === undefined
            ? [`${entry.target}: instance ${entry.instanceId} does not exist in ${entry.region}`]
            : []),
    ]);
    const outputs = {
        outcome: problems.length === 0 ? 'ok' : 'incomplete',
        status: JSON.stringify(statuses),
    };
    const [only] = statuses;
    if (statuses.length === 1 && only !== undefined) {
        outputs['instance-state'] = only.instance.ok ? (only.instance.value?.state ?? 'not-found') : 'unknown';
        const cpu = only.alarms.ok
            ? only.alarms.value.find((alarm) => alarm.name === (0,_shared_alarm_alarm_spec_js__WEBPACK_IMPORTED_MODULE_1__/* .managedAlarmNames */ .VI)(only.target)[0])
            : undefined;
        outputs['alarm-state'] = cpu?.state ?? '';
        outputs['lock-held'] = String(only.lock.ok && only.lock.value !== undefined && !only.lock.value.expired);
        outputs['last-outcome'] = only.history.ok ? (only.history.value[0]?.outcome ?? '') : '';
    }
    const report = {
        ok: problems.length === 0,
        outputs,
        summary: statusSummary(statuses),
    };
    if (problems.length > 0)
        report.failure = `Status is incomplete:\n${problems.join('\n')}`;
    return report;
}
async function targetStatus(target, inputs, tools) {
    const ports = tools.aws.ports(target.region);
    const clients = tools.aws.clients(target.region);
    const now = Date.now();
    const [instance, alarms, lock, history] = await Promise.all([
        section(() => ports.ec2.describeInstance(target.instanceId)),
        section(async () => {
            const [managed, onCpu] = await Promise.all([
                (0,_shared_alarm_alarm_provisioner_js__WEBPACK_IMPORTED_MODULE_0__/* .describeAlarmsByName */ .o7)(clients, (0,_shared_alarm_alarm_spec_js__WEBPACK_IMPORTED_MODULE_1__/* .managedAlarmNames */ .VI)(target.name)),
                (0,_shared_alarm_alarm_provisioner_js__WEBPACK_IMPORTED_MODULE_0__/* .alarmsOnInstanceCpu */ .Lh)(clients, target.instanceId),
            ]);
            const all = new Map(managed);
            for (const alarm of onCpu)
                if (alarm.AlarmName !== undefined)
                    all.set(alarm.AlarmName, alarm);
            const names = new Set((0,_shared_alarm_alarm_spec_js__WEBPACK_IMPORTED_MODULE_1__/* .managedAlarmNames */ .VI)(target.name));
            return [...all.values()].map((alarm) => {
                const entry = {
                    name: alarm.AlarmName ?? '',
                    state: alarm.StateValue ?? 'unknown',
                    reason: alarm.StateReason ?? '',
                    managed: names.has(alarm.AlarmName ?? ''),
                };
                if (alarm.StateUpdatedTimestamp !== undefined)
                    entry.since = alarm.StateUpdatedTimestamp.toISOString();
                return entry;
            });
        }),
        section(async () => {
            const held = await (0,_shared_state_lock_js__WEBPACK_IMPORTED_MODULE_3__/* .readLock */ .mF)(ports.parameters, inputs.parameterPrefix, target.name);
            return held === undefined ? undefined : { ...held, expired: (0,_shared_state_lock_js__WEBPACK_IMPORTED_MODULE_3__/* .isLockExpired */ .Py)(held, now) };
        }),
        section(async () => (await (0,_shared_state_history_js__WEBPACK_IMPORTED_MODULE_4__/* .readHistory */ .Lu)(ports.parameters, inputs.parameterPrefix, target.name)).slice(0, RECENT)),
    ]);
    return {
        target: target.name,
        instanceId: target.instanceId,
        region: target.region,
        instance,
        alarms,
        lock,
        history,
    };
}
function instanceLine(part, entry) {
    if (!part.ok)
        return `unavailable: ${part.error}`;
    if (part.value === undefined)
        return `not found in ${entry.region}`;
    const { state, instanceType, availabilityZone, launchTime } = part.value;
    return `${state}, ${instanceType}${availabilityZone === undefined ? '' : ` in ${availabilityZone}`}${launchTime === undefined ? '' : `, launched ${launchTime.toISOString()}`}`;
}
function lockLine(part) {
    if (!part.ok)
        return `unavailable: ${part.error}`;
    if (part.value === undefined)
        return 'free';
    const lock = part.value;
    return `${lock.expired ? 'expired (the next recovery takes it over)' : 'held'} by ${lock.owner} (${lock.trigger}) since ${lock.acquiredAt}, expires ${lock.expiresAt}`;
}
function historyLine(entry) {
    return `${entry.startedAt} ${entry.outcome} in ${(0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .seconds */ .YA)(entry.durationMs)} (${entry.trigger} ${entry.actor})${entry.newBootSeen ? ', new boot' : ''}${entry.escalated ? ', escalated' : ''}${entry.error === undefined ? '' : `, ${entry.error}`}`;
}
function statusLines(entry) {
    const lines = [`Instance: ${instanceLine(entry.instance, entry)}`];
    if (!entry.alarms.ok)
        lines.push(`Alarms: unavailable: ${entry.alarms.error}`);
    else if (entry.alarms.value.length === 0)
        lines.push('Alarms: none (run the provision command)');
    else {
        for (const alarm of entry.alarms.value) {
            lines.push(`Alarm ${alarm.name}: ${alarm.state}${alarm.managed ? '' : ' (not managed here)'}${alarm.reason === '' ? '' : ` — ${alarm.reason}`}`);
        }
    }
    lines.push(`Lock: ${lockLine(entry.lock)}`);
    if (!entry.history.ok)
        lines.push(`Recent recoveries: unavailable: ${entry.history.error}`);
    else if (entry.history.value.length === 0)
        lines.push('Recent recoveries: none recorded');
    else {
        lines.push('Recent recoveries:');
        for (const item of entry.history.value)
            lines.push(`  ${historyLine(item)}`);
    }
    return lines;
}
function statusSummary(statuses) {
    const parts = ['## Status'];
    for (const entry of statuses) {
        parts.push(`### ${(0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeHtml */ .ZD)(entry.target)} (\`${entry.instanceId}\`, ${entry.region})`);
        parts.push((0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .table */ .tp)(['', ''], [
            ['Instance', instanceLine(entry.instance, entry)],
            ['Lock', lockLine(entry.lock)],
        ]));
        if (!entry.alarms.ok)
            parts.push(`Alarms unavailable: ${(0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeHtml */ .ZD)(entry.alarms.error)}`);
        else if (entry.alarms.value.length > 0) {
            parts.push((0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .table */ .tp)(['Alarm', 'State', 'Since', 'Reason'], entry.alarms.value.map((alarm) => [
                `${alarm.name}${alarm.managed ? '' : ' (not managed here)'}`,
                alarm.state,
                alarm.since ?? '',
                alarm.reason,
            ])));
        }
        else
            parts.push('No alarms: run the provision command.');
        if (!entry.history.ok)
            parts.push(`History unavailable: ${(0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeHtml */ .ZD)(entry.history.error)}`);
        else if (entry.history.value.length > 0) {
            parts.push((0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .table */ .tp)(['Started', 'Outcome', 'Duration', 'Trigger', 'New boot', 'Escalated', 'Error'], entry.history.value.map((item) => [
                item.startedAt,
                item.outcome,
                (0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_5__/* .seconds */ .YA)(item.durationMs),
                `${item.trigger} ${item.actor}`,
                item.newBootSeen ? 'yes' : 'no',
                item.escalated ? 'yes' : 'no',
                item.error ?? '',
            ])));
        }
        else
            parts.push('No recoveries recorded.');
    }
    return `${parts.join('\n\n')}\n`;
}


/***/ }),

/***/ 160:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lu: () => (/* binding */ readHistory),
/* harmony export */   _S: () => (/* binding */ checkGuard),
/* harmony export */   ag: () => (/* binding */ historyEntryOf),
/* harmony export */   b8: () => (/* binding */ appendHistory)
/* harmony export */ });
/* unused harmony export historyParameterName */
/**
 * A bounded history of outcomes per target, kept in one Parameter Store parameter beside the lock. It feeds the
 * cooldown and the loop guard, and the `status`/`history` views of both front ends. Writes happen only while
 * the target's lock is held, so a read-modify-write is safe.
 */
const historyParameterName = (prefix, target) => `${prefix}/${target}/history`;
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
    return entry;
}
/** Newest first. A missing or unreadable parameter is an empty history: it must never block a recovery. */
async function readHistory(parameters, prefix, target) {
    const stored = await parameters.get(historyParameterName(prefix, target));
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
async function appendHistory(parameters, prefix, target, entry, known) {
    const previous = known ?? (await readHistory(parameters, prefix, target));
    const entries = [entry, ...previous].slice(0, MAX_ENTRIES);
    let value = JSON.stringify(entries);
    while (Buffer.byteLength(value) > MAX_PARAMETER_BYTES && entries.length > 1) {
        entries.pop();
        value = JSON.stringify(entries);
    }
    await parameters.overwrite(historyParameterName(prefix, target), value);
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


/***/ }),

/***/ 5745:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   IZ: () => (/* binding */ acquireLock),
/* harmony export */   Py: () => (/* binding */ isLockExpired),
/* harmony export */   mF: () => (/* binding */ readLock)
/* harmony export */ });
/* unused harmony export lockParameterName */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);

/**
 * One recovery per target at a time, across the bot and the action: a Parameter Store parameter created with
 * `Overwrite=false` is an atomic create-if-absent, so exactly one contender can hold it.
 *
 * Parameter Store has no compare-and-swap, so taking over an expired lock is made atomic with a second
 * create-if-absent: a marker named after the stale lock's version. Of all contenders that saw the same stale
 * version, only the one that creates the marker may overwrite the lock; the others are refused.
 */
const lockParameterName = (prefix, target) => `${prefix}/${target}/lock`;
async function acquireLock(parameters, clock, request) {
    const name = lockParameterName(request.prefix, request.target);
    const now = clock.now();
    const lock = {
        owner: request.owner,
        trigger: request.trigger,
        acquiredAt: new Date(now).toISOString(),
        expiresAt: new Date(now + request.ttlMs).toISOString(),
    };
    const value = JSON.stringify(lock);
    const release = () => releaseLock(parameters, clock, name, lock);
    if (await parameters.create(name, value))
        return { acquired: true, lock, release };
    const current = await parameters.get(name);
    if (current === undefined) {
        // Released between our create and our read: one more create decides it. Losing that race twice means a
        // third party holds it now; report our own request as the holder's shape rather than invent one.
        if (await parameters.create(name, value))
            return { acquired: true, lock, release };
        return { acquired: false, holder: (await readLock(parameters, request.prefix, request.target)) ?? lock };
    }
    const holder = decodeLock(current.value);
    if (Date.parse(holder.expiresAt) > now)
        return { acquired: false, holder };
    const marker = `${name}-takeover-v${current.version}`;
    if (!(await parameters.create(marker, value)))
        return { acquired: false, holder };
    try {
        await parameters.overwrite(name, value);
    }
    finally {
        await parameters.delete(marker);
    }
    return { acquired: true, lock, takenOverFrom: holder, release };
}
async function readLock(parameters, prefix, target) {
    const current = await parameters.get(lockParameterName(prefix, target));
    return current === undefined ? undefined : decodeLock(current.value);
}
function isLockExpired(lock, now) {
    return Date.parse(lock.expiresAt) <= now;
}
async function releaseLock(parameters, clock, name, lock) {
    // Nobody can take over a lock before it expires, so until then it is ours to delete without reading it first
    // (holders' clocks are NTP-synced: skew is far below any lock's lifetime).
    if (clock.now() < Date.parse(lock.expiresAt)) {
        await parameters.delete(name);
        return;
    }
    // Past expiry it may have been taken over: never delete someone else's lock.
    const current = await parameters.get(name);
    if (current === undefined)
        return;
    const holder = decodeLock(current.value);
    if (holder.owner === lock.owner && holder.acquiredAt === lock.acquiredAt)
        await parameters.delete(name);
}
function decodeLock(value) {
    try {
        const parsed = JSON.parse(value);
        if (typeof parsed.owner === 'string' && typeof parsed.expiresAt === 'string') {
            return {
                owner: parsed.owner,
                trigger: parsed.trigger ?? 'cli',
                acquiredAt: parsed.acquiredAt ?? parsed.expiresAt,
                expiresAt: parsed.expiresAt,
            };
        }
    }
    catch {
        // fall through: an unreadable lock is treated as held by someone unknown until it is removed by hand
    }
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .RecoveryError */ .gN('lock-held', `the lock parameter holds an unreadable value: ${value.slice(0, 80)}`, {
        fix: 'Delete the lock parameter in Parameter Store if no recovery is running.',
    });
}


/***/ })

};
