export const id = 689;
export const ids = [689];
export const modules = {

/***/ 6533:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DV: () => (/* binding */ codeBlock),
/* harmony export */   YA: () => (/* binding */ seconds),
/* harmony export */   ZD: () => (/* binding */ escapeHtml),
/* harmony export */   tp: () => (/* binding */ table),
/* harmony export */   xE: () => (/* binding */ alert),
/* harmony export */   zH: () => (/* binding */ details)
/* harmony export */ });
/* unused harmony export cell */
/**
 * Markdown for the job summary. GitHub renders summaries as GitHub-flavoured Markdown with inline HTML, so any
 * text that came from an instance or from AWS is escaped: a `|` would break a table, a `<` would become a tag.
 */
function escapeHtml(text) {
    return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
function cell(text) {
    return escapeHtml(text).replaceAll('|', '\\|').replaceAll('\r', '').replaceAll('\n', '<br>');
}
function table(headers, rows) {
    const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
    return [line(headers), `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}
/** A fenced block whose fence is longer than any backtick run inside, so output cannot close it early. */
function codeBlock(text, language = '') {
    const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    return `${fence}${language}\n${text.replace(/\n+$/, '')}\n${fence}`;
}
function details(summary, body) {
    return `<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}
/**
 * One of GitHub's alert blocks: the red CAUTION says why the job failed, the yellow WARNING what the run noticed
 * without failing. A line's own newlines stay inside the block.
 */
function alert(kind, lines) {
    return [`> [!${kind}]`, ...lines.map((line) => `> ${escapeHtml(line).replaceAll('\n', '\n> ')}`)].join('\n');
}
/** `12.3 s`, `4 min 5 s`, `3 h 20 min`, `5 d 2 h`: precise where a step's length matters, coarse for uptimes. */
function seconds(ms) {
    if (ms < 90_000)
        return `${(ms / 1000).toFixed(1)} s`;
    const totalMinutes = Math.floor(ms / 60_000);
    if (totalMinutes < 90)
        return `${totalMinutes} min ${Math.round((ms % 60_000) / 1000)} s`;
    const totalHours = Math.floor(totalMinutes / 60);
    if (totalHours < 48)
        return `${totalHours} h ${totalMinutes % 60} min`;
    return `${Math.floor(totalHours / 24)} d ${totalHours % 24} h`;
}


/***/ }),

/***/ 7123:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Y: () => (/* binding */ withFix)
/* harmony export */ });
/**
 * A message and, when there is one, its fix. Every failure and error line the action prints has this shape, so a
 * reader finds the fix after the same `Fix:` word whether the line is a job failure (fix on its own line) or a
 * table cell (fix on the same line).
 */
function withFix(message, fix, separator) {
    return fix === undefined ? message : `${message}${separator}Fix: ${fix}`;
}


/***/ }),

/***/ 9387:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ waitForCommand)
/* harmony export */ });
/* harmony import */ var _ports_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3490);

/**
 * Polls an SSM command until it ends or its deadline passes. A command still pending at the deadline is
 * cancelled: left queued, it would run on the instance's next boot, long after anyone waits for it (and the
 * evidence script would describe the new boot as the old one).
 */
async function waitForCommand(commands, clock, wait) {
    let interval = wait.cadence.firstMs;
    for (;;) {
        await wait.pause(interval, wait.deadline);
        const invocation = await commands.getInvocation(wait.commandId, wait.instanceId);
        if (invocation !== undefined && _ports_js__WEBPACK_IMPORTED_MODULE_0__/* .TERMINAL_COMMAND_STATUSES */ .y.has(invocation.status)) {
            return { finished: true, invocation };
        }
        if (clock.now() >= wait.deadline) {
            try {
                await commands.cancelCommand(wait.commandId, wait.instanceId);
            }
            catch {
                // Already finished, or never delivered: either way it will not run later.
            }
            return { finished: false, lastStatus: invocation?.status };
        }
        interval = Math.min(wait.cadence.maxMs, interval * 1.6);
    }
}


/***/ }),

