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
// EXTERNAL MODULE: ./shared/ports.ts
var shared_ports = __webpack_require__(5226);
// EXTERNAL MODULE: ./action/render/markdown.ts
var markdown = __webpack_require__(6533);
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
        'echo "boot_id=$(cat /proc/sys/kernel/random/boot_id)"',
        'echo "uptime=$(cut -d" " -f1 /proc/uptime)"',
        user === undefined ? docker : `runuser -u ${user} -- sh -c '${docker}' || echo "user=failed"`,
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
    if (Number.isFinite(uptime) && first('uptime') !== undefined)
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
            .map((check) => `${check.target} / ${check.check}: ${check.detail}${check.fix === undefined ? '' : ` Fix: ${check.fix}`}`)
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
        instance === undefined ? Promise.resolve(undefined) : checkRemote(target, instance, ports),
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
async function runDoctorCommand(target, ports) {
    const { commandId } = await ports.commands.sendCommand({
        instanceId: target.instanceId,
        commands: doctorScript(target),
        deliveryTimeoutSeconds: 30,
        executionTimeoutSeconds: 30,
        comment: `domtory-recovery doctor (${target.name})`,
    });
    const deadline = ports.clock.now() + COMMAND_WAIT_MS;
    let interval = 400;
    for (;;) {
        await ports.clock.sleep(interval);
        const invocation = await ports.commands.getInvocation(commandId, target.instanceId);
        if (invocation !== undefined && shared_ports/* TERMINAL_COMMAND_STATUSES */.y.has(invocation.status))
            return invocation;
        if (ports.clock.now() >= deadline) {
            await ports.commands.cancelCommand(commandId, target.instanceId).catch(() => undefined);
            throw new Error(`the doctor's command ${commandId} did not finish within ${COMMAND_WAIT_MS / 1000} s (last status ${invocation?.status ?? 'not yet known to SSM'})`);
        }
        interval = Math.min(2_000, interval * 1.5);
    }
}
async function checkRemote(target, instance, ports) {
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
        invocation = await runDoctorCommand(target, ports);
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
        await ports.parameters.get(`${prefix}/${target.name}/lock`);
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


/***/ })

};
