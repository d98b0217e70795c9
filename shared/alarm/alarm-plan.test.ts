import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import {
  diffAlarm,
  formatPlanItem,
  isChange,
  planAlarms,
  planSummary,
  redactEndpoint,
} from './alarm-plan.js';
import { desiredAlarms } from './alarm-spec.js';
import { TOPIC, target } from './test-support/target.js';

const [cpu] = desiredAlarms(target({ topicArn: TOPIC, rebootAction: true })).alarms;
if (cpu === undefined) throw new Error('no cpu alarm');
const spec = cpu.spec;
const REBOOT = 'arn:aws:automate:ap-northeast-2:ec2:reboot';

/** What CloudWatch describes for an alarm created from `spec`: defaults left out, lists in its own order. */
function described(overrides: Partial<MetricAlarm> = {}): MetricAlarm {
  const {
    DatapointsToAlarm: _datapoints,
    TreatMissingData: _missing,
    InsufficientDataActions: _insufficient,
    ...rest
  } = spec;
  return {
    ...rest,
    AlarmActions: [REBOOT, TOPIC],
    StateValue: 'OK',
    AlarmArn: 'arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:domtory-recovery-web-cpu',
    ...overrides,
  };
}

describe('diffAlarm', () => {
  it('finds nothing when CloudWatch left out its defaults and reordered the actions', () => {
    expect(diffAlarm(spec, described())).toEqual([]);
  });

  it('lists each field that differs, old value first', () => {
    expect(
      diffAlarm(
        spec,
        described({
          Threshold: 90,
          AlarmActions: [TOPIC],
          ActionsEnabled: false,
          DatapointsToAlarm: 1,
          Unit: 'Percent',
        }),
      ),
    ).toEqual([
      { field: 'ActionsEnabled', from: 'false', to: 'true' },
      { field: 'DatapointsToAlarm', from: '1', to: '2' },
      { field: 'Threshold', from: '90', to: '95' },
      { field: 'Unit', from: 'Percent', to: '(none)' },
      { field: 'AlarmActions', from: `[${TOPIC}]`, to: `[${REBOOT}, ${TOPIC}]` },
    ]);
  });

  it('sees a percentile or a metric-math alarm under the same name as different', () => {
    expect(
      diffAlarm(spec, described({ ExtendedStatistic: 'p99', Statistic: undefined })).map((c) => c.field),
    ).toEqual(['Statistic']);
    const math = described({
      MetricName: undefined,
      Namespace: undefined,
      Dimensions: undefined,
      Metrics: [{ Id: 'm1' }],
    });
    expect(diffAlarm(spec, math).map((change) => change.field)).toEqual([
      'Namespace',
      'MetricName',
      'Metrics',
      'Dimensions',
    ]);
  });
});

describe('planAlarms', () => {
  const wanted = [
    {
      target: 'web',
      ...desiredAlarms(target({ topicArn: TOPIC, rebootAction: true })),
      retiredReason: 'alarm.systemRecovery is off',
    },
  ];

  it('creates what is missing, updates what differs, deletes what was turned off, leaves the rest', () => {
    expect(planAlarms(wanted, new Map()).map((item) => item.kind)).toEqual(['create-alarm']);
    expect(planAlarms(wanted, new Map([[spec.AlarmName, described()]]))).toEqual([
      { kind: 'alarm-unchanged', target: 'web', role: 'cpu', name: spec.AlarmName, state: 'OK' },
    ]);
    const plan = planAlarms(
      wanted,
      new Map([
        [spec.AlarmName, described({ Threshold: 90 })],
        ['domtory-recovery-web-system-recovery', { AlarmName: 'domtory-recovery-web-system-recovery' }],
      ]),
    );
    expect(plan.map((item) => item.kind)).toEqual(['update-alarm', 'delete-alarm']);
    expect(plan.filter(isChange)).toHaveLength(2);
    expect(plan.map(formatPlanItem)).toEqual([
      '~ update alarm domtory-recovery-web-cpu: Threshold 90 -> 95',
      '- delete alarm domtory-recovery-web-system-recovery (alarm.systemRecovery is off)',
    ]);
  });

  it('prints a creation as a person reads the alarm', () => {
    const [item] = planAlarms(wanted, new Map());
    expect(item === undefined ? '' : formatPlanItem(item)).toBe(
      '+ create alarm domtory-recovery-web-cpu: CPUUtilization Average > 95 for 2 x 300 s -> sns:domtory-recovery, ec2:reboot',
    );
  });
});

describe('endpoints', () => {
  it('shows only the origin of a subscription endpoint', () => {
    expect(redactEndpoint('https://bot.example.com/sns/t0k3n?sig=1')).toBe('https://bot.example.com/…');
    expect(redactEndpoint('https://bot.example.com')).toBe('https://bot.example.com');
    expect(redactEndpoint('::')).toBe('(endpoint)');
    const item = {
      kind: 'subscribe' as const,
      topicArn: TOPIC,
      endpoint: 'https://bot.example.com/sns/t0k3n',
    };
    expect(formatPlanItem(item)).not.toContain('t0k3n');
    expect(JSON.stringify(planSummary(item))).not.toContain('t0k3n');
  });
});
