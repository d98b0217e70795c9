export const id = 731;
export const ids = [731];
export const modules = {

/***/ 3731:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   provision: () => (/* binding */ provision)
/* harmony export */ });
/* harmony import */ var _shared_alarm_alarm_plan_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9361);
/* harmony import */ var _shared_alarm_alarm_provisioner_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6776);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2635);
/* harmony import */ var _render_markdown_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6533);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7123);





/**
 * `provision`: the targets' CloudWatch alarms (and optionally the bot's topic and subscription), one region at a
 * time. The plan is printed before anything changes; `dry-run` stops there.
 */
async function provision(inputs, tools) {
    const { log } = tools;
    const regions = new Map();
    for (const target of inputs.targets)
        regions.set(target.region, [...(regions.get(target.region) ?? []), target]);
    const results = [];
    let failure;
    for (const [region, targets] of regions) {
        if (tools.signal.aborted) {
            failure = `stopped before provisioning ${region}: the run was cancelled or timed out`;
            break;
        }
        log.startGroup(`Plan for ${targets.map((target) => target.name).join(', ')} in ${region}`);
        try {
            const result = await (0,_shared_alarm_alarm_provisioner_js__WEBPACK_IMPORTED_MODULE_0__/* .provisionAlarms */ .qD)({
                clients: tools.aws.clients(region),
                targets,
                createTopics: inputs.createTopic,
                ...(inputs.subscriptionEndpoint === undefined
                    ? {}
                    : { subscriptionEndpoint: inputs.subscriptionEndpoint }),
                dryRun: inputs.dryRun,
                onPlan: (plan, warnings) => {
                    for (const item of plan)
                        log.info((0,_shared_alarm_alarm_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlanItem */ .u7)(item));
                    for (const warning of warnings)
                        log.warning(warning);
                    const changes = plan.filter(_shared_alarm_alarm_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .isChange */ .Xb).length;
                    log.info(changes === 0
                        ? 'Nothing to change.'
                        : inputs.dryRun
                            ? `${changes} change(s) planned; dry run: nothing is sent.`
                            : `Applying ${changes} change(s)...`);
                },
            });
            results.push(result);
            for (const item of result.applied)
                log.info(`done: ${(0,_shared_alarm_alarm_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlanItem */ .u7)(item)}`);
            if (result.failed !== undefined) {
                const { item, error } = result.failed;
                failure = `${(0,_shared_alarm_alarm_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlanItem */ .u7)(item)} failed: ${(0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .withFix */ .Y)(error.message, error.fix, '\n')}`;
            }
        }
        catch (error) {
            const summary = (0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .summarizeError */ .Gg)(error);
            failure = `could not plan ${region}: ${(0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .withFix */ .Y)(summary.message, summary.fix, '\n')}`;
        }
        finally {
            log.endGroup();
        }
        if (failure !== undefined)
            break;
    }
    const plan = results.flatMap((result) => result.plan);
    const planned = plan.filter(_shared_alarm_alarm_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .isChange */ .Xb).length;
    const applied = results.reduce((count, result) => count + result.applied.length, 0);
    const outcome = failure !== undefined ? 'failed' : planned === 0 ? 'unchanged' : inputs.dryRun ? 'planned' : 'applied';
    const report = {
        ok: failure === undefined,
        outputs: {
            outcome,
            plan: JSON.stringify(plan.map(_shared_alarm_alarm_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .planSummary */ .MM)),
            changes: String(planned),
            applied: String(applied),
            'alarm-names': JSON.stringify(plan.flatMap((item) => item.kind === 'create-alarm' || item.kind === 'update-alarm'
                ? [item.spec.AlarmName]
                : item.kind === 'alarm-unchanged'
                    ? [item.name]
                    : [])),
        },
        summary: provisionSummary(inputs, results, outcome, failure),
    };
    if (failure !== undefined)
        report.failure = `Provisioning failed: ${failure}`;
    return report;
}
const KIND_LABEL = {
    'create-alarm': '➕ create',
    'update-alarm': '✏️ update',
    'alarm-unchanged': '✔️ up to date',
    'delete-alarm': '➖ delete',
    'create-topic': '➕ create topic',
    'topic-unchanged': '✔️ topic exists',
    subscribe: '➕ subscribe',
    'subscription-unchanged': '✔️ subscribed',
};
function provisionSummary(inputs, results, outcome, failure) {
    const heading = {
        failed: '❌ Alarm provisioning failed',
        unchanged: '✅ Alarms are up to date: nothing to change',
        planned: '🧪 Alarm provisioning plan (dry run: nothing was changed)',
        applied: '✅ Alarms provisioned',
    }[outcome];
    const parts = [`## ${heading ?? outcome}`];
    if (failure !== undefined)
        parts.push((0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_4__/* .alert */ .xE)('CAUTION', failure.split('\n')));
    for (const result of results) {
        const applied = new Set(result.applied);
        parts.push(`### ${result.region}`);
        parts.push((0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_4__/* .table */ .tp)(['Change', 'Resource', 'Detail'], result.plan.map((item) => {
            const notSent = (0,_shared_alarm_alarm_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .isChange */ .Xb)(item) && !inputs.dryRun && !applied.has(item);
            return [
                `${KIND_LABEL[item.kind]}${notSent ? ' (not sent)' : ''}`,
                resourceOf(item),
                detailOf(item),
            ];
        })));
        if (result.warnings.length > 0)
            parts.push((0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_4__/* .alert */ .xE)('WARNING', result.warnings));
    }
    parts.push(`Targets from ${(0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_4__/* .escapeHtml */ .ZD)(inputs.source)}: ${inputs.targets.map((target) => `\`${target.name}\` (${target.instanceId})`).join(', ')}`);
    return `${parts.join('\n\n')}\n`;
}
function detailOf(item) {
    switch (item.kind) {
        case 'create-alarm':
            return (0,_shared_alarm_alarm_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .describeSpec */ .l9)(item.spec);
        case 'update-alarm':
            return (0,_shared_alarm_alarm_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .describeChanges */ .DT)(item.changes);
        case 'alarm-unchanged':
            return item.state === undefined ? '' : `state ${item.state}`;
        case 'delete-alarm':
            return item.reason;
        case 'subscription-unchanged':
            return item.pending ? 'pending confirmation by the bot' : 'confirmed';
        default:
            return '';
    }
}
function resourceOf(item) {
    switch (item.kind) {
        case 'create-alarm':
        case 'update-alarm':
            return item.spec.AlarmName;
        case 'alarm-unchanged':
        case 'delete-alarm':
            return item.name;
        case 'create-topic':
        case 'topic-unchanged':
            return item.topicArn;
        case 'subscribe':
        case 'subscription-unchanged':
            return `${(0,_shared_alarm_alarm_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .redactEndpoint */ .Xh)(item.endpoint)} → ${item.topicArn}`;
    }
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


/***/ })

};
