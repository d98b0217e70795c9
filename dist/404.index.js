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
/* harmony import */ var _shared_state_history_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(160);
/* harmony import */ var _shared_state_lock_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5745);
/* harmony import */ var _render_markdown_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6533);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7123);







/** How many recoveries the status shows per target; the history keeps up to 20. */
const RECENT = 5;
async function section(read) {
    try {
        return { ok: true, value: await read() };
    }
    catch (error) {
        const summary = (0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .summarizeError */ .Gg)(error);
        return { ok: false, error: (0,_report_js__WEBPACK_IMPORTED_MODULE_4__/* .withFix */ .Y)(summary.message, summary.fix, ' ') };
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
            ? only.alarms.value.find((alarm) => alarm.name === (0,_shared_alarm_alarm_spec_js__WEBPACK_IMPORTED_MODULE_1__/* .alarmName */ .Vo)(only.target, 'cpu'))
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
            const held = await (0,_shared_state_lock_js__WEBPACK_IMPORTED_MODULE_3__/* .readLock */ .mF)(ports.parameters, inputs.parameterPrefix, target.instanceId);
            return held === undefined ? undefined : { ...held, expired: (0,_shared_state_lock_js__WEBPACK_IMPORTED_MODULE_3__/* .isLockExpired */ .Py)(held, now) };
        }),
        section(async () => (await (0,_shared_state_history_js__WEBPACK_IMPORTED_MODULE_5__/* .readHistory */ .Lu)(ports.parameters, inputs.parameterPrefix, target.instanceId)).slice(0, RECENT)),
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
    return `${entry.startedAt} ${entry.outcome} in ${(0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .seconds */ .YA)(entry.durationMs)} (${entry.trigger} ${entry.actor})${entry.newBootSeen ? ', new boot' : ''}${entry.escalated ? ', escalated' : ''}${entry.error === undefined ? '' : `, ${entry.error}`}`;
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
        parts.push(`### ${(0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .escapeHtml */ .ZD)(entry.target)} (\`${entry.instanceId}\`, ${entry.region})`);
        parts.push((0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .table */ .tp)(['', ''], [
            ['Instance', instanceLine(entry.instance, entry)],
            ['Lock', lockLine(entry.lock)],
        ]));
        if (!entry.alarms.ok)
            parts.push(`Alarms unavailable: ${(0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .escapeHtml */ .ZD)(entry.alarms.error)}`);
        else if (entry.alarms.value.length > 0) {
            parts.push((0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .table */ .tp)(['Alarm', 'State', 'Since', 'Reason'], entry.alarms.value.map((alarm) => [
                `${alarm.name}${alarm.managed ? '' : ' (not managed here)'}`,
                alarm.state,
                alarm.since ?? '',
                alarm.reason,
            ])));
        }
        else
            parts.push('No alarms: run the provision command.');
        if (!entry.history.ok)
            parts.push(`History unavailable: ${(0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .escapeHtml */ .ZD)(entry.history.error)}`);
        else if (entry.history.value.length > 0) {
            parts.push((0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .table */ .tp)(['Started', 'Outcome', 'Duration', 'Trigger', 'New boot', 'Escalated', 'Error'], entry.history.value.map((item) => [
                item.startedAt,
                item.outcome,
                (0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_6__/* .seconds */ .YA)(item.durationMs),
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
