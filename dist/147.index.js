export const id = 147;
export const ids = [147];
export const modules = {

/***/ 5147:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MAX_COMMENT_LENGTH: () => (/* binding */ MAX_COMMENT_LENGTH),
/* harmony export */   MIN_DELIVERY_TIMEOUT_SECONDS: () => (/* binding */ MIN_DELIVERY_TIMEOUT_SECONDS),
/* harmony export */   RUN_SHELL_SCRIPT_DOCUMENT: () => (/* binding */ RUN_SHELL_SCRIPT_DOCUMENT),
/* harmony export */   createSsmCommandAdapter: () => (/* binding */ createSsmCommandAdapter)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4736);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2545);



const RUN_SHELL_SCRIPT_DOCUMENT = 'AWS-RunShellScript';
/** SendCommand rejects a `TimeoutSeconds` below 30. */
const MIN_DELIVERY_TIMEOUT_SECONDS = 30;
/** SendCommand rejects a `Comment` longer than 100 characters. */
const MAX_COMMENT_LENGTH = 100;
const COMMAND_STATUSES = [
    'Pending',
    'InProgress',
    'Delayed',
    'Success',
    'Cancelled',
    'Cancelling',
    'TimedOut',
    'Failed',
    'Undeliverable',
    'Terminated',
];
function truncateComment(comment) {
    return comment.length <= MAX_COMMENT_LENGTH ? comment : `${comment.slice(0, MAX_COMMENT_LENGTH - 1)}…`;
}
/**
 * `Status` never says "Undeliverable" or "Terminated": those only appear in `StatusDetails` (with `Status` at
 * Failed), and they mean different things to a person (the agent never got the command vs. it was killed).
 */
function commandStatus(output, commandId) {
    const details = output.StatusDetails;
    if (details === 'Undeliverable' || details === 'Terminated')
        return details;
    const status = COMMAND_STATUSES.find((candidate) => candidate === output.Status);
    if (status === undefined) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .RecoveryError */ .gN('aws-error', `ssm:GetCommandInvocation returned an unknown status "${String(output.Status)}" (${String(details)}) for command ${commandId}`);
    }
    return status;
}
function createSsmCommandAdapter(clients) {
    const ssm = () => clients.client(_aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_2__/* .SSMClient */ .jBj);
    const call = (operation, resource) => ({
        service: 'ssm',
        operation,
        resource,
        region: clients.region,
    });
    return {
        async sendCommand(request) {
            const parameters = {
                commands: request.commands,
                executionTimeout: [String(Math.max(1, Math.ceil(request.executionTimeoutSeconds)))],
            };
            if (request.workingDirectory !== undefined)
                parameters.workingDirectory = [request.workingDirectory];
            let response;
            try {
                response = await ssm().send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_2__/* .SendCommandCommand */ .VWR({
                    InstanceIds: [request.instanceId],
                    DocumentName: RUN_SHELL_SCRIPT_DOCUMENT,
                    Parameters: parameters,
                    TimeoutSeconds: Math.max(MIN_DELIVERY_TIMEOUT_SECONDS, Math.ceil(request.deliveryTimeoutSeconds)),
                    Comment: truncateComment(request.comment),
                }));
            }
            catch (error) {
                // SendCommand needs the action on both the instance and the document.
                throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .toRecoveryError */ .vU)(error, call('SendCommand', `instance ${request.instanceId} and document ${RUN_SHELL_SCRIPT_DOCUMENT}`));
            }
            const commandId = response.Command?.CommandId;
            if (commandId === undefined) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .RecoveryError */ .gN('aws-error', `ssm:SendCommand to instance ${request.instanceId} returned no command id`);
            }
            return { commandId };
        },
        async getInvocation(commandId, instanceId) {
            let output;
            try {
                output = await ssm().send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_2__/* .GetCommandInvocationCommand */ .ryN({ CommandId: commandId, InstanceId: instanceId }));
            }
            catch (error) {
                // SSM creates invocations asynchronously: for a moment after SendCommand it does not know them yet.
                if ((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isAwsError */ .m_)(error, 'InvocationDoesNotExist'))
                    return undefined;
                throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .toRecoveryError */ .vU)(error, call('GetCommandInvocation', `command ${commandId} on instance ${instanceId}`));
            }
            const invocation = {
                commandId,
                status: commandStatus(output, commandId),
                stdout: output.StandardOutputContent ?? '',
                stderr: output.StandardErrorContent ?? '',
            };
            if (output.ResponseCode !== undefined)
                invocation.exitCode = output.ResponseCode;
            return invocation;
        },
        async cancelCommand(commandId, instanceId) {
            try {
                await ssm().send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_2__/* .CancelCommandCommand */ .tal({ CommandId: commandId, InstanceIds: [instanceId] }));
            }
            catch (error) {
                // Cancelling is best effort: a finished command is no longer cancellable (InvalidCommandId), and an
                // instance SSM cannot reach (InvalidInstanceId) cannot be told to stop anyway.
                if ((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isAwsError */ .m_)(error, 'InvalidCommandId', 'InvalidInstanceId'))
                    return;
                throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .toRecoveryError */ .vU)(error, call('CancelCommand', `command ${commandId} on instance ${instanceId}`));
            }
        },
        async agentPingStatus(instanceId) {
            try {
                const response = await ssm().send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_2__/* .DescribeInstanceInformationCommand */ .MXw({ Filters: [{ Key: 'InstanceIds', Values: [instanceId] }] }));
                const information = response.InstanceInformationList?.find((candidate) => candidate.InstanceId === instanceId);
                const ping = information?.PingStatus;
                return ping === 'Online' || ping === 'ConnectionLost' || ping === 'Inactive' ? ping : 'NotRegistered';
            }
            catch (error) {
                // InvalidInstanceId is a documented answer of this API for an id SSM does not manage: not registered.
                if ((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isAwsError */ .m_)(error, 'InvalidInstanceId'))
                    return 'NotRegistered';
                throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .toRecoveryError */ .vU)(error, call('DescribeInstanceInformation', `instance ${instanceId}`));
            }
        },
    };
}


/***/ })

};
