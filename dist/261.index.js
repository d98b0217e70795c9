export const id = 261;
export const ids = [261];
export const modules = {

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


/***/ }),

/***/ 6261:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createParameterStoreAdapter: () => (/* binding */ createParameterStoreAdapter)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4736);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2545);



function createParameterStoreAdapter(clients) {
    const ssm = () => clients.client(_aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_2__/* .SSMClient */ .jBj);
    const call = (operation, name) => ({
        service: 'ssm',
        operation,
        resource: `parameter ${name}`,
        region: clients.region,
    });
    async function put(name, value, overwrite) {
        // Type goes with overwrites too: overwriting a parameter that vanished recreates it instead of failing.
        return ssm().send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_2__/* .PutParameterCommand */ .ihh({ Name: name, Value: value, Type: 'String', Overwrite: overwrite }));
    }
    return {
        async get(name) {
            let output;
            try {
                output = await ssm().send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_2__/* .GetParameterCommand */ .lhy({ Name: name }));
            }
            catch (error) {
                if ((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isAwsError */ .m_)(error, 'ParameterNotFound'))
                    return undefined;
                throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .toRecoveryError */ .vU)(error, call('GetParameter', name));
            }
            const value = output.Parameter?.Value;
            const version = output.Parameter?.Version;
            if (value === undefined || version === undefined) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .RecoveryError */ .gN('aws-error', `ssm:GetParameter returned parameter ${name} without a value or version`);
            }
            return { value, version };
        },
        async create(name, value) {
            try {
                await put(name, value, false);
                return true;
            }
            catch (error) {
                // The atomic create-if-absent that locks are built on: someone else got there first.
                if ((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isAwsError */ .m_)(error, 'ParameterAlreadyExists'))
                    return false;
                throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .toRecoveryError */ .vU)(error, call('PutParameter', name));
            }
        },
        async overwrite(name, value) {
            let output;
            try {
                output = await put(name, value, true);
            }
            catch (error) {
                throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .toRecoveryError */ .vU)(error, call('PutParameter', name));
            }
            if (output.Version === undefined) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .RecoveryError */ .gN('aws-error', `ssm:PutParameter returned no version for parameter ${name}`);
            }
            return output.Version;
        },
        async delete(name) {
            try {
                await ssm().send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_2__/* .DeleteParameterCommand */ .Obs({ Name: name }));
            }
            catch (error) {
                if ((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isAwsError */ .m_)(error, 'ParameterNotFound'))
                    return;
                throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .toRecoveryError */ .vU)(error, call('DeleteParameter', name));
            }
        },
    };
}


/***/ })

};
