import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import type { MetricDatapoint, MetricQuery, MetricsPort } from '../ports.js';
import { toRecoveryError } from './aws-errors.js';
import type { AwsClients } from './client-factory.js';

export function createCloudWatchMetricsAdapter(clients: AwsClients): MetricsPort {
  const cloudwatch = () => clients.client(CloudWatchClient);

  return {
    async getDatapoints(query: MetricQuery): Promise<MetricDatapoint[]> {
      try {
        const response = await cloudwatch().send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/EC2',
            MetricName: query.metric,
            Dimensions: [{ Name: 'InstanceId', Value: query.instanceId }],
            StartTime: query.start,
            EndTime: query.end,
            Period: query.periodSeconds,
            Statistics: [query.statistic],
          }),
        );
        const datapoints: MetricDatapoint[] = [];
        for (const datapoint of response.Datapoints ?? []) {
          const value = datapoint[query.statistic];
          if (datapoint.Timestamp !== undefined && value !== undefined) {
            datapoints.push({ timestamp: datapoint.Timestamp, value });
          }
        }
        // GetMetricStatistics returns datapoints in no particular order.
        return datapoints.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
      } catch (error) {
        throw toRecoveryError(error, {
          service: 'cloudwatch',
          operation: 'GetMetricStatistics',
          resource: `metric AWS/EC2 ${query.metric} of instance ${query.instanceId}`,
          region: clients.region,
        });
      }
    },
  };
}
