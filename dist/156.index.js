export const id = 156;
export const ids = [156];
export const modules = {

/***/ 6533:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DV: () => (/* binding */ codeBlock),
/* harmony export */   YA: () => (/* binding */ seconds),
/* harmony export */   ZD: () => (/* binding */ escapeHtml),
/* harmony export */   gV: () => (/* binding */ warningBlock),
/* harmony export */   tp: () => (/* binding */ table),
/* harmony export */   uL: () => (/* binding */ caution),
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
/** GitHub's red alert block: where a summary says why the job failed. */
function caution(lines) {
    return ['> [!CAUTION]', ...lines.map((line) => `> ${escapeHtml(line).replaceAll('\n', '\n> ')}`)].join('\n');
}
function warningBlock(lines) {
    return ['> [!WARNING]', ...lines.map((line) => `> ${escapeHtml(line).replaceAll('\n', '\n> ')}`)].join('\n');
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

/***/ 2545:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m_: () => (/* binding */ isAwsError),
/* harmony export */   vU: () => (/* binding */ toRecoveryError)
/* harmony export */ });
/* unused harmony export awsErrorName */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);

/** The service's error code (`InvalidInstanceID.NotFound`), or the JS error name for client-side failures. */
function awsErrorName(error) {
    if (typeof error !== 'object' || error === null)
        return undefined;
    const shape = error;
    if (typeof shape.name === 'string' && shape.name !== 'Error')
        return shape.name;
    return typeof shape.Code === 'string' ? shape.Code : undefined;
}
function isAwsError(error, ...names) {
    const name = awsErrorName(error);
    return name !== undefined && names.includes(name);
}
const PERMISSION_ERRORS = new Set(['UnauthorizedOperation', 'AccessDeniedException', 'AccessDenied']);
const INSTANCE_NOT_FOUND_ERRORS = new Set(['InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed']);
// The codes these APIs throttle with, plus the others the SDK itself classifies as throttling.
const THROTTLING_ERRORS = new Set([
    'ThrottlingException',
    'Throttling',
    'RequestLimitExceeded',
    'TooManyUpdates',
    'TooManyRequestsException',
    'RequestThrottled',
    'RequestThrottledException',
    'EC2ThrottledException',
]);
const CREDENTIAL_ERRORS = new Set([
    'CredentialsProviderError',
    'ExpiredToken',
    'ExpiredTokenException',
    'InvalidClientTokenId',
    'UnrecognizedClientException',
    'AuthFailure',
    'SignatureDoesNotMatch',
    'InvalidSignatureException',
    'RequestExpired',
]);
// AWS messages can carry a multi-kilobyte encoded authorization blob; the full text stays on `cause`.
const MAX_AWS_MESSAGE_CHARS = 300;
function awsMessage(error) {
    const raw = typeof error === 'object' && error !== null && typeof error.message === 'string'
        ? error.message
        : String(error);
    const oneLine = raw.replace(/\s+/g, ' ').trim();
    return oneLine.length <= MAX_AWS_MESSAGE_CHARS ? oneLine : `${oneLine.slice(0, MAX_AWS_MESSAGE_CHARS)}…`;
}
function metadataOf(error) {
    return typeof error === 'object' && error !== null ? error.$metadata : undefined;
}
function isThrottling(error, name) {
    if (name !== undefined && THROTTLING_ERRORS.has(name))
        return true;
    if (metadataOf(error)?.httpStatusCode === 429)
        return true;
    return (typeof error === 'object' && error !== null && error.$retryable?.throttling === true);
}
function iamAction(call) {
    return `${call.service}:${call.operation}`;
}
function where(call) {
    return call.region === undefined ? call.resource : `${call.resource} in ${call.region}`;
}
function permissionFix(call, message) {
    const parts = [
        `Allow ${iamAction(call)} on ${call.resource} for the IAM role or user these credentials belong to.`,
    ];
    if (/explicit deny/i.test(message)) {
        parts.push('The refusal is an explicit Deny (an SCP, a permissions boundary or a policy statement): adding an Allow is not enough until that Deny is lifted.');
    }
    if (/encoded authorization failure message/i.test(message)) {
        parts.push('The full error (see its cause) carries an encoded message; `aws sts decode-authorization-message --encoded-message <message>` shows which statement refused it.');
    }
    return parts.join(' ');
}
const SSM_UNREACHABLE_FIX = [
    'Right after a reboot or start this is expected for a minute or two, until the SSM agent reconnects.',
    'If it persists: attach an instance profile whose role has the AmazonSSMManagedInstanceCore policy;',
    'make sure the SSM agent is installed and running on the instance (systemctl status amazon-ssm-agent, or',
    'snap.amazon-ssm-agent.amazon-ssm-agent on Ubuntu) and registered: the instance must show as Online in',
    'Fleet Manager or in `aws ssm describe-instance-information --filters Key=InstanceIds,Values=<id>`.',
    'The instance also needs outbound HTTPS to the SSM endpoints (or VPC endpoints for ssm, ssmmessages and ec2messages).',
].join(' ');
const CREDENTIALS_FIX = [
    'The AWS credentials are missing, expired or invalid. Provide them through the default provider chain:',
    'environment variables, a shared profile, web identity (GitHub OIDC) or an instance/task role.',
    'If the error mentions time or expiry, also check the machine clock.',
].join(' ');
function toRecoveryError(error, call) {
    if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .RecoveryError */ .gN)
        return error;
    const name = awsErrorName(error);
    const message = awsMessage(error);
    const action = iamAction(call);
    const dryRun = call.dryRun === true ? ' (dry run: nothing was changed)' : '';
    if (name !== undefined && PERMISSION_ERRORS.has(name)) {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .RecoveryError */ .gN('permission-denied', `Not allowed to call ${action} on ${where(call)}${dryRun}: ${message}`, { fix: permissionFix(call, message), cause: error });
    }
    if (call.service === 'ssm' && name === 'InvalidInstanceId') {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .RecoveryError */ .gN('ssm-unreachable', `SSM cannot run commands on ${where(call)} right now (${action}: ${message})`, { fix: SSM_UNREACHABLE_FIX, cause: error });
    }
    if (name !== undefined && INSTANCE_NOT_FOUND_ERRORS.has(name)) {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .RecoveryError */ .gN('instance-not-found', `EC2 does not know ${where(call)} (${name}: ${message})`, {
            fix: 'Check the instance id and the region in the config: instance ids are per region, and a terminated instance disappears from EC2 about an hour after termination.',
            cause: error,
        });
    }
    if (isThrottling(error, name)) {
        const attempts = metadataOf(error)?.attempts;
        const afterAttempts = attempts === undefined ? '' : ` after ${attempts} attempts`;
        return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .RecoveryError */ .gN('throttled', `AWS throttled ${action} on ${where(call)}${afterAttempts} (${name ?? 'HTTP 429'}: ${message})`, {
            fix: `Retry in a minute. If it keeps happening, something else in the account is calling ${call.service} heavily (CloudTrail shows who), or ask for a higher ${call.service} API rate quota.`,
            cause: error,
        });
    }
    const metadata = metadataOf(error);
    const details = [
        metadata?.httpStatusCode === undefined ? undefined : `HTTP ${metadata.httpStatusCode}`,
        metadata?.requestId === undefined ? undefined : `request id ${metadata.requestId}`,
    ].filter((detail) => detail !== undefined);
    const suffix = details.length === 0 ? '' : ` (${details.join(', ')})`;
    const text = `${action} on ${where(call)} failed${dryRun}: ${name ?? 'Error'}: ${message}${suffix}`;
    return name !== undefined && CREDENTIAL_ERRORS.has(name)
        ? new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .RecoveryError */ .gN('aws-error', text, { fix: CREDENTIALS_FIX, cause: error })
        : new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .RecoveryError */ .gN('aws-error', text, { cause: error });
}


/***/ })

};
