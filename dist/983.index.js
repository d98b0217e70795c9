export const id = 983;
export const ids = [983];
export const modules = {

/***/ 983:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  doctor: () => (/* binding */ doctor)
});

// EXTERNAL MODULE: ./shared/alarm/alarm-plan.ts
var alarm_plan = __webpack_require__(9361);
// EXTERNAL MODULE: ./shared/alarm/alarm-provisioner.ts
var alarm_provisioner = __webpack_require__(6776);
// EXTERNAL MODULE: ./shared/alarm/alarm-spec.ts
var alarm_spec = __webpack_require__(6193);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/recovery/command-wait.ts
var command_wait = __webpack_require__(9387);
// EXTERNAL MODULE: ./shared/state/lock.ts
var lock = __webpack_require__(5745);
// EXTERNAL MODULE: ./action/render/markdown.ts
var markdown = __webpack_require__(6533);
// EXTERNAL MODULE: ./action/report.ts
var action_report = __webpack_require__(7123);
// EXTERNAL MODULE: ./shared/recovery/remote-scripts.ts
var remote_scripts = __webpack_require__(4889);
;// CONCATENATED MODULE: ./action/commands/doctor-probe.ts

/**
 * The doctor's one SSM command: read-only, answers in well under a second on a healthy host, and tells whether
 * a recovery's compose step could work there: the directory, Docker and its daemon, Compose v2 or v1, a compose
 * file. The Docker part runs as the configured compose user, as the recovery's own commands do.
 *
 * Interpolated values come from the validated config (safe characters only), as in shared/recovery/remote-scripts.
 */
const DOCTOR_SCRIPT_MARKER = '# domtory-recovery:doctor';
const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
function doctorScript(target) {
    const { directory, user } = target.compose;
    const docker = [
        `cd ${directory} 2>/dev/null && echo "directory=ok" || echo "directory=missing"`,
        'command -v docker >/dev/null 2>&1 && echo "docker=present" || echo "docker=missing"',
        'echo "docker_server=$(docker version --format "{{.Server.Version}}" 2>&1 | head -n 1)"',
        'docker compose version >/dev/null 2>&1 && echo "compose_v2=$(docker compose version --short 2>/dev/null)"',
        'command -v docker-compose >/dev/null 2>&1 && echo "compose_v1=$(docker-compose version --short 2>/dev/null)"',
        `for f in ${COMPOSE_FILES.join(' ')}; do [ -f "$f" ] && echo "compose_file=$f"; done`,
        'true',
    ].join('; ');
    return [
        DOCTOR_SCRIPT_MARKER,
        // The recovery's boot probe lines (less its marker), so the doctor shows the boot id and uptime a recovery sees.
        ...(0,remote_scripts/* bootProbeScript */.cK)().slice(1),
        user === undefined ? docker : `${(0,remote_scripts/* asUser */.ex)(user, docker)} || echo "user=failed"`,
    ];
}
function parseDoctorProbe(stdout) {
    const values = new Map();
    for (const line of stdout.split('\n')) {
        const match = /^([a-z_0-9]+)=(.*)$/.exec(line.trim());
        if (match?.[1] === undefined)
            continue;
        values.set(match[1], [...(values.get(match[1]) ?? []), match[2] ?? '']);
    }
    const first = (key) => values.get(key)?.[0];
    const probe = {
        directory: first('directory') === 'ok',
        docker: first('docker') === 'present',
        dockerServer: first('docker_server') ?? '',
        composeFiles: values.get('compose_file') ?? [],
        userFailed: first('user') === 'failed',
    };
    const bootId = first('boot_id');
    if (bootId !== undefined && bootId !== '')
        probe.bootId = bootId;
    const uptime = Number(first('uptime'));
    if (Number.isFinite(uptime))
        probe.uptimeSeconds = uptime;
    const v2 = first('compose_v2');
    if (v2 !== undefined)
        probe.composeV2 = v2 || 'unknown version';
    const v1 = first('compose_v1');
    if (v1 !== undefined)
        probe.composeV1 = v1 || 'unknown version';
    return probe;
}
/** Whether the compose step of a recovery could run, judged from the probe; the first problem found wins. */
function composeVerdict(target, probe) {
    const { directory, command, user } = target.compose;
    const who = user ?? 'root';
    if (probe.userFailed) {
        return {
            ok: false,
            detail: `could not run commands as ${who}`,
            fix: `Check that the user ${who} exists on the instance (compose.user), or remove compose.user to run as root.`,
        };
    }
    if (!probe.directory) {
        return {
            ok: false,
            detail: `${directory} does not exist (or ${who} cannot enter it)`,
            fix: `Point compose.directory at the compose project on the instance, or give ${who} access to it.`,
        };
    }
    if (!probe.docker) {
        return {
            ok: false,
            detail: 'docker is not installed (not on the PATH)',
            fix: 'Install Docker Engine on the instance: https://docs.docker.com/engine/install/',
        };
    }
    if (!/^\d+\.\d+/.test(probe.dockerServer)) {
        const permission = /permission denied/i.test(probe.dockerServer);
        return {
            ok: false,
            detail: `the Docker daemon does not answer ${who}: ${probe.dockerServer || 'no answer'}`,
            fix: permission
                ? `Add ${who} to the docker group: sudo usermod -aG docker ${who} (then log in again or reboot).`
                : 'Start Docker and enable it at boot: sudo systemctl enable --now docker.',
        };
    }
    const v2 = probe.composeV2;
    const v1 = probe.composeV1;
    if (command === 'docker compose' && v2 === undefined) {
        return {
            ok: false,
            detail: `compose.command is "docker compose" but the Compose plugin is missing${v1 === undefined ? '' : ` (docker-compose ${v1} is installed)`}`,
            fix: v1 === undefined
                ? 'Install the Docker Compose plugin (docker-compose-plugin).'
                : 'Set compose.command to "docker-compose" or "auto", or install the Docker Compose plugin.',
        };
    }
    if (command === 'docker-compose' && v1 === undefined) {
        return {
            ok: false,
            detail: `compose.command is "docker-compose" but it is not installed${v2 === undefined ? '' : ` (docker compose ${v2} is)`}`,
            fix: 'Set compose.command to "docker compose" or "auto".',
        };
    }
    if (v1 === undefined && v2 === undefined) {
        return {
            ok: false,
            detail: 'neither docker compose nor docker-compose is installed',
            fix: 'Install the Docker Compose plugin (docker-compose-plugin).',
        };
    }
    if (probe.composeFiles.length === 0) {
        return {
            ok: false,
            detail: `no ${COMPOSE_FILES.join(', ')} in ${directory}`,
            fix: 'Point compose.directory at the directory that holds the compose file.',
        };
    }
    const used = command === 'docker-compose' || (command === 'auto' && v2 === undefined)
        ? `docker-compose ${v1}`
        : `docker compose ${v2}`;
    return {
        ok: true,
        detail: `Docker ${probe.dockerServer}, ${used}, ${probe.composeFiles.join(', ')} in ${directory} (as ${who})`,
    };
}

