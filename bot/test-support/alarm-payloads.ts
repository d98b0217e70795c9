/** CloudWatch alarm state-change messages as CloudWatch writes them into SNS, quirks included. */

export interface AlarmPayloadOptions {
  instanceId: string;
  state?: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
  /** `OldStateValue`; default `OK` for an `ALARM`, else `ALARM`. */
  oldState?: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
  name?: string;
  region?: string;
  /** A metric-math alarm: no top-level MetricName, the instance inside Trigger.Metrics. */
  metricMath?: boolean;
  /** CloudWatch's `+0000` offset, as sent. */
  changedAt?: Date;
}

function cloudWatchTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

export function alarmPayload(options: AlarmPayloadOptions): string {
  const region = options.region ?? 'ap-northeast-2';
  const name = options.name ?? 'domtory-cpu-high';
  const state = options.state ?? 'ALARM';
  const dimensions = [{ value: options.instanceId, name: 'InstanceId' }];
  const trigger = options.metricMath
    ? {
        Period: 300,
        EvaluationPeriods: 2,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 95,
        TreatMissingData: 'missing',
        EvaluateLowSampleCountPercentile: '',
        Metrics: [
          { Expression: 'MAX([m1])', Id: 'e1', Label: 'cpu', ReturnData: true },
          {
            Id: 'm1',
            MetricStat: {
              Metric: { Dimensions: dimensions, MetricName: 'CPUUtilization', Namespace: 'AWS/EC2' },
              Period: 300,
              Stat: 'Average',
            },
            ReturnData: false,
          },
        ],
      }
    : {
        MetricName: 'CPUUtilization',
        Namespace: 'AWS/EC2',
        StatisticType: 'Statistic',
        Statistic: 'AVERAGE',
        Unit: null,
        Dimensions: dimensions,
        Period: 300,
        EvaluationPeriods: 2,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 95.0,
        TreatMissingData: 'missing',
        EvaluateLowSampleCountPercentile: '',
      };
  return JSON.stringify({
    AlarmName: name,
    AlarmDescription: 'CPU pinned on the app instance',
    AWSAccountId: '123456789012',
    AlarmConfigurationUpdatedTimestamp: cloudWatchTime(new Date(Date.now() - 86_400_000)),
    NewStateValue: state,
    NewStateReason:
      state === 'ALARM'
        ? 'Threshold Crossed: 2 out of the last 2 datapoints [99.6 (25/11/26 14:55:00), 99.1 (25/11/26 14:50:00)] were greater than the threshold (95.0) (minimum 2 datapoints for OK -> ALARM transition).'
        : 'Threshold Crossed: 1 datapoint [12.0 (25/11/26 15:10:00)] was not greater than the threshold (95.0).',
    StateChangeTime: cloudWatchTime(options.changedAt ?? new Date()),
    Region: 'Asia Pacific (Seoul)',
    AlarmArn: `arn:aws:cloudwatch:${region}:123456789012:alarm:${name}`,
    OldStateValue: options.oldState ?? (state === 'ALARM' ? 'OK' : 'ALARM'),
    OKActions: [],
    AlarmActions: [`arn:aws:sns:${region}:123456789012:domtory-alarms`],
    InsufficientDataActions: [],
    Trigger: trigger,
  });
}