/***/ 4889:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BZ: () => (/* binding */ evidenceScript),
/* harmony export */   Lm: () => (/* binding */ parseBootProbe),
/* harmony export */   Os: () => (/* binding */ parseComposeStart),
/* harmony export */   RT: () => (/* binding */ tail),
/* harmony export */   Sb: () => (/* binding */ remoteScriptKind),
/* harmony export */   bJ: () => (/* binding */ composeWaitScript),
/* harmony export */   cK: () => (/* binding */ bootProbeScript),
/* harmony export */   ex: () => (/* binding */ asUser),
/* harmony export */   fb: () => (/* binding */ parseComposePs),
/* harmony export */   hm: () => (/* binding */ composeUpScript),
/* harmony export */   rX: () => (/* binding */ composePsScript),
/* harmony export */   vf: () => (/* binding */ parseEvidence)
/* harmony export */ });
/* unused harmony exports COMPOSE_RUN_DIR, parseNewBootRule, composeRunId, scriptWaitSeconds */
const MARKER = '# domtory-recovery:';
function remoteScriptKind(commands) {
    const first = commands[0] ?? '';
    if (!first.startsWith(MARKER))
        return undefined;
    const kind = first.slice(MARKER.length).trim();
    return ['boot-probe', 'evidence', 'compose-up', 'compose-wait', 'compose-ps'].find((k) => k === kind);
}
/** A command small enough to answer in milliseconds: which boot is this, and for how long has it been up. */
function bootProbeScript(startCompose) {
    const lines = [`${MARKER}boot-probe`];
    if (startCompose !== undefined) {
        lines.push(`# start-compose-on-new-boot=${startCompose.runId}`, `# new-boot-rule=${formatNewBootRule(startCompose.rule)}`);
    }
    lines.push('boot=$(cat /proc/sys/kernel/random/boot_id); up=$(cut -d" " -f1 /proc/uptime); now=$(date +%s)', 'echo "boot_id=$boot"', 'echo "uptime=$up"', 'echo "now=$now"');
    if (startCompose !== undefined)
        lines.push(startComposeOnNewBoot(startCompose));
    return lines;
}
/** A target name (up to 63 characters), the start time in base 36 and 6 hex digits, with room to spare. */
const RUN_ID = /^[a-z0-9-]{1,100}$/;
/** Where compose runs started by a probe keep their output and exit code; exported for tests that run the scripts. */
const COMPOSE_RUN_DIR = '/run/domtory-recovery';
function formatNewBootRule(rule) {
    return 'bootIdOtherThan' in rule
        ? `boot-id-not:${rule.bootIdOtherThan}`
        : `started-after:${rule.startedAfterEpochSeconds}`;
}
function parseNewBootRule(commands) {
    const value = headerValue(commands, 'new-boot-rule');
    if (value?.startsWith('boot-id-not:'))
        return { bootIdOtherThan: value.slice('boot-id-not:'.length) };
    if (value?.startsWith('started-after:'))
        return { startedAfterEpochSeconds: Number(value.slice('started-after:'.length)) };
    return undefined;
}
/** The run a probe starts compose for, or a compose-wait waits on. */
function composeRunId(commands) {
    return headerValue(commands, 'start-compose-on-new-boot') ?? headerValue(commands, 'run-id');
}
function headerValue(commands, name) {
    const line = commands.find((command) => command.startsWith(`# ${name}=`));
    return line?.slice(`# ${name}=`.length);
}
/**
 * Started by the probe itself, compose begins the instant the new boot's agent delivers the probe, not one SSM
 * round trip after we have read the probe's answer: the wait for the new boot leaves the critical path. /run is a
 * tmpfs, so the run directory exists once per boot, and `mkdir` makes "start it once" atomic. setsid detaches the
 * job from the agent's process group, so it outlives this command.
 */
