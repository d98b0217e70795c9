import { describe, expect, it } from 'vitest';
import { type TargetFields, targetFromFields } from './target-from-inputs.js';

const BASE: TargetFields = {
  name: 'web',
  instanceId: 'i-0123456789abcdef0',
  region: 'ap-northeast-2',
  composeDirectory: '/srv/app',
  alarm: {},
};

function resolve(overrides: Partial<TargetFields>) {
  const fields: TargetFields = { ...BASE, ...overrides, alarm: { ...BASE.alarm, ...overrides.alarm } };
  const problems: string[] = [];
  const result = targetFromFields(fields, (field) => problems.push(field));
  return { result, fields: [...new Set(problems)].sort() };
}

describe('a target described by inputs', () => {
  it('gets the same defaults as one in a config file', () => {
    const { result } = resolve({});
    expect(result?.parameterPrefix).toBe('/domtory-recovery');
    expect(result?.target).toMatchObject({
      name: 'web',
      region: 'ap-northeast-2',
      compose: { directory: '/srv/app', command: 'auto' },
      policy: 'confirm',
      escalate: true,
      timeouts: { reboot: 420, compose: 300 },
      alarm: {
        threshold: 95,
        statistic: 'Average',
        periodSeconds: 300,
        evaluationPeriods: 2,
        rebootAction: false,
      },
    });
    expect(result?.target.healthCheck).toBeUndefined();
    expect(result?.target.compose.user).toBeUndefined();
  });

  it('keeps every value that was given', () => {
    const { result } = resolve({
      composeCommand: 'docker-compose',
      composeUser: 'ubuntu',
      healthUrl: 'https://app.example.com/health',
      healthExpectStatus: 204,
      escalate: false,
      parameterPrefix: '/team/recovery',
      alarm: {
        threshold: 80,
        statistic: 'Maximum',
        periodSeconds: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
      },
    });
    expect(result?.parameterPrefix).toBe('/team/recovery');
    expect(result?.target).toMatchObject({
      compose: { command: 'docker-compose', user: 'ubuntu' },
      healthCheck: { url: 'https://app.example.com/health', expectStatus: 204 },
      escalate: false,
      alarm: {
        threshold: 80,
        statistic: 'Maximum',
        periodSeconds: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
      },
    });
  });

  it.each<[string, Partial<TargetFields>, string[]]>([
    ['a short instance id', { instanceId: 'i-123' }, ['instanceId']],
    ['an instance id in capitals', { instanceId: 'i-0123456789ABCDEF0' }, ['instanceId']],
    ['a region name', { region: 'Seoul' }, ['region']],
    ['a relative compose directory', { composeDirectory: 'srv/app' }, ['compose.directory']],
    ['a quote in the compose directory', { composeDirectory: "/srv/app'; rm -rf /" }, ['compose.directory']],
    ['an unknown compose command', { composeCommand: 'podman compose' }, ['compose.command']],
    ['a user name in capitals', { composeUser: 'Ubuntu' }, ['compose.user']],
    ['an ftp health URL', { healthUrl: 'ftp://app.example.com/' }, ['healthCheck.url']],
    [
      'an HTTP status of 600',
      { healthUrl: 'https://a.example.com', healthExpectStatus: 600 },
      ['healthCheck.expectStatus'],
    ],
    ['a prefix ending in a slash', { parameterPrefix: '/recovery/' }, ['parameterPrefix']],
    ['a target name in capitals', { name: 'Web' }, ['name']],
    ['a threshold of 0', { alarm: { threshold: 0 } }, ['alarm.threshold']],
    ['a threshold above 100', { alarm: { threshold: 100.5 } }, ['alarm.threshold']],
    ['a period of 45 s', { alarm: { periodSeconds: 45 } }, ['alarm.periodSeconds']],
    ['zero evaluation periods', { alarm: { evaluationPeriods: 0 } }, ['alarm.evaluationPeriods']],
    [
      'more datapoints than periods',
      { alarm: { evaluationPeriods: 2, datapointsToAlarm: 3 } },
      ['alarm.datapointsToAlarm'],
    ],
    ['the p99 statistic', { alarm: { statistic: 'p99' } }, ['alarm.statistic']],
    [
      'an SQS ARN as topic',
      { alarm: { topicArn: 'arn:aws:sqs:ap-northeast-2:123456789012:q' } },
      ['alarm.topicArn'],
    ],
    [
      'two bad fields at once',
      { instanceId: 'nope', alarm: { threshold: -1 } },
      ['alarm.threshold', 'instanceId'],
    ],
  ])('refuses %s, naming the field', (_case, overrides, fields) => {
    const outcome = resolve(overrides);
    expect(outcome.result).toBeUndefined();
    expect(outcome.fields).toEqual(fields);
  });

  it.each<[string, Partial<TargetFields>]>([
    ['a short instance id', { instanceId: 'i-01234567' }],
    ['a GovCloud region', { region: 'us-gov-west-1' }],
    ['an http health URL', { healthUrl: 'http://10.0.0.5:8080/health' }],
    ['a 10 s period', { alarm: { periodSeconds: 10 } }],
    ['a China topic ARN', { alarm: { topicArn: 'arn:aws-cn:sns:cn-north-1:123456789012:t' } }],
    ['every statistic', { alarm: { statistic: 'SampleCount' } }],
  ])('accepts %s', (_case, overrides) => {
    expect(resolve(overrides).fields).toEqual([]);
  });
});
