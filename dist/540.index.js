export const id = 540;
export const ids = [540];
export const modules = {

/***/ 1540:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createEc2Adapter: () => (/* binding */ createEc2Adapter)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5193);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2545);



const INSTANCE_STATES = [
    'pending',
    'running',
    'shutting-down',
    'terminated',
    'stopping',
    'stopped',
];
function isInstanceState(value) {
    return INSTANCE_STATES.some((state) => state === value);
}
function createEc2Adapter(clients) {
    const ec2 = () => clients.client(_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__/* .EC2Client */ .gu5);
    const call = (operation, instanceId, dryRun = false) => ({
        service: 'ec2',
        operation,
        resource: `instance ${instanceId}`,
        region: clients.region,
        dryRun,
    });
    /**
     * EC2 answers a permitted dry run with the *error* `DryRunOperation` ("Request would have succeeded"), so
     * that error is the success of a dry run; a refused one comes back as `UnauthorizedOperation`.
     */
    async function changeState(operation, instanceId, options, send) {
        try {
            await send();
        }
        catch (error) {
            if (options.dryRun && (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isAwsError */ .m_)(error, 'DryRunOperation'))
                return;
            throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .toRecoveryError */ .vU)(error, call(operation, instanceId, options.dryRun));
        }
    }
    return {
        async describeInstance(instanceId) {
            let response;
            try {
                response = await ec2().send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__/* .DescribeInstancesCommand */ .bNs({ InstanceIds: [instanceId] }));
            }
            catch (error) {
                if ((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .isAwsError */ .m_)(error, 'InvalidInstanceID.NotFound'))
                    return undefined;
                throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .toRecoveryError */ .vU)(error, call('DescribeInstances', instanceId));
            }
            const instance = response.Reservations?.flatMap((reservation) => reservation.Instances ?? []).find((candidate) => candidate.InstanceId === instanceId);
            if (instance === undefined)
                return undefined;
            const state = instance.State?.Name;
            if (!isInstanceState(state)) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .RecoveryError */ .gN('aws-error', `ec2:DescribeInstances returned instance ${instanceId} with an unknown state "${String(state)}"`);
            }
            const description = {
                instanceId,
                state,
                instanceType: instance.InstanceType ?? 'unknown',
            };
            if (instance.LaunchTime !== undefined)
                description.launchTime = instance.LaunchTime;
            const availabilityZone = instance.Placement?.AvailabilityZone;
            if (availabilityZone !== undefined)
                description.availabilityZone = availabilityZone;
            return description;
        },
        rebootInstance(instanceId, options) {
            return changeState('RebootInstances', instanceId, options, () => ec2().send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__/* .RebootInstancesCommand */ .V6_({ InstanceIds: [instanceId], DryRun: options.dryRun })));
        },
        stopInstance(instanceId, options) {
            return changeState('StopInstances', instanceId, options, () => ec2().send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__/* .StopInstancesCommand */ .esG({
                InstanceIds: [instanceId],
                Force: options.force,
                DryRun: options.dryRun,
            })));
        },
        startInstance(instanceId, options) {
            return changeState('StartInstances', instanceId, options, () => ec2().send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__/* .StartInstancesCommand */ .a9E({ InstanceIds: [instanceId], DryRun: options.dryRun })));
        },
        async instanceStatusOk(instanceId) {
            try {
                // IncludeAllInstances: without it a stopped or pending instance is simply missing from the answer.
                const response = await ec2().send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__/* .DescribeInstanceStatusCommand */ .o0z({ InstanceIds: [instanceId], IncludeAllInstances: true }));
                const status = response.InstanceStatuses?.find((candidate) => candidate.InstanceId === instanceId);
                return status?.InstanceStatus?.Status === 'ok' && status.SystemStatus?.Status === 'ok';
            }
            catch (error) {
                throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .toRecoveryError */ .vU)(error, call('DescribeInstanceStatus', instanceId));
            }
        },
    };
}


/***/ })

};