function startComposeOnNewBoot({ runId, rule, compose }) {
    if (!RUN_ID.test(runId))
        throw new Error(`invalid compose run id ${runId}`);
    const isNew = 'bootIdOtherThan' in rule
        ? `[ "$boot" != "${rule.bootIdOtherThan.replace(/[^0-9a-f-]/g, '')}" ]`
        : `[ $(( now - \${up%.*} )) -ge ${Math.floor(rule.startedAfterEpochSeconds)} ]`;
    // The subshell keeps the compose command's `set -e` (and its exit 127 when neither compose is installed) from
    // ending the job before the exit code is written, and sends all of its output to the run's files.
    const job = `(${composeUpCommand(compose)}) >"$1/out" 2>"$1/err"; echo $? >"$1/exit.tmp" && mv "$1/exit.tmp" "$1/exit"`;
    return [
        `if ${isNew}; then`,
        `  d=${COMPOSE_RUN_DIR}/${runId}`,
        `  if mkdir -p ${COMPOSE_RUN_DIR} && mkdir "$d" 2>/dev/null; then`,
        `    setsid sh -c ${shellQuote(job)} compose "$d" </dev/null >/dev/null 2>&1 &`,
        '    echo "compose=started"',
        '  else',
        '    echo "compose=already-started"',
        '  fi',
        'fi',
    ].join('\n');
}
/** Waits on the host for the compose run a probe started, then reports it as if it had run in this command. */
function composeWaitScript(options) {
    if (!RUN_ID.test(options.runId))
        throw new Error(`invalid compose run id ${options.runId}`);
    const wait = Math.max(1, Math.floor(options.waitSeconds));
    return [
        `${MARKER}compose-wait`,
        `# run-id=${options.runId}`,
        `# wait-seconds=${wait}`,
        `d=${COMPOSE_RUN_DIR}/${options.runId}; end=$(( $(date +%s) + ${wait} ))`,
        '[ -d "$d" ] || { echo "no compose run $d on this boot" >&2; exit 3; }',
        `while [ ! -f "$d/exit" ]; do [ "$(date +%s)" -ge "$end" ] && { echo "compose still running after ${wait} s" >&2; exit 124; }; sleep 0.5; done`,
        'cat "$d/out"; cat "$d/err" >&2; exit "$(cat "$d/exit")"',
    ];
}
/** What a probe that was asked to start compose did about it. */
function parseComposeStart(stdout) {
    const value = /^compose=(started|already-started)\s*$/m.exec(stdout)?.[1];
    return value === 'started' || value === 'already-started' ? value : undefined;
}
function shellQuote(text) {
    return `'${text.replaceAll("'", `'"'"'`)}'`;
}
function parseBootProbe(stdout) {
    const bootId = /^boot_id=([0-9a-f-]{36})\s*$/m.exec(stdout)?.[1];
    const uptime = /^uptime=(\d+(?:\.\d+)?)\s*$/m.exec(stdout)?.[1];
    if (bootId === undefined || uptime === undefined)
        return undefined;
    const now = /^now=(\d+(?:\.\d+)?)\s*$/m.exec(stdout)?.[1];
    const probe = { bootId, uptimeSeconds: Number(uptime) };
    if (now !== undefined)
        probe.hostNowSeconds = Number(now);
    return probe;
}
/** Read-only evidence from the struggling host. Each section is optional: a half-dead host answers what it can. */
function evidenceScript() {
    return [
        `${MARKER}evidence`,
        'echo "### boot"',
        ...bootProbeScript().slice(1),
        'echo "### top"',
        'ps -eo pid,user,pcpu,pmem,etime,comm --sort=-pcpu 2>/dev/null | head -n 6',
        'echo "### docker-stats"',
        'timeout 8 docker stats --no-stream --format "{{.Name}} cpu={{.CPUPerc}} mem={{.MemUsage}}" 2>&1 | head -n 20',
        'echo "### memory"',
        'free -m 2>/dev/null',
        'echo "### oom"',
        '(journalctl -k --since "-2h" --no-pager 2>/dev/null || dmesg 2>/dev/null) | grep -iE "out of memory|oom-kill|killed process" | tail -n 5',
        'true',
    ];
}
function parseEvidence(stdout) {
    const sections = new Map();
    let current;
    const lines = [];
    const flush = () => {
        if (current !== undefined)
            sections.set(current, lines.join('\n').trim());
        lines.length = 0;
    };
    for (const line of stdout.split('\n')) {
        const header = /^### ([a-z-]+)\s*$/.exec(line);
        if (header?.[1] !== undefined) {
            flush();
            current = header[1];
        }
        else {
            lines.push(line);
        }
    }
    flush();
    const result = {};
    const boot = parseBootProbe(sections.get('boot') ?? '');
    if (boot !== undefined)
        result.boot = boot;
    const assign = (key, name) => {
        const text = sections.get(name);
        if (text !== undefined && text !== '')
            result[key] = text;
    };
    assign('top', 'top');
    assign('dockerStats', 'docker-stats');
    assign('memory', 'memory');
    assign('oom', 'oom');
    return result;
}
/**
 * Sets `$COMPOSE` to `docker compose` (v2) or `docker-compose` (v1). With `auto` the host decides, so one config
 * serves hosts on either; a host with neither fails with exit 127 and says so.
 */
