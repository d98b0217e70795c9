import { isRecord } from '../alarms/cloudwatch-alarm.js';
import type { CloudWatchActionEvent } from './events.js';

/**
 * A CloudWatch alarm's direct Lambda action sends its own payload (`alarmData.state.value`, dimensions as a map
 * under `configuration.metrics[].metricStat.metric`), not the JSON it publishes to SNS. Rewritten here into the
 * SNS message's shape, so that the bot's one alarm parser and router decide both paths alike: the instance still
 * comes only from `InstanceId` dimensions, and the router still maps it to a configured target or ignores it.
 * Only what `parseCloudWatchAlarm` reads is carried over; the message goes nowhere else.
 */

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export interface ConvertedAlarm {
  /** The SNS-style alarm message for `AlarmRouter.handle`. */
  message: string;
  /** Alarm and state change: the same value for a repeated delivery of the same transition. */
  dedupeKey: string;
}

export function alarmMessageOf(event: CloudWatchActionEvent): ConvertedAlarm {
  const data = event.alarmData;
  const state = isRecord(data.state) ? data.state : {};
  const previousState = isRecord(data.previousState) ? data.previousState : {};
  const configuration = isRecord(data.configuration) ? data.configuration : {};
  const metrics = Array.isArray(configuration.metrics) ? configuration.metrics : [];

  const triggerMetrics = metrics.filter(isRecord).flatMap((entry) => {
    const stat = isRecord(entry.metricStat) ? entry.metricStat : undefined;
    const metric = stat !== undefined && isRecord(stat.metric) ? stat.metric : undefined;
    // A metric-math expression names no metric and no instance: the parser would skip it.
    if (metric === undefined) return [];
    const dimensions = isRecord(metric.dimensions) ? metric.dimensions : {};
    return [
      {
        MetricStat: {
          Metric: {
            MetricName: str(metric.name),
            // The SNS payload's spelling: a list of { name, value }.
            Dimensions: Object.entries(dimensions)
              .filter((pair): pair is [string, string] => typeof pair[1] === 'string')
              .map(([name, value]) => ({ name, value })),
          },
        },
      },
    ];
  });

  const timestamp = str(state.timestamp) ?? '';
  const message = {
    AlarmName: str(data.alarmName),
    AlarmArn: event.alarmArn,
    NewStateValue: str(state.value),
    OldStateValue: str(previousState.value),
    NewStateReason: str(state.reason) ?? '',
    StateChangeTime: timestamp,
    Trigger: { Metrics: triggerMetrics },
  };
  return {
    message: JSON.stringify(message),
    dedupeKey: `${event.alarmArn}|${str(state.value) ?? ''}|${timestamp}`,
  };
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]` → the account and region this code runs in. */
export function accountAndRegionOf(functionArn: string): { account: string; region: string } | undefined {
  const parts = functionArn.split(':');
  const region = parts[3];
  const account = parts[4];
  if (parts[0] !== 'arn' || parts[2] !== 'lambda' || region === undefined || account === undefined)
    return undefined;
  return { account, region };
}

/** The function's own ARN without a version or alias, which is what the self-invoke permission names. */
export function unqualifiedFunctionArn(functionArn: string): string {
  return functionArn.split(':').slice(0, 7).join(':');
}
