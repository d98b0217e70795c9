/**
 * The CloudWatch alarm state-change payload that SNS carries in `Message`. Parsed leniently where CloudWatch is
 * quirky (lower-case dimension keys, `+0000` offsets, metric-math alarms with no top-level MetricName, composite
 * alarms with no Trigger at all) and strictly where a wrong reading could reboot the wrong thing: the instance
 * comes only from `InstanceId` dimensions.
 */

export type AlarmState = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';

export interface CloudWatchAlarm {
  alarmName: string;
  newState: AlarmState;
  /**
   * The state it left (`OldStateValue`); `undefined` when missing or unknown. CloudWatch sends `OK` on every
   * transition into it, so an `OK` from `INSUFFICIENT_DATA` (a new alarm's first evaluation, data back after a
   * gap) does not mean an `ALARM` was resolved.
   */
  oldState?: AlarmState;
  reason: string;
  /** Epoch ms of the state change; `undefined` when CloudWatch's timestamp could not be read. */
  changedAt?: number;
  /** From the alarm's ARN. */
  region?: string;
  /** `CPUUtilization`, or the metrics behind a metric-math expression joined with `, `. */
  metric?: string;
  /** Every distinct `InstanceId` dimension value, in the payload's order. */
  instanceIds: string[];
}

export type AlarmParse = { ok: true; alarm: CloudWatchAlarm } | { ok: false; reason: string };

const STATES: readonly AlarmState[] = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];

export function parseCloudWatchAlarm(message: string): AlarmParse {
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    return { ok: false, reason: 'the message is not JSON (not a CloudWatch alarm)' };
  }
  if (!isRecord(raw)) return { ok: false, reason: 'the message is not a JSON object' };
  const alarmName = raw.AlarmName;
  const newState = raw.NewStateValue;
  if (typeof alarmName !== 'string' || alarmName === '') return { ok: false, reason: 'AlarmName is missing' };
  if (typeof newState !== 'string' || !(STATES as readonly string[]).includes(newState)) {
    return { ok: false, reason: 'NewStateValue is missing or unknown' };
  }
  const alarm: CloudWatchAlarm = {
    alarmName: alarmName.slice(0, 255),
    newState: newState as AlarmState,
    reason: typeof raw.NewStateReason === 'string' ? raw.NewStateReason.slice(0, 1000) : '',
    instanceIds: [],
  };
  const oldState = raw.OldStateValue;
  if (typeof oldState === 'string' && (STATES as readonly string[]).includes(oldState))
    alarm.oldState = oldState as AlarmState;
  const changedAt = parseCloudWatchTime(raw.StateChangeTime);
  if (changedAt !== undefined) alarm.changedAt = changedAt;
  const region = regionOfArn(typeof raw.AlarmArn === 'string' ? raw.AlarmArn : undefined);
  if (region !== undefined) alarm.region = region;

  const trigger = isRecord(raw.Trigger) ? raw.Trigger : undefined;
  const ids = new Set<string>();
  const metrics: string[] = [];
  if (trigger !== undefined) {
    if (typeof trigger.MetricName === 'string') metrics.push(trigger.MetricName);
    collectInstanceIds(trigger.Dimensions, ids);
    // Metric-math alarms: Trigger.Metrics[].MetricStat.Metric.{MetricName, Dimensions}.
    if (Array.isArray(trigger.Metrics)) {
      for (const entry of trigger.Metrics) {
        const metric = isRecord(entry) && isRecord(entry.MetricStat) ? entry.MetricStat.Metric : undefined;
        if (!isRecord(metric)) continue;
        if (typeof metric.MetricName === 'string' && !metrics.includes(metric.MetricName))
          metrics.push(metric.MetricName);
        collectInstanceIds(metric.Dimensions, ids);
      }
    }
  }
  if (metrics.length > 0) alarm.metric = metrics.join(', ');
  alarm.instanceIds = [...ids];
  return { ok: true, alarm };
}

/** CloudWatch writes `2024-05-01T12:03:00.123+0000`; ISO 8601 readers want `+00:00`. */
export function parseCloudWatchTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const at = Date.parse(normalised);
  return Number.isNaN(at) ? undefined : at;
}

function collectInstanceIds(dimensions: unknown, into: Set<string>): void {
  if (!Array.isArray(dimensions)) return;
  for (const dimension of dimensions) {
    if (!isRecord(dimension)) continue;
    // CloudWatch's SNS payload spells them `name`/`value`; the API spells them `Name`/`Value`.
    const name = dimension.name ?? dimension.Name;
    const value = dimension.value ?? dimension.Value;
    if (name === 'InstanceId' && typeof value === 'string') into.add(value);
  }
}

function regionOfArn(arn: string | undefined): string | undefined {
  const region = arn?.split(':')[3];
  return region === undefined || region === '' ? undefined : region;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
