import type { Target } from '../config/schema.js';
import type { MetricStatistic } from '../ports.js';

/**
 * The alarms a target should have, computed from its `alarm` config alone: no AWS call, so the plan of a dry run
 * and of a real run are the same, and the diff (`alarm-plan.ts`) has one well-defined "desired" side.
 *
 * Every field the provisioning writes is listed here, with optional CloudWatch fields spelled out (an explicit
 * `DatapointsToAlarm`, empty action lists): an alarm described later compares field by field, and a field left
 * to CloudWatch's default could never be told apart from one someone changed by hand.
 */

export type ComparisonOperator =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

export type AlarmRole = 'cpu' | 'system-recovery';

export interface AlarmSpec {
  AlarmName: string;
  AlarmDescription: string;
  ActionsEnabled: boolean;
  Namespace: 'AWS/EC2';
  MetricName: 'CPUUtilization' | 'StatusCheckFailed_System';
  Dimensions: { Name: string; Value: string }[];
  Statistic: MetricStatistic;
  Period: number;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  Threshold: number;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData: TreatMissingData;
  AlarmActions: string[];
  OKActions: string[];
  InsufficientDataActions: string[];
}

export interface DesiredAlarm {
  role: AlarmRole;
  spec: AlarmSpec;
}

/** Alarm names carry the product and the target, so a name alone says who owns the alarm and what it guards. */
export const alarmName = (target: string, role: AlarmRole): string => `domtory-recovery-${target}-${role}`;

/** Every name this tool may create for a target: the ones it may also retire when the config turns them off. */
export const managedAlarmNames = (target: string): string[] => [
  alarmName(target, 'cpu'),
  alarmName(target, 'system-recovery'),
];

/** `arn:aws`, `arn:aws-cn` or `arn:aws-us-gov`: EC2 alarm actions only work with the region's own partition. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The EC2 actions CloudWatch runs itself, without any Lambda or bot: `reboot` and `recover`. */
export const ec2ActionArn = (region: string, action: 'reboot' | 'recover'): string =>
  `arn:${partitionOf(region)}:automate:${region}:ec2:${action}`;

/** Region of an SNS topic ARN (`arn:aws:sns:<region>:<account>:<name>`). */
export function topicRegion(topicArn: string): string | undefined {
  return topicArn.split(':')[3];
}

/** The status-check alarm follows AWS's documented recover setup: failing for two whole one-minute periods. */
const SYSTEM_CHECK = { period: 60, evaluationPeriods: 2 } as const;

/**
 * The desired alarms of one target. An empty list means the target should have none of ours (alarm disabled);
 * `retired` names the managed alarms that must not exist.
 */
export function desiredAlarms(target: Target): { alarms: DesiredAlarm[]; retired: string[] } {
  const { alarm } = target;
  if (!alarm.enabled) return { alarms: [], retired: managedAlarmNames(target.name) };

  const dimensions = [{ Name: 'InstanceId', Value: target.instanceId }];
  const notify = alarm.topicArn === undefined ? [] : [alarm.topicArn];
  const reboot = alarm.rebootAction ? [ec2ActionArn(target.region, 'reboot')] : [];
  const datapoints = alarm.datapointsToAlarm ?? alarm.evaluationPeriods;
  const acts = [notify.length > 0 ? 'notifies the bot' : '', reboot.length > 0 ? 'reboots the instance' : '']
    .filter((part) => part !== '')
    .join(' and ');

  const cpu: AlarmSpec = {
    AlarmName: alarmName(target.name, 'cpu'),
    AlarmDescription:
      `domtory-recovery: ${target.name} (${target.instanceId}) CPU ${alarm.statistic} > ${alarm.threshold}% ` +
      `for ${datapoints} of ${alarm.evaluationPeriods} x ${alarm.periodSeconds} s; ${acts || 'no action'}. ` +
      'Managed by the provision command: edits made here are overwritten.',
    ActionsEnabled: true,
    Namespace: 'AWS/EC2',
    MetricName: 'CPUUtilization',
    Dimensions: dimensions,
    Statistic: alarm.statistic,
    Period: alarm.periodSeconds,
    EvaluationPeriods: alarm.evaluationPeriods,
    DatapointsToAlarm: datapoints,
    Threshold: alarm.threshold,
    ComparisonOperator: 'GreaterThanThreshold',
    // The hypervisor reports CPU even for a hung guest; a gap means the instance is stopped, which is no alarm.
    TreatMissingData: 'missing',
    AlarmActions: [...notify, ...reboot],
    // The bot posts "resolved" in the alarm's thread when the alarm returns to OK.
    OKActions: notify,
    InsufficientDataActions: [],
  };
  const alarms: DesiredAlarm[] = [{ role: 'cpu', spec: cpu }];
  const retired: string[] = [];

  const systemName = alarmName(target.name, 'system-recovery');
  if (alarm.systemRecovery) {
    alarms.push({
      role: 'system-recovery',
      spec: {
        AlarmName: systemName,
        AlarmDescription:
          `domtory-recovery: ${target.name} (${target.instanceId}) failed its EC2 system status check: ` +
          'EC2 recovers the instance onto healthy hardware. Managed by the provision command.',
        ActionsEnabled: true,
        Namespace: 'AWS/EC2',
        MetricName: 'StatusCheckFailed_System',
        Dimensions: dimensions,
        Statistic: 'Minimum',
        Period: SYSTEM_CHECK.period,
        EvaluationPeriods: SYSTEM_CHECK.evaluationPeriods,
        DatapointsToAlarm: SYSTEM_CHECK.evaluationPeriods,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'missing',
        // Not the bot's topic: the bot would answer the same alarm with a reboot while EC2 is moving the instance.
        AlarmActions: [ec2ActionArn(target.region, 'recover')],
        OKActions: [],
        InsufficientDataActions: [],
      },
    });
  } else {
    retired.push(systemName);
  }
  return { alarms, retired };
}

/**
 * Problems with a target's alarm config that only show when provisioning: checked before any AWS call, so a
 * config that would create a useless or rejected alarm is refused up front.
 */
export function alarmConfigProblems(
  target: Target,
): { field: 'alarm.topicArn' | 'alarm.rebootAction'; message: string }[] {
  const { alarm } = target;
  if (!alarm.enabled) return [];
  const problems: { field: 'alarm.topicArn' | 'alarm.rebootAction'; message: string }[] = [];
  if (alarm.topicArn === undefined && !alarm.rebootAction) {
    problems.push({
      field: 'alarm.rebootAction',
      message: `the CPU alarm of ${target.name} would do nothing: give it the bot's SNS topic (alarm.topicArn) and/or the reboot action (alarm.rebootAction)`,
    });
  }
  if (alarm.topicArn !== undefined && topicRegion(alarm.topicArn) !== target.region) {
    problems.push({
      field: 'alarm.topicArn',
      message: `the topic of ${target.name} is in ${topicRegion(alarm.topicArn) ?? '?'} but the instance is in ${target.region}: CloudWatch only notifies topics in the alarm's own region`,
    });
  }
  return problems;
}

/** Advice that does not block provisioning. */
export function alarmConfigWarnings(target: Target): string[] {
  const { alarm } = target;
  if (!alarm.enabled || alarm.periodSeconds >= 300) return [];
  return [
    `the CPU alarm of ${target.name} uses a ${alarm.periodSeconds} s period: basic monitoring publishes CPUUtilization every 5 minutes, so it needs detailed monitoring (paid) on the instance or it will sit in INSUFFICIENT_DATA`,
  ];
}