;// CONCATENATED MODULE: ./action/commands/doctor.ts









const ICON = { pass: '✔', warn: '⚠', fail: '✖', skip: '⏭' };
/** How long the doctor waits for its SSM command: far more than a healthy agent needs. */
const COMMAND_WAIT_MS = 45_000;
async function doctor(inputs, tools) {
    const checks = [];
    for (const target of inputs.targets) {
        const targetChecks = await diagnose(target, inputs, tools);
        tools.log.startGroup(`Doctor: ${target.name} (${target.instanceId}, ${target.region})`);
        for (const check of targetChecks) {
            tools.log.info(`${ICON[check.status]} ${check.check}: ${check.detail}`);
            if (check.fix !== undefined && check.status !== 'pass')
                tools.log.info(`    fix: ${check.fix}`);
        }
        tools.log.endGroup();
        checks.push(...targetChecks);
    }
    const failed = checks.filter((check) => check.status === 'fail');
    const warned = checks.filter((check) => check.status === 'warn');
    const report = {
        ok: failed.length === 0,
        outputs: {
            outcome: failed.length > 0 ? 'failed' : warned.length > 0 ? 'warnings' : 'ok',
            checks: JSON.stringify(checks),
            failed: String(failed.length),
        },
        summary: doctorSummary(inputs, checks),
    };
    if (failed.length > 0) {
        report.failure = `${failed.length} check(s) failed:\n${failed
            .map((check) => `${check.target} / ${check.check}: ${(0,action_report/* withFix */.Y)(check.detail, check.fix, ' ')}`)
            .join('\n')}`;
    }
    return report;
}
const CHECK = {
    credentials: 'Credentials and region',
    instance: 'Instance exists',
    ec2: 'EC2 permissions (DryRun)',
    ssm: 'SSM agent reachable',
    compose: 'Docker and compose',
    parameters: 'Parameter Store (lock and history)',
    metrics: 'CloudWatch metrics (evidence)',
    alarm: 'Alarm wired to its actions',
};
function failure(target, check, error, status = 'fail') {
    const summary = (0,errors/* summarizeError */.Gg)(error);
    const entry = { target: target.name, check, status, detail: summary.message };
    if (summary.fix !== undefined)
        entry.fix = summary.fix;
    return entry;
}
async function diagnose(target, inputs, tools) {
    const ports = tools.aws.ports(target.region);
    const pass = (check, detail) => ({
        target: target.name,
        check,
        status: 'pass',
        detail,
    });
    const skip = (check, detail) => ({
        target: target.name,
        check,
        status: 'skip',
        detail,
    });
    let instance;
    try {
        instance = await ports.ec2.describeInstance(target.instanceId);
    }
    catch (error) {
        const credentials = failure(target, CHECK.credentials, error);
        const blocked = 'needs working credentials and ec2:DescribeInstances';
        return [
            credentials,
            ...[
                CHECK.instance,
                CHECK.ec2,
                CHECK.ssm,
                CHECK.compose,
                CHECK.parameters,
                CHECK.metrics,
                CHECK.alarm,
            ].map((check) => skip(check, blocked)),
        ];
    }
    const checks = [pass(CHECK.credentials, `AWS answered ec2:DescribeInstances in ${target.region}`)];
    if (instance === undefined) {
        checks.push({
            target: target.name,
            check: CHECK.instance,
            status: 'fail',
            detail: `${target.instanceId} does not exist in ${target.region}`,
            fix: 'Check the instance id and the region: instance ids are per region.',
        });
        for (const check of [CHECK.ec2, CHECK.ssm, CHECK.compose])
            checks.push(skip(check, 'no instance'));
    }
    else {
        const running = instance.state === 'running';
        checks.push({
            target: target.name,
            check: CHECK.instance,
            status: running
                ? 'pass'
                : instance.state === 'terminated' || instance.state === 'shutting-down'
                    ? 'fail'
                    : 'warn',
            detail: `${instance.state}, ${instance.instanceType}${instance.availabilityZone === undefined ? '' : ` in ${instance.availabilityZone}`}`,
            ...(running
                ? {}
                : { fix: 'A recovery starts a stopped instance; a terminated one cannot be recovered.' }),
        });
    }
    const [ec2, remote, parameters, metrics, alarm] = await Promise.all([
        instance === undefined ? Promise.resolve(undefined) : checkEc2(target, ports),
        instance === undefined ? Promise.resolve(undefined) : checkRemote(target, instance, ports, tools.signal),
        checkParameters(target, inputs.parameterPrefix, ports),
        checkMetrics(target, ports),
        checkAlarm(target, tools),
    ]);
    if (ec2 !== undefined)
        checks.push(ec2);
    if (remote !== undefined)
        checks.push(...remote);
    checks.push(parameters, metrics, alarm);
    return checks;
}
async function checkEc2(target, ports) {
    const id = target.instanceId;
    const attempts = await Promise.allSettled([
        ports.ec2.rebootInstance(id, { dryRun: true }),
        ports.ec2.stopInstance(id, { dryRun: true, force: false }),
        ports.ec2.startInstance(id, { dryRun: true }),
    ]);
    const names = ['RebootInstances', 'StopInstances', 'StartInstances'];
    const refused = attempts.flatMap((attempt, index) => attempt.status === 'rejected' ? [{ name: names[index] ?? '', error: attempt.reason }] : []);
    if (refused.length === 0) {
        return {
            target: target.name,
            check: CHECK.ec2,
            status: 'pass',
            detail: 'RebootInstances, StopInstances and StartInstances would be allowed',
        };
    }
    const first = (0,errors/* summarizeError */.Gg)(refused[0]?.error);
    const check = {
        target: target.name,
        check: CHECK.ec2,
        status: 'fail',
        detail: `${refused.map((entry) => entry.name).join(', ')} refused: ${first.message}`,
    };
    const fix = first.fix ??
        `Allow ${refused.map((entry) => `ec2:${entry.name}`).join(', ')} on ${id} for the role these credentials belong to.`;
    check.fix = fix;
    return check;
}
async function runDoctorCommand(target, ports, signal) {
    const { commandId } = await ports.commands.sendCommand({
        instanceId: target.instanceId,
        commands: doctorScript(target),
        deliveryTimeoutSeconds: 30,
        executionTimeoutSeconds: 30,
        comment: `domtory-recovery doctor (${target.name})`,
    });
    const wait = await (0,command_wait/* waitForCommand */.c)(ports.commands, ports.clock, {
        commandId,
        instanceId: target.instanceId,
        deadline: ports.clock.now() + COMMAND_WAIT_MS,
        cadence: { firstMs: 400, maxMs: 2_000 },
        pause: (ms) => ports.clock.sleep(ms, signal),
    }).catch((error) => {
        if (signal.aborted) {
            // The reason says who stopped the run: its cancellation, or the action's timeout-minutes.
            const why = signal.reason instanceof Error ? signal.reason.message : 'the run was stopped';
            throw new Error(`${why} while the doctor's command ${commandId} ran`);
        }
        throw error;
    });
    if (wait.finished)
        return wait.invocation;
    throw new Error(`the doctor's command ${commandId} did not finish within ${COMMAND_WAIT_MS / 1000} s (last status ${wait.lastStatus ?? 'not yet known to SSM'})`);
}
async function checkRemote(target, instance, ports, signal) {
    const base = { target: target.name };
    if (instance.state !== 'running') {
        const why = `the instance is ${instance.state}`;
        return [
            { ...base, check: CHECK.ssm, status: 'skip', detail: why },
            { ...base, check: CHECK.compose, status: 'skip', detail: why },
        ];
    }
    const ping = await ports.commands.agentPingStatus(target.instanceId).catch(() => undefined);
    let invocation;
    try {
        invocation = await runDoctorCommand(target, ports, signal);
    }
    catch (error) {
        const ssm = failure(target, CHECK.ssm, error);
        if (ping !== undefined)
            ssm.detail = `${ssm.detail} (agent ping status: ${ping})`;
        if (!(0,errors/* isRecoveryError */.Co)(error) && ssm.fix === undefined) {
            ssm.fix = 'Check the command in Systems Manager, Run Command: the agent may be overloaded or stopped.';
        }
        return [ssm, { ...base, check: CHECK.compose, status: 'skip', detail: 'needs the SSM agent' }];
    }
    if (invocation.status !== 'Success') {
        return [
            {
                ...base,
                check: CHECK.ssm,
                status: 'fail',
                detail: `the doctor's command ${invocation.commandId} ended ${invocation.status}: ${invocation.stderr.trim().split('\n').at(-1) ?? ''}`,
                fix: 'Check the command in Systems Manager, Run Command; the instance needs a POSIX shell (AWS-RunShellScript).',
            },
            { ...base, check: CHECK.compose, status: 'skip', detail: 'the doctor command did not run' },
        ];
    }
    const probe = parseDoctorProbe(invocation.stdout);
    const ssm = {
        ...base,
        check: CHECK.ssm,
        status: 'pass',
        detail: `agent ${ping ?? 'answered'}; boot ${probe.bootId?.slice(0, 8) ?? '?'}${probe.uptimeSeconds === undefined ? '' : `, up ${(0,markdown/* seconds */.YA)(probe.uptimeSeconds * 1000)}`} (command ${invocation.commandId})`,
    };
    const verdict = composeVerdict(target, probe);
    const compose = {
        ...base,
        check: CHECK.compose,
        status: verdict.ok ? 'pass' : 'fail',
        detail: verdict.detail,
    };
    if (verdict.fix !== undefined)
        compose.fix = verdict.fix;
    return [ssm, compose];
}
async function checkParameters(target, prefix, ports) {
    // A real write and delete next to the lock: PutParameter cannot be tried with DryRun, and a lock that cannot be
    // written stops every recovery at its first step.
    const name = `${prefix}/${target.name}/doctor-probe`;
    try {
        await ports.parameters.get((0,lock/* lockParameterName */.oM)(prefix, target.instanceId));
        await ports.parameters.create(name, JSON.stringify({ doctor: new Date().toISOString() }));
        await ports.parameters.delete(name);
        return {
            target: target.name,
            check: CHECK.parameters,
            status: 'pass',
            detail: `read, wrote and deleted ${name}`,
        };
    }
    catch (error) {
        const check = failure(target, CHECK.parameters, error);
        check.fix ??= `Allow ssm:GetParameter, ssm:PutParameter and ssm:DeleteParameter on parameter${prefix}/*.`;
        return check;
    }
}
async function checkMetrics(target, ports) {
    const end = new Date(ports.clock.now());
    try {
        const points = await ports.metrics.getDatapoints({
            instanceId: target.instanceId,
            metric: 'CPUUtilization',
            statistic: 'Maximum',
            start: new Date(end.getTime() - 30 * 60_000),
            end,
            periodSeconds: 300,
        });
        const last = points.at(-1);
        return {
            target: target.name,
            check: CHECK.metrics,
            status: 'pass',
            detail: last === undefined
                ? 'cloudwatch:GetMetricStatistics answered (no datapoints in the last 30 min)'
                : `CPUUtilization ${last.value.toFixed(1)}% at ${last.timestamp.toISOString()}`,
        };
    }
    catch (error) {
        // Evidence is best effort: a recovery goes on without it.
        return failure(target, CHECK.metrics, error, 'warn');
    }
}
async function checkAlarm(target, tools) {
    const base = { target: target.name, check: CHECK.alarm };
    const { alarms } = (0,alarm_spec/* desiredAlarms */.bi)(target);
    if (alarms.length === 0)
        return { ...base, status: 'skip', detail: 'alarm.enabled is false: no alarm is managed' };
    const { topicArn, rebootAction, systemRecovery } = target.alarm;
    if (topicArn === undefined && !rebootAction && !systemRecovery) {
        // provision refuses an alarm that would do nothing, so a missing one is no fault: recoveries are by hand.
        return {
            ...base,
            status: 'skip',
            detail: 'not configured (restart-only): no topic, reboot action or system recovery is set, so provision manages no alarm',
        };
    }
    const refused = (0,alarm_spec/* alarmConfigProblems */.Ab)(target);
    if (refused.length > 0) {
        // "Run provision" would be no fix: provision refuses these settings before any AWS call.
        return {
            ...base,
            status: 'fail',
            detail: refused.map((problem) => problem.message).join('; '),
            fix: 'Correct the alarm settings; provision refuses them as they are.',
        };
    }
    const clients = tools.aws.clients(target.region);
    try {
        const described = await (0,alarm_provisioner/* describeAlarmsByName */.o7)(clients, alarms.map((alarm) => alarm.spec.AlarmName));
        const problems = [];
        for (const { spec } of alarms) {
            const existing = described.get(spec.AlarmName);
            if (existing === undefined)
                problems.push(`${spec.AlarmName} does not exist`);
            else {
                const changes = (0,alarm_plan/* diffAlarm */.f4)(spec, existing).filter((change) => change.field !== 'AlarmDescription');
                if (changes.length > 0)
                    problems.push(`${spec.AlarmName} differs: ${(0,alarm_plan/* describeChanges */.DT)(changes)}`);
            }
        }
        if (problems.length > 0) {
            return {
                ...base,
                status: 'fail',
                detail: problems.join('; '),
                fix: 'Run the provision command: it creates or updates only what differs (try dry-run: true first).',
            };
        }
        const topicArn = target.alarm.topicArn;
        let topicNote = '';
        if (topicArn !== undefined) {
            const { describeTopic } = await Promise.all(/* import() */[__webpack_require__.e(797), __webpack_require__.e(867)]).then(__webpack_require__.bind(__webpack_require__, 5867));
            let state;
            try {
                state = await describeTopic(clients, topicArn);
            }
            catch (error) {
                const check = failure(target, CHECK.alarm, error, 'warn');
                check.detail = `alarms match the config; could not check topic ${topicArn}: ${check.detail}`;
                return check;
            }
            if (!state.exists) {
                return {
                    ...base,
                    status: 'fail',
                    detail: `the alarm notifies ${topicArn}, which does not exist`,
                    fix: 'Run provision with create-topic: true, or correct alarm.topicArn.',
                };
            }
            if (state.confirmed === 0) {
                return {
                    ...base,
                    status: 'warn',
                    detail: `${topicArn} has no confirmed subscription${state.pending > 0 ? ` (${state.pending} pending)` : ''}: nobody hears the alarm`,
                    fix: "Run provision with subscription-endpoint set to the bot's URL; the bot confirms the subscription when SNS calls it.",
                };
            }
            topicNote = `; ${topicArn.split(':')[5]} has ${state.confirmed} confirmed subscription(s)`;
        }
        const states = alarms.map(({ spec }) => `${spec.AlarmName} ${described.get(spec.AlarmName)?.StateValue ?? '?'}`);
        return { ...base, status: 'pass', detail: `${states.join(', ')}${topicNote}` };
    }
    catch (error) {
        return failure(target, CHECK.alarm, error);
    }
}
function doctorSummary(inputs, checks) {
    const failed = checks.filter((check) => check.status === 'fail').length;
    const parts = [
        failed === 0 ? '## ✅ Doctor: a recovery has what it needs' : `## ❌ Doctor: ${failed} check(s) failed`,
    ];
    for (const target of inputs.targets) {
        parts.push(`### ${(0,markdown/* escapeHtml */.ZD)(target.name)} (\`${target.instanceId}\`, ${target.region})`);
        parts.push((0,markdown/* table */.tp)(['Check', 'Result', 'Detail', 'Fix'], checks
            .filter((check) => check.target === target.name)
            .map((check) => [
            check.check,
            `${ICON[check.status]} ${check.status}`,
            check.detail,
            check.status === 'pass' ? '' : (check.fix ?? ''),
        ])));
    }
    return `${parts.join('\n\n')}\n`;
}


