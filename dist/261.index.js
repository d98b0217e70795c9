export const id = 261;
export const ids = [261];
export const modules = {

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