function selectCompose(command) {
    if (command !== 'auto')
        return `COMPOSE="${command}"`;
    return [
        'if docker compose version >/dev/null 2>&1; then COMPOSE="docker compose";',
        'elif command -v docker-compose >/dev/null 2>&1; then COMPOSE=docker-compose;',
        'else echo "neither docker compose nor docker-compose is installed" >&2; exit 127; fi',
    ].join(' ');
}
function asUser(user, script) {
    // runuser keeps the docker group membership of the user and needs no sudoers entry; SSM runs scripts as root.
    return user === undefined ? script : `runuser -u ${user} -- sh -c ${shellQuote(script)}`;
}
function composeUpCommand(options) {
    return asUser(options.user, `set -e; cd ${options.directory}; ${selectCompose(options.command)}; $COMPOSE up -d --remove-orphans`);
}
function composeUpScript(options) {
    return [`${MARKER}compose-up`, composeUpCommand(options)];
}
/**
 * Waits on the host (up to `waitSeconds`) until every service runs and no healthcheck is `starting`, then prints
 * the services: one SSM round trip instead of one per look. v2 prints one JSON object per line (newer) or one
 * JSON array (older); v1 has no JSON and prints a table.
 */
function composePsScript(options) {
    const notReady = '"Health":"(starting|unhealthy)"|"State":"(created|exited|restarting|paused|dead|removing)"|health: starting|Exit [0-9]|Restarting';
    const body = [
        `set -e; cd ${options.directory}; ${selectCompose(options.command)}`,
        `end=$(( $(date +%s) + ${Math.max(0, Math.floor(options.waitSeconds))} ))`,
        'while :; do',
        '  out=$($COMPOSE ps --all --format json 2>/dev/null || $COMPOSE ps)',
        `  if [ -n "$out" ] && ! printf "%s" "$out" | grep -qE '${notReady}'; then break; fi`,
        '  if [ "$(date +%s)" -ge "$end" ]; then break; fi',
        '  sleep 0.5',
        'done',
        'printf "%s\\n" "$out"',
    ].join('\n');
    return [
        `${MARKER}compose-ps`,
        `# wait-seconds=${Math.max(0, Math.floor(options.waitSeconds))}`,
        asUser(options.user, body),
    ];
}
/** The host-side wait a compose-ps or compose-wait script asks for (the simulator honours it as a host would). */
function scriptWaitSeconds(commands) {
    return Number(headerValue(commands, 'wait-seconds') ?? 0) || 0;
}
function parseComposePs(stdout) {
    const text = stdout.trim();
    if (text === '')
        return [];
    if (text.startsWith('[') || text.startsWith('{')) {
        const records = text.startsWith('[')
            ? JSON.parse(text)
            : text
                .split('\n')
                .filter((line) => line.trim().startsWith('{'))
                .map((line) => JSON.parse(line));
        return records.map((record) => {
            const r = record;
            return {
                service: String(r.Service ?? r.Name ?? ''),
                state: String(r.State ?? '').toLowerCase(),
                health: String(r.Health ?? '').toLowerCase(),
            };
        });
    }
    return parseComposeV1Table(text);
}
/** `docker-compose ps` (v1): a header, a dashed rule, then `name  command  state  ports` columns. */
function parseComposeV1Table(text) {
    const lines = text.split('\n').filter((line) => line.trim() !== '' && !/^-+$/.test(line.trim()));
    return lines.slice(1).map((line) => {
        const name = line.trim().split(/\s+/)[0] ?? '';
        const stateMatch = /\s(Up(?: \((healthy|unhealthy|health: starting)\))?|Exit \d+|Restarting|Paused)(?=\s|$)/.exec(line);
        const stateText = stateMatch?.[1] ?? 'unknown';
        const health = stateMatch?.[2] === 'health: starting' ? 'starting' : (stateMatch?.[2] ?? '');
        // Speak v2's vocabulary, so one readiness rule serves both versions.
        const state = stateText.startsWith('Up')
            ? 'running'
            : stateText.startsWith('Exit')
                ? 'exited'
                : stateText.toLowerCase();
        return { service: name, state, health };
    });
}
/** Keeps the end of long output, where the error usually is, and says how much was cut. */
function tail(text, maxChars = 1500) {
    if (text.length <= maxChars)
        return text;
    return `…(${text.length - maxChars} characters cut)\n${text.slice(-maxChars)}`;
}