/***/ }),

/***/ 9361:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ci: () => (/* binding */ planAlarms),
/* harmony export */   DT: () => (/* binding */ describeChanges),
/* harmony export */   MM: () => (/* binding */ planSummary),
/* harmony export */   Rt: () => (/* binding */ shortAction),
/* harmony export */   Xb: () => (/* binding */ isChange),
/* harmony export */   Xh: () => (/* binding */ redactEndpoint),
/* harmony export */   f4: () => (/* binding */ diffAlarm),
/* harmony export */   l9: () => (/* binding */ describeSpec),
/* harmony export */   u7: () => (/* binding */ formatPlanItem)
/* harmony export */ });
function isChange(item) {
    return (item.kind === 'create-alarm' ||
        item.kind === 'update-alarm' ||
        item.kind === 'delete-alarm' ||
        item.kind === 'create-topic' ||
        item.kind === 'subscribe');
}
function planAlarms(targets, described) {
    const plan = [];
    for (const target of targets) {
        for (const { role, spec } of target.alarms) {
            const existing = described.get(spec.AlarmName);
            if (existing === undefined) {
                plan.push({ kind: 'create-alarm', target: target.target, role, spec });
                continue;
            }
            const changes = diffAlarm(spec, existing);
            if (changes.length === 0) {
                const item = { kind: 'alarm-unchanged', target: target.target, role, name: spec.AlarmName };
                if (existing.StateValue !== undefined)
                    item.state = existing.StateValue;
                plan.push(item);
            }
            else {
                plan.push({ kind: 'update-alarm', target: target.target, role, spec, changes });
            }
        }
        for (const name of target.retired) {
            if (described.has(name)) {
                plan.push({ kind: 'delete-alarm', target: target.target, name, reason: target.retiredReason });
            }
        }
    }
    return plan;
}
const sorted = (values) => [...(values ?? [])].sort();
function show(value) {
    if (value === undefined)
        return '(none)';
    if (Array.isArray(value))
        return `[${value.map((entry) => show(entry)).join(', ')}]`;
    if (typeof value === 'object' && value !== null) {
        return Object.entries(value)
            .map(([key, entry]) => `${key}=${show(entry)}`)
            .join(',');
    }
    return typeof value === 'string' ? value : String(value);
}
/**
 * Field by field, with CloudWatch's own defaults filled in on the described side (an absent
 * `DatapointsToAlarm` means "all evaluation periods", an absent `TreatMissingData` means `missing`), and
 * lists compared as sets: CloudWatch does not promise to return actions in the order they were sent.
 */
