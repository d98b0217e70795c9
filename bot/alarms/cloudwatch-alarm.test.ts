import { describe, expect, it } from 'vitest';
import { alarmPayload } from '../test-support/alarm-payloads.js';
import { parseCloudWatchAlarm, parseCloudWatchTime } from './cloudwatch-alarm.js';

describe('CloudWatch alarm payloads', () => {
  it('reads the instance from lower-case dimension keys', () => {
    const parsed = parseCloudWatchAlarm(alarmPayload({ instanceId: 'i-0aaaaaaaaaaaaaaa1' }));
    expect(parsed).toMatchObject({
      ok: true,
      alarm: {
        newState: 'ALARM',
        instanceIds: ['i-0aaaaaaaaaaaaaaa1'],
        metric: 'CPUUtilization',
        region: 'ap-northeast-2',
      },
    });
  });

  it('reads metric-math alarms, which have no top-level MetricName', () => {
    const parsed = parseCloudWatchAlarm(
      alarmPayload({ instanceId: 'i-0aaaaaaaaaaaaaaa1', metricMath: true }),
    );
    expect(parsed).toMatchObject({
      ok: true,
      alarm: { instanceIds: ['i-0aaaaaaaaaaaaaaa1'], metric: 'CPUUtilization' },
    });
  });

  it('accepts the API spelling of dimensions too, and never an instance from anywhere else', () => {
    const message = JSON.stringify({
      AlarmName: 'x',
      NewStateValue: 'ALARM',
      AlarmDescription: 'i-0ffffffffffffffff6 is mentioned here',
      Trigger: {
        Dimensions: [
          { Name: 'InstanceId', Value: 'i-0aaaaaaaaaaaaaaa1' },
          { name: 'AutoScalingGroupName', value: 'i-0bbbbbbbbbbbbbbb2' },
        ],
      },
    });
    expect(parseCloudWatchAlarm(message)).toMatchObject({
      ok: true,
      alarm: { instanceIds: ['i-0aaaaaaaaaaaaaaa1'] },
    });
  });

  it('reads the state the alarm left, and nothing it does not know', () => {
    const ok = (oldState?: string) =>
      parseCloudWatchAlarm(JSON.stringify({ AlarmName: 'x', NewStateValue: 'OK', OldStateValue: oldState }));
    expect(ok('INSUFFICIENT_DATA')).toMatchObject({ ok: true, alarm: { oldState: 'INSUFFICIENT_DATA' } });
    expect(ok('ALARM')).toMatchObject({ ok: true, alarm: { oldState: 'ALARM' } });
    for (const unknown of [undefined, 'BROKEN']) {
      const parsed = ok(unknown);
      expect(parsed.ok && 'oldState' in parsed.alarm).toBe(false);
    }
  });

  it('reads CloudWatch timestamps with a +0000 offset', () => {
    expect(parseCloudWatchTime('2026-11-25T14:55:00.123+0000')).toBe(Date.UTC(2026, 10, 25, 14, 55, 0, 123));
    expect(parseCloudWatchTime('2026-11-25T23:55:00.000+0900')).toBe(Date.UTC(2026, 10, 25, 14, 55));
    expect(parseCloudWatchTime('soon')).toBeUndefined();
  });

  it('refuses what is not an alarm', () => {
    expect(parseCloudWatchAlarm('hello').ok).toBe(false);
    expect(parseCloudWatchAlarm('[]').ok).toBe(false);
    expect(parseCloudWatchAlarm(JSON.stringify({ AlarmName: 'x', NewStateValue: 'BROKEN' })).ok).toBe(false);
    // A composite alarm has no Trigger: it parses, with no instance to act on.
    expect(parseCloudWatchAlarm(JSON.stringify({ AlarmName: 'x', NewStateValue: 'ALARM' }))).toMatchObject({
      ok: true,
      alarm: { instanceIds: [] },
    });
  });
});
