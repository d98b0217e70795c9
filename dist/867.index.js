export const id = 867;
export const ids = [867];
export const modules = {

/***/ 5867:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createTopic: () => (/* binding */ createTopic),
/* harmony export */   describeTopic: () => (/* binding */ describeTopic),
/* harmony export */   planTopics: () => (/* binding */ planTopics),
/* harmony export */   subscribeEndpoint: () => (/* binding */ subscribeEndpoint)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_sns__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8797);
/* harmony import */ var _aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2545);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2635);
/* harmony import */ var _alarm_plan_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9361);




/**
 * The bot's SNS topic and its HTTPS subscription. Loaded only when a provision run manages the topic (or a
 * doctor run checks it), so the usual alarm-only run never loads the SNS client.
 */
const call = (clients, operation, resource) => ({
    service: 'sns',
    operation,
    resource,
    region: clients.region,
});
async function describeTopic(clients, topicArn) {
    try {
        const output = await clients
            .client(_aws_sdk_client_sns__WEBPACK_IMPORTED_MODULE_2__/* .SNSClient */ .kye)
            .send(new _aws_sdk_client_sns__WEBPACK_IMPORTED_MODULE_2__/* .GetTopicAttributesCommand */ .YBt({ TopicArn: topicArn }));
        const count = (key) => Number(output.Attributes?.[key] ?? 0) || 0;
        return {
            exists: true,
            confirmed: count('SubscriptionsConfirmed'),
            pending: count('SubscriptionsPending'),
        };
    }
    catch (error) {
        if ((0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isAwsError */ .m_)(error, 'NotFound', 'NotFoundException'))
            return { exists: false, confirmed: 0, pending: 0 };
        throw (0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .toRecoveryError */ .vU)(error, call(clients, 'GetTopicAttributes', `topic ${topicArn}`));
    }
}
/** `undefined` when the endpoint is not subscribed; SNS lists an unconfirmed one as `PendingConfirmation`. */
async function findSubscription(clients, topicArn, endpoint) {
    let nextToken;
    do {
        let output;
        try {
            output = await clients
                .client(_aws_sdk_client_sns__WEBPACK_IMPORTED_MODULE_2__/* .SNSClient */ .kye)
                .send(new _aws_sdk_client_sns__WEBPACK_IMPORTED_MODULE_2__/* .ListSubscriptionsByTopicCommand */ .GYf({ TopicArn: topicArn, NextToken: nextToken }));
        }
        catch (error) {
            throw (0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .toRecoveryError */ .vU)(error, call(clients, 'ListSubscriptionsByTopic', `topic ${topicArn}`));
        }
        const found = output.Subscriptions?.find((subscription) => subscription.Protocol === 'https' && subscription.Endpoint === endpoint);
        if (found !== undefined)
            return { pending: found.SubscriptionArn === 'PendingConfirmation' };
        nextToken = output.NextToken;
    } while (nextToken !== undefined);
    return undefined;
}
/** The topic items of a plan; `warnings` for a topic that is missing but was not asked to be created. */
async function planTopics(clients, request) {
    const plan = [];
    const warnings = [];
    for (const topicArn of request.topicArns) {
        const state = await describeTopic(clients, topicArn);
        if (!state.exists) {
            if (!request.create) {
                warnings.push(`SNS topic ${topicArn} does not exist: the alarm would notify nobody. Create it, or run provision with create-topic: true.`);
                continue;
            }
            plan.push({ kind: 'create-topic', topicArn });
        }
        else {
            plan.push({ kind: 'topic-unchanged', topicArn });
        }
        const endpoint = request.subscriptionEndpoint;
        if (endpoint === undefined)
            continue;
        const existing = state.exists ? await findSubscription(clients, topicArn, endpoint) : undefined;
        plan.push(existing === undefined
            ? { kind: 'subscribe', topicArn, endpoint }
            : { kind: 'subscription-unchanged', topicArn, endpoint, pending: existing.pending });
    }
    return { plan, warnings };
}
async function createTopic(clients, topicArn) {
    const name = topicArn.split(':')[5] ?? '';
    let created;
    try {
        ({ TopicArn: created } = await clients
            .client(_aws_sdk_client_sns__WEBPACK_IMPORTED_MODULE_2__/* .SNSClient */ .kye)
            .send(new _aws_sdk_client_sns__WEBPACK_IMPORTED_MODULE_2__/* .CreateTopicCommand */ .vxJ({ Name: name, Tags: [{ Key: 'managed-by', Value: 'domtory-recovery' }] })));
    }
    catch (error) {
        throw (0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .toRecoveryError */ .vU)(error, call(clients, 'CreateTopic', `topic ${topicArn}`));
    }
    // CreateTopic creates in the caller's account: a config naming another account's topic must not pass silently.
    if (created !== topicArn) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .RecoveryError */ .gN('config-invalid', `created topic ${String(created)}, but the config names ${topicArn}`, {
            fix: 'The topic ARN must name the account these credentials belong to; correct alarm.topicArn.',
        });
    }
}
async function subscribeEndpoint(clients, topicArn, endpoint) {
    try {
        await clients.client(_aws_sdk_client_sns__WEBPACK_IMPORTED_MODULE_2__/* .SNSClient */ .kye).send(new _aws_sdk_client_sns__WEBPACK_IMPORTED_MODULE_2__/* .SubscribeCommand */ .KQk({
            TopicArn: topicArn,
            Protocol: 'https',
            Endpoint: endpoint,
            ReturnSubscriptionArn: true,
        }));
    }
    catch (error) {
        throw (0,_aws_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .toRecoveryError */ .vU)(error, call(clients, 'Subscribe', `topic ${topicArn} (endpoint ${(0,_alarm_plan_js__WEBPACK_IMPORTED_MODULE_3__/* .redactEndpoint */ .Xh)(endpoint)})`));
    }
}


/***/ })

};