function diffAlarm(spec, described) {
    const changes = [];
    const compare = (field, want, have) => {
        const to = show(want);
        const from = show(have);
        if (to !== from)
            changes.push({ field, from, to });
    };
    compare('AlarmDescription', spec.AlarmDescription, described.AlarmDescription);
    compare('ActionsEnabled', spec.ActionsEnabled, described.ActionsEnabled ?? true);
    compare('Namespace', spec.Namespace, described.Namespace);
    compare('MetricName', spec.MetricName, described.MetricName);
    // A metric-math alarm under our name has no MetricName at all; saying so beats a puzzling "(none)".
    if ((described.Metrics?.length ?? 0) > 0) {
        changes.push({ field: 'Metrics', from: 'a metric math expression', to: '(none)' });
    }
    const dimensions = (list) => sorted((list ?? []).map((dimension) => `${dimension.Name ?? ''}=${dimension.Value ?? ''}`));
    compare('Dimensions', dimensions(spec.Dimensions), dimensions(described.Dimensions));
    compare('Statistic', spec.Statistic, described.ExtendedStatistic ?? described.Statistic);
    compare('Period', spec.Period, described.Period);
    compare('EvaluationPeriods', spec.EvaluationPeriods, described.EvaluationPeriods);
    compare('DatapointsToAlarm', spec.DatapointsToAlarm, described.DatapointsToAlarm ?? described.EvaluationPeriods);
    compare('Threshold', spec.Threshold, described.Threshold);
    compare('ComparisonOperator', spec.ComparisonOperator, described.ComparisonOperator);
    compare('TreatMissingData', spec.TreatMissingData, described.TreatMissingData ?? 'missing');
    compare('Unit', undefined, described.Unit);
    compare('AlarmActions', sorted(spec.AlarmActions), sorted(described.AlarmActions));
    compare('OKActions', sorted(spec.OKActions), sorted(described.OKActions));
    compare('InsufficientDataActions', sorted(spec.InsufficientDataActions), sorted(described.InsufficientDataActions));
    return changes;
}
/** `sns:<topic>` and `ec2:reboot` read better in a plan than whole ARNs. */
function shortAction(arn) {
    const parts = arn.split(':');
    if (parts[2] === 'sns')
        return `sns:${parts[5] ?? arn}`;
    if (parts[2] === 'automate')
        return parts.slice(4).join(':');
    return arn;
}
/**
 * An HTTPS subscription endpoint may carry a token in its path or query: plans, logs and outputs show only its
 * origin. The full URL never leaves the applier.
 */
