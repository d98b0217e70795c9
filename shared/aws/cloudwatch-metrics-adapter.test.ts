import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { MetricQuery } from '../ports.js';
import { createAwsClients } from './client-factory.js';
import { createCloudWatchMetricsAdapter } from './cloudwatch-metrics-adapter.js';
import { recoveryErrorOf } from './test-support/recovery-error.js';

const INSTANCE_ID = 'i-0123456789abcdef0';
const cloudwatchMock = mockClient(CloudWatchClient);

const QUERY: MetricQuery = {
  instanceId: INSTANCE_ID,
  metric: 'CPUUtilization',
  statistic: 'Maximum',
  start: new Date('2026-03-01T10:00:00Z'),
  end: new Date('2026-03-01T11:00:00Z'),
  periodSeconds: 300,
};

function adapter() {
  return createCloudWatchMetricsAdapter(createAwsClients({ region: 'ap-northeast-2' }));
}

beforeEach(() => {
  cloudwatchMock.reset();
});

afterAll(() => {
  cloudwatchMock.restore();
});

describe('getDatapoints', () => {
  it('asks AWS/EC2 for the instance metric and statistic', async () => {
    cloudwatchMock.on(GetMetricStatisticsCommand).resolves({ Datapoints: [] });

    await adapter().getDatapoints(QUERY);

    expect(cloudwatchMock.commandCalls(GetMetricStatisticsCommand)[0]?.args[0].input).toEqual({
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'InstanceId', Value: INSTANCE_ID }],
      StartTime: QUERY.start,
      EndTime: QUERY.end,
      Period: 300,
      Statistics: ['Maximum'],
    });
  });

  it('returns the requested statistic in ascending time order', async () => {
    cloudwatchMock.on(GetMetricStatisticsCommand).resolves({
      Datapoints: [
        { Timestamp: new Date('2026-03-01T10:10:00Z'), Maximum: 99.5, Average: 40 },
        { Timestamp: new Date('2026-03-01T10:00:00Z'), Maximum: 97, Average: 30 },
        { Timestamp: new Date('2026-03-01T10:05:00Z'), Maximum: 12 },
      ],
    });

    await expect(adapter().getDatapoints(QUERY)).resolves.toEqual([
      { timestamp: new Date('2026-03-01T10:00:00Z'), value: 97 },
      { timestamp: new Date('2026-03-01T10:05:00Z'), value: 12 },
      { timestamp: new Date('2026-03-01T10:10:00Z'), value: 99.5 },
    ]);
  });

  it('skips datapoints without the statistic or a timestamp, and is empty without datapoints', async () => {
    cloudwatchMock
      .on(GetMetricStatisticsCommand)
      .resolvesOnce({ Datapoints: [{ Timestamp: new Date(), Average: 1 }, { Maximum: 3 }] })
      .resolves({});

    await expect(adapter().getDatapoints(QUERY)).resolves.toEqual([]);
    await expect(adapter().getDatapoints(QUERY)).resolves.toEqual([]);
  });

  it('names cloudwatch:GetMetricStatistics when access is denied', async () => {
    cloudwatchMock.on(GetMetricStatisticsCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: cloudwatch:GetMetricStatistics'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );

    const error = await recoveryErrorOf(adapter().getDatapoints(QUERY));

    expect(error.code).toBe('permission-denied');
    expect(error.fix).toContain('Allow cloudwatch:GetMetricStatistics');
    expect(error.fix).toContain(INSTANCE_ID);
  });
});
