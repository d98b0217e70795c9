import { describe, expect, it } from 'vitest';
import {
  alarmConfigProblems,
  alarmConfigWarnings,
  desiredAlarms,
  ec2ActionArn,
  managedAlarmNames,
} from './alarm-spec.js';
import { TOPIC, target } from './test-support/target.js';

describe('desiredAlarms', () => {
  it('defaults to the original setup: CPUUtilization Average > 95 % over 2 x 300 s, notifying the bot', () => {
    const { alarms, retired } = desiredAlarms(target({ topicArn: TOPIC }));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.role).toBe('cpu');
    expect(alarms[0]?.spec).toMatchObject({
      AlarmName: 'domtory-recovery-web-cpu',
      ActionsEnabled: true,
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'InstanceId', Value: 'i-0123456789abcdef0' }],
      Statistic: 'Average',
      Period: 300,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 95,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'missing',
      AlarmActions: [TOPIC],
      OKActions: [TOPIC],
      InsufficientDataActions: [],
    });
    expect(retired).toEqual(['domtory-recovery-web-system-recovery']);
  });

  it('adds the EC2 reboot action (the no-Lambda path) and follows the settings', () => {
    const [cpu] = desiredAlarms(
      target({
        rebootAction: true,
        statistic: 'Maximum',
        threshold: 80,
        periodSeconds: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
      }),
    ).alarms;
    expect(cpu?.spec).toMatchObject({
      Statistic: 'Maximum',
      Threshold: 80,
      Period: 60,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      AlarmActions: ['arn:aws:automate:ap-northeast-2:ec2:reboot'],
      OKActions: [],
    });
    expect(cpu?.spec.AlarmDescription).toContain('CPU Maximum > 80% for 3 of 5 x 60 s; reboots the instance');
  });

  it('adds the StatusCheckFailed_System alarm with the recover action, in the region partition', () => {
    const { alarms, retired } = desiredAlarms(
      target({ systemRecovery: true, rebootAction: true }, { region: 'cn-north-1' }),
    );
    expect(alarms.map((alarm) => alarm.spec.AlarmName)).toEqual(managedAlarmNames('web'));
    expect(alarms[1]?.spec).toMatchObject({
      MetricName: 'StatusCheckFailed_System',
      Statistic: 'Minimum',
      Period: 60,
      EvaluationPeriods: 2,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: ['arn:aws-cn:automate:cn-north-1:ec2:recover'],
    });
    expect(alarms[0]?.spec.AlarmActions).toEqual(['arn:aws-cn:automate:cn-north-1:ec2:reboot']);
    expect(retired).toEqual([]);
    expect(ec2ActionArn('us-gov-west-1', 'reboot')).toBe('arn:aws-us-gov:automate:us-gov-west-1:ec2:reboot');
  });

  it('wants no alarm at all when the alarm is disabled, and retires both names', () => {
    expect(desiredAlarms(target({ enabled: false, topicArn: TOPIC }))).toEqual({
      alarms: [],
      retired: ['domtory-recovery-web-cpu', 'domtory-recovery-web-system-recovery'],
    });
  });
});

describe('alarm config checks', () => {
  it('refuses an alarm that does nothing, and a topic in another region', () => {
    expect(alarmConfigProblems(target())).toEqual([
      expect.objectContaining({
        field: 'alarm.rebootAction',
        message: expect.stringContaining('would do nothing'),
      }),
    ]);
    expect(alarmConfigProblems(target({ topicArn: 'arn:aws:sns:us-east-1:123456789012:t' }))).toEqual([
      expect.objectContaining({
        field: 'alarm.topicArn',
        message: expect.stringContaining('is in us-east-1'),
      }),
    ]);
    expect(alarmConfigProblems(target({ topicArn: TOPIC }))).toEqual([]);
    expect(alarmConfigProblems(target({ enabled: false }))).toEqual([]);
  });

  it('warns that a period under 300 s needs detailed monitoring', () => {
    expect(alarmConfigWarnings(target({ periodSeconds: 60 }))[0]).toContain('detailed monitoring');
    expect(alarmConfigWarnings(target())).toEqual([]);
  });
});