function redactEndpoint(endpoint) {
    try {
        const url = new URL(endpoint);
        const hidden = url.pathname !== '/' || url.search !== '' ? '/…' : '';
        return `${url.protocol}//${url.host}${hidden}`;
    }
    catch {
        return '(endpoint)';
    }
}
/** `CPUUtilization Average > 95 for 2 x 300 s -> sns:topic, ec2:reboot` */
function describeSpec(spec) {
    const actions = spec.AlarmActions.map(shortAction).join(', ') || 'no action';
    const window = spec.DatapointsToAlarm === spec.EvaluationPeriods
        ? `${spec.EvaluationPeriods} x ${spec.Period} s`
        : `${spec.DatapointsToAlarm} of ${spec.EvaluationPeriods} x ${spec.Period} s`;
    const operator = spec.ComparisonOperator === 'GreaterThanThreshold' ? '>' : spec.ComparisonOperator;
    return `${spec.MetricName} ${spec.Statistic} ${operator} ${spec.Threshold} for ${window} -> ${actions}`;
}
const showField = (value) => (value.length > 120 ? `${value.slice(0, 117)}...` : value);
function describeChanges(changes) {
    return changes
        .map((change) => `${change.field} ${showField(change.from)} -> ${showField(change.to)}`)
        .join('; ');
}
/** One line per item, prefixed like a plan: `+` create, `~` update, `-` delete, `=` nothing to do. */
function formatPlanItem(item) {
    switch (item.kind) {
        case 'create-alarm':
            return `+ create alarm ${item.spec.AlarmName}: ${describeSpec(item.spec)}`;
        case 'update-alarm':
            return `~ update alarm ${item.spec.AlarmName}: ${describeChanges(item.changes)}`;
        case 'alarm-unchanged':
            return `= alarm ${item.name} is up to date${item.state === undefined ? '' : ` (state ${item.state})`}`;
        case 'delete-alarm':
            return `- delete alarm ${item.name} (${item.reason})`;
        case 'create-topic':
            return `+ create SNS topic ${item.topicArn}`;
        case 'topic-unchanged':
            return `= SNS topic ${item.topicArn} exists`;
        case 'subscribe':
            return `+ subscribe ${redactEndpoint(item.endpoint)} (https) to ${shortAction(item.topicArn)}`;
        case 'subscription-unchanged':
            return `= ${redactEndpoint(item.endpoint)} is subscribed to ${shortAction(item.topicArn)}${item.pending ? ' (pending confirmation: the bot confirms it when it receives the SubscriptionConfirmation)' : ''}`;
    }
}
/** The plan as plain data for outputs and logs: endpoints redacted, specs reduced to their names. */
function planSummary(item) {
    switch (item.kind) {
        case 'create-alarm':
        case 'update-alarm':
            return {
                kind: item.kind,
                target: item.target,
                alarm: item.spec.AlarmName,
                ...(item.kind === 'update-alarm' ? { fields: item.changes.map((change) => change.field) } : {}),
            };
        case 'alarm-unchanged':
            return { kind: item.kind, target: item.target, alarm: item.name };
        case 'delete-alarm':
            return { kind: item.kind, target: item.target, alarm: item.name };
        case 'create-topic':
        case 'topic-unchanged':
            return { kind: item.kind, topic: item.topicArn };
        case 'subscribe':
        case 'subscription-unchanged':
            return { kind: item.kind, topic: item.topicArn, endpoint: redactEndpoint(item.endpoint) };
    }
}