/***/ }),

/***/ 5745:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   IZ: () => (/* binding */ acquireLock),
/* harmony export */   Py: () => (/* binding */ isLockExpired),
/* harmony export */   mF: () => (/* binding */ readLock),
/* harmony export */   oM: () => (/* binding */ lockParameterName)
/* harmony export */ });
/* unused harmony export takeoverMarkerName */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2635);


/**
 * One recovery per instance at a time, across the bot and the action: a Parameter Store parameter created with
 * `Overwrite=false` is an atomic create-if-absent, so exactly one contender can hold it.
 *
 * Parameter Store has no compare-and-swap, so taking over an expired lock goes through a second create-if-absent:
 * a marker named after that very lock (its version and a digest of its value; versions start again at 1 after a
 * delete, so a version alone would name every generation's marker alike). The contender that creates the marker
 * reads the lock once more and overwrites it only if it is still the expired one: a contender that saw the same
 * expired lock but reaches the marker after an earlier takeover has finished (and deleted its marker) finds the
 * new holder there and is refused. What remains is the instant between that read and the overwrite, in which the
 * expired holder would have to release and a third contender create the lock.
 */
/**
 * One lock per instance, whatever names it: the bot's target, or the action's instance inputs without a config
 * file. What must not happen twice at once is a restart of the instance.
 */
const lockParameterName = (prefix, instanceId) => `${prefix}/${instanceId}/lock`;
async function acquireLock(parameters, clock, request) {
    const name = lockParameterName(request.prefix, request.instanceId);
    const now = clock.now();
    const lock = {
        owner: request.owner,
        trigger: request.trigger,
        acquiredAt: new Date(now).toISOString(),
        expiresAt: new Date(now + request.ttlMs).toISOString(),
    };
    const value = JSON.stringify(lock);
    const release = () => releaseLock(parameters, clock, name, lock);
    /** A lock found gone: one more create-if-absent decides it, and a loss reports whoever holds it now. */
    const createOnce = async (shown) => (await parameters.create(name, value))
        ? { acquired: true, lock, release }
        : {
            acquired: false,
            holder: (await readLock(parameters, request.prefix, request.instanceId)) ?? shown,
        };
    if (await parameters.create(name, value))
        return { acquired: true, lock, release };
    const current = await parameters.get(name);
    // Ours after all: the SDK retried a create whose first attempt landed but whose answer was lost.
    if (current?.value === value)
        return { acquired: true, lock, release };
    // Released between our create and our read. Losing that race twice means a third party holds it now, gone again
    // before we could read it: our own request stands in for the holder's shape rather than an invented one.
    if (current === undefined)
        return createOnce(lock);
    const holder = decodeLock(current.value);
    if (Date.parse(holder.expiresAt) > now)
        return { acquired: false, holder };
    const marker = takeoverMarkerName(name, current);
    // A marker holding our own value is ours: a create whose answer was lost, as for the lock above.
    if (!(await parameters.create(marker, value)) && (await parameters.get(marker))?.value !== value)
        return { acquired: false, holder, takeoverMarker: marker };
    try {
        const again = await parameters.get(name);
        // Released meanwhile by its late holder.
        if (again === undefined)
            return await createOnce(holder);
        if (again.version !== current.version || again.value !== current.value)
            return { acquired: false, holder: decodeLock(again.value) };
        await parameters.overwrite(name, value);
    }
    finally {
        await parameters.delete(marker);
    }
    return { acquired: true, lock, takenOverFrom: holder, release };
}
/** Names the takeover of one expired lock: its version and a digest of its value. */
function takeoverMarkerName(lockName, stale) {
    const digest = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(stale.value).digest('hex').slice(0, 16);
    return `${lockName}-takeover-v${stale.version}-${digest}`;
}
async function readLock(parameters, prefix, instanceId) {
    const current = await parameters.get(lockParameterName(prefix, instanceId));
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
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .RecoveryError */ .gN('lock-held', `the lock parameter holds an unreadable value: ${value.slice(0, 80)}`, {
        fix: 'Delete the lock parameter in Parameter Store if no recovery is running.',
    });
}


/***/ })

};
