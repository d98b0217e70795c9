export const id = 200;
export const ids = [200];
export const modules = {

/***/ 6200:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createCloudWatchMetricsAdapter: () => (/* binding */ createCloudWatchMetricsAdapter)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4085);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2545);


function createCloudWatchMetricsAdapter(clients) {
    const cloudwatch = () => clients.client(_aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__/* .CloudWatchClient */ .WBn);
    return {
        async getDatapoints(query) {
            try {
                const response = await cloudwatch().send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__/* .GetMetricStatisticsCommand */ .ByE({
                    Namespace: 'AWS/EC2',
                    MetricName: query.metric,
                    Dimensions: [{ Name: 'InstanceId', Value: query.instanceId }],
                    StartTime: query.start,
                    EndTime: query.end,
                    Period: query.periodSeconds,
                    Statistics: [query.statistic],
                }));
                const datapoints = [];
                for (const datapoint of response.Datapoints ?? []) {
                    const value = datapoint[query.statistic];
                    if (datapoint.Timestamp !== undefined && value !== undefined) {
                        datapoints.push({ timestamp: datapoint.Timestamp, value });
                    }
                }
                // GetMetricStatistics returns datapoints in no particular order.
                return datapoints.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
            }
            catch (error) {
                throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .toRecoveryError */ .vU)(error, {
                    service: 'cloudwatch',
                    operation: 'GetMetricStatistics',
                    resource: `metric AWS/EC2 ${query.metric} of instance ${query.instanceId}`,
                    region: clients.region,
                });
            }
        },
    };
}


/***/ })

};