/***/ }),

/***/ 6776:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lh: () => (/* binding */ alarmsOnInstanceCpu),
/* harmony export */   o7: () => (/* binding */ describeAlarmsByName),
/* harmony export */   qD: () => (/* binding */ provisionAlarms)
/* harmony export */ });
/* unused harmony export targetAlarms */
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4085);
/* harmony import */ var _aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2545);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2635);
/* harmony import */ var _alarm_plan_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9361);
/* harmony import */ var _alarm_spec_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6193);





/**
 * Idempotent alarm provisioning (DESIGN.md): describe, diff, then create or update only what differs. The plan is
 * reported before anything is sent, so a dry run and a real run print the same plan.
 *
 * Describing throws (nothing has changed yet); applying does not: a failure part-way is returned with the changes
 * already made, because a person needs both to know where the account stands.
 */
const call = (clients, operation, resource) => ({
    service: 'cloudwatch',
    operation,
    resource,
    region: clients.region,
});
/** DescribeAlarms accepts at most 100 names per call. */
const MAX_NAMES_PER_CALL = 100;
async function describeAlarmsByName(clients, names) {
    const found = new Map();
    for (let start = 0; start < names.length; start += MAX_NAMES_PER_CALL) {
        const batch = names.slice(start, start + MAX_NAMES_PER_CALL);
        let nextToken;
        do {
            try {
                const output = await clients
                    .client(_aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_3__/* .CloudWatchClient */ .WBn)
                    .send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_3__/* .DescribeAlarmsCommand */ .zWD({ AlarmNames: batch, NextToken: nextToken }));
                for (const alarm of output.MetricAlarms ?? []) {
                    if (alarm.AlarmName !== undefined)
                        found.set(alarm.AlarmName, alarm);
                }
                nextToken = output.NextToken;
            }
            catch (error) {
                throw (0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .toRecoveryError */ .vU)(error, call(clients, 'DescribeAlarms', `alarms ${batch.join(', ')}`));
            }
        } while (nextToken !== undefined);
    }
    return found;
}
/** Every metric alarm on the instance's CPUUtilization, whoever made it. */
async function alarmsOnInstanceCpu(clients, instanceId) {
    try {
        const output = await clients.client(_aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_3__/* .CloudWatchClient */ .WBn).send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_3__/* .DescribeAlarmsForMetricCommand */ .aXt({
            Namespace: 'AWS/EC2',
            MetricName: 'CPUUtilization',
            Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
        }));
        return output.MetricAlarms ?? [];
    }
    catch (error) {
        throw (0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .toRecoveryError */ .vU)(error, call(clients, 'DescribeAlarmsForMetric', `CPUUtilization alarms of instance ${instanceId}`));
    }
}
function targetAlarms(target) {
    const { alarms, retired } = (0,_alarm_spec_js__WEBPACK_IMPORTED_MODULE_2__/* .desiredAlarms */ .bi)(target);
    return {
        target: target.name,
        alarms,
        retired,
        retiredReason: target.alarm.enabled ? 'alarm.systemRecovery is off' : 'alarm.enabled is false',
    };
}
async function provisionAlarms(request) {
    const { clients, targets } = request;
    const wanted = targets.map(targetAlarms);
    const described = await describeAlarmsByName(clients, targets.flatMap((target) => (0,_alarm_spec_js__WEBPACK_IMPORTED_MODULE_2__/* .managedAlarmNames */ .VI)(target.name)));
    const warnings = await foreignCpuAlarms(clients, targets);
    const plan = [];
    const topicArns = [
        ...new Set(targets.flatMap((target) => target.alarm.enabled && target.alarm.topicArn !== undefined ? [target.alarm.topicArn] : [])),
    ];
    if (topicArns.length > 0 && (request.createTopics || request.subscriptionEndpoint !== undefined)) {
        // The SNS client is loaded only for runs that manage the topic.
        const { planTopics } = await Promise.all(/* import() */[__webpack_require__.e(797), __webpack_require__.e(867)]).then(__webpack_require__.bind(__webpack_require__, 5867));
        const topics = await planTopics(clients, {
            topicArns,
            create: request.createTopics,
            ...(request.subscriptionEndpoint === undefined
                ? {}
                : { subscriptionEndpoint: request.subscriptionEndpoint }),
        });
        plan.push(...topics.plan);
        warnings.push(...topics.warnings);
    }
    plan.push(...(0,_alarm_plan_js__WEBPACK_IMPORTED_MODULE_4__/* .planAlarms */ .Ci)(wanted, described));
    request.onPlan?.(plan, warnings);
    const result = { region: clients.region, plan, applied: [], warnings };
    if (request.dryRun)
        return result;
    // Topics before subscriptions before alarms: an alarm must never point at a topic that is not there yet.
    for (const item of plan) {
        if (!(0,_alarm_plan_js__WEBPACK_IMPORTED_MODULE_4__/* .isChange */ .Xb)(item))
            continue;
        try {
            await applyChange(clients, item);
        }
        catch (error) {
            result.failed = { item, error: (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .summarizeError */ .Gg)(error) };
            return result;
        }
        result.applied.push(item);
    }
    return result;
}
async function applyChange(clients, item) {
    switch (item.kind) {
        case 'create-topic': {
            const { createTopic } = await Promise.all(/* import() */[__webpack_require__.e(797), __webpack_require__.e(867)]).then(__webpack_require__.bind(__webpack_require__, 5867));
            return createTopic(clients, item.topicArn);
        }
        case 'subscribe': {
            const { subscribeEndpoint } = await Promise.all(/* import() */[__webpack_require__.e(797), __webpack_require__.e(867)]).then(__webpack_require__.bind(__webpack_require__, 5867));
            return subscribeEndpoint(clients, item.topicArn, item.endpoint);
        }
        case 'create-alarm':
        case 'update-alarm':
            return putAlarm(clients, item.spec);
        case 'delete-alarm':
            try {
                await clients.client(_aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_3__/* .CloudWatchClient */ .WBn).send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_3__/* .DeleteAlarmsCommand */ .nds({ AlarmNames: [item.name] }));
            }
            catch (error) {
                throw (0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .toRecoveryError */ .vU)(error, call(clients, 'DeleteAlarms', `alarm ${item.name}`));
            }
    }
}
async function putAlarm(clients, spec) {
    try {
        await clients.client(_aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_3__/* .CloudWatchClient */ .WBn).send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_3__/* .PutMetricAlarmCommand */ .AZU({
            ...spec,
            // Applied on creation only (CloudWatch ignores tags on an update), which is all a marker needs.
            Tags: [{ Key: 'managed-by', Value: 'domtory-recovery' }],
        }));
    }
    catch (error) {
        throw (0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .toRecoveryError */ .vU)(error, call(clients, 'PutMetricAlarm', `alarm ${spec.AlarmName}`));
    }
}
/**
 * An alarm made by hand before this tool (the original setup's reboot alarm, typically) keeps acting next to
 * ours: two reboots for one incident, or a reboot racing the bot. Provisioning leaves it alone but says so.
 */
