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
/* harmony import */ var _render_markdown_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6533);




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
                failure = `${(0,_shared_alarm_alarm_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlanItem */ .u7)(item)} failed: ${error.message}${error.fix === undefined ? '' : `\nFix: ${error.fix}`}`;
            }
        }
        catch (error) {
            const summary = (0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .summarizeError */ .Gg)(error);
            failure = `could not plan ${region}: ${summary.message}${summary.fix === undefined ? '' : `\nFix: ${summary.fix}`}`;
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
        parts.push((0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_3__/* .caution */ .uL)(failure.split('\n')));
    for (const result of results) {
        const applied = new Set(result.applied);
        parts.push(`### ${result.region}`);
        parts.push((0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_3__/* .table */ .tp)(['Change', 'Resource', 'Detail'], result.plan.map((item) => {
            const notSent = (0,_shared_alarm_alarm_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .isChange */ .Xb)(item) && !inputs.dryRun && !applied.has(item);
            return [
                `${KIND_LABEL[item.kind]}${notSent ? ' (not sent)' : ''}`,
                resourceOf(item),
                detailOf(item),
            ];
        })));
        if (result.warnings.length > 0)
            parts.push((0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_3__/* .warningBlock */ .gV)(result.warnings));
    }
    parts.push(`Targets from ${(0,_render_markdown_js__WEBPACK_IMPORTED_MODULE_3__/* .escapeHtml */ .ZD)(inputs.source)}: ${inputs.targets.map((target) => `\`${target.name}\` (${target.instanceId})`).join(', ')}`);
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


/***/ })

};