async function foreignCpuAlarms(clients, targets) {
    const warnings = [];
    await Promise.all(targets
        .filter((target) => target.alarm.enabled)
        .map(async (target) => {
        let alarms;
        try {
            alarms = await alarmsOnInstanceCpu(clients, target.instanceId);
        }
        catch (error) {
            warnings.push(`could not list other CPU alarms of ${target.name}: ${error instanceof Error ? error.message : String(error)}`);
            return;
        }
        const ours = new Set((0,_alarm_spec_js__WEBPACK_IMPORTED_MODULE_2__/* .managedAlarmNames */ .VI)(target.name));
        for (const alarm of alarms) {
            if (alarm.AlarmName === undefined || ours.has(alarm.AlarmName))
                continue;
            const actions = (alarm.AlarmActions ?? []).map(_alarm_plan_js__WEBPACK_IMPORTED_MODULE_4__/* .shortAction */ .Rt).join(', ') || 'no actions';
            warnings.push(`alarm "${alarm.AlarmName}" also watches CPUUtilization of ${target.instanceId} (${actions}); it is not managed here and keeps acting: delete it if ${(0,_alarm_spec_js__WEBPACK_IMPORTED_MODULE_2__/* .managedAlarmNames */ .VI)(target.name)[0]} replaces it`);
        }
    }));
    return warnings.sort();
}


/***/ })

};
