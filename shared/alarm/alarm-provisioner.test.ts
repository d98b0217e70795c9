import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  NotFoundException,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../aws/client-factory.js';
import type { PlanItem } from './alarm-plan.js';
import { provisionAlarms } from './alarm-provisioner.js';
import { desiredAlarms } from './alarm-spec.js';
import { TOPIC, target } from './test-support/target.js';

const cloudwatch = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);

beforeEach(() => {
  cloudwatch.reset();
  sns.reset();
  cloudwatch.on(DescribeAlarmsForMetricCommand).resolves({ MetricAlarms: [] });
});

afterAll(() => {
  cloudwatch.restore();
  sns.restore();
});

const clients = () =>
  createAwsClients({
    region: 'ap-northeast-2',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  });

const WEB = target({ topicArn: TOPIC, rebootAction: true, systemRecovery: true });
const specs = desiredAlarms(WEB).alarms.map((alarm) => alarm.spec);

function asDescribed(index: number, overrides: Partial<MetricAlarm> = {}): MetricAlarm {
  return { ...specs[index], StateValue: 'OK', ...overrides } as MetricAlarm;
}

describe('provisionAlarms', () => {
  it('describes both managed names, plans the creations, and sends them with the full spec', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    const seen: PlanItem[][] = [];
    const result = await provisionAlarms({
      clients: clients(),
      targets: [WEB],
      createTopics: false,
      dryRun: false,
      onPlan: (plan) => seen.push([...plan]),
    });

    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input).toEqual({
      AlarmNames: ['domtory-recovery-web-cpu', 'domtory-recovery-web-system-recovery'],
    });
    expect(result.plan.map((item) => item.kind)).toEqual(['create-alarm', 'create-alarm']);
    expect(seen).toEqual([result.plan]);
    const sent = cloudwatch.commandCalls(PutMetricAlarmCommand).map((call) => call.args[0].input);
    expect(sent).toEqual([
      { ...specs[0], Tags: [{ Key: 'managed-by', Value: 'domtory-recovery' }] },
      { ...specs[1], Tags: [{ Key: 'managed-by', Value: 'domtory-recovery' }] },
    ]);
    expect(result.applied).toHaveLength(2);
    // No topic management asked for: the SNS client is never used.
    expect(sns.calls()).toHaveLength(0);
  });

  it('sends nothing when every alarm matches, and nothing but describes in a dry run', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [asDescribed(0), asDescribed(1)] });
    const unchanged = await provisionAlarms({
      clients: clients(),
      targets: [WEB],
      createTopics: false,
      dryRun: false,
    });
    expect(unchanged.plan.map((item) => item.kind)).toEqual(['alarm-unchanged', 'alarm-unchanged']);

    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [asDescribed(0, { Threshold: 80 })] });
    const planned = await provisionAlarms({
      clients: clients(),
      targets: [WEB],
      createTopics: false,
      dryRun: true,
    });
    expect(planned.plan.map((item) => item.kind)).toEqual(['update-alarm', 'create-alarm']);
    expect(planned.applied).toEqual([]);
    expect(cloudwatch.commandCalls(PutMetricAlarmCommand)).toHaveLength(0);
  });

  it('deletes a managed alarm the config turned off', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [asDescribed(0), asDescribed(1)] });
    const result = await provisionAlarms({
      clients: clients(),
      targets: [target({ topicArn: TOPIC, rebootAction: true })],
      createTopics: false,
      dryRun: false,
    });
    expect(result.plan.map((item) => item.kind)).toEqual(['alarm-unchanged', 'delete-alarm']);
    expect(cloudwatch.commandCalls(DeleteAlarmsCommand)[0]?.args[0].input).toEqual({
      AlarmNames: ['domtory-recovery-web-system-recovery'],
    });
  });

  it('creates the topic and subscribes the endpoint before any alarm points at it', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    sns
      .on(GetTopicAttributesCommand)
      .rejects(new NotFoundException({ message: 'Topic does not exist', $metadata: {} }));
    const order: string[] = [];
    sns.on(CreateTopicCommand).callsFake(() => {
      order.push('CreateTopic');
      return { TopicArn: TOPIC };
    });
    sns.on(SubscribeCommand).callsFake(() => {
      order.push('Subscribe');
      return {};
    });
    cloudwatch.on(PutMetricAlarmCommand).callsFake(() => {
      order.push('PutMetricAlarm');
      return {};
    });

    const result = await provisionAlarms({
      clients: clients(),
      targets: [WEB],
      createTopics: true,
      subscriptionEndpoint: 'https://bot.example.com/sns',
      dryRun: false,
    });
    expect(result.plan.map((item) => item.kind)).toEqual([
      'create-topic',
      'subscribe',
      'create-alarm',
      'create-alarm',
    ]);
    expect(order).toEqual(['CreateTopic', 'Subscribe', 'PutMetricAlarm', 'PutMetricAlarm']);
    expect(sns.commandCalls(SubscribeCommand)[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Protocol: 'https',
      Endpoint: 'https://bot.example.com/sns',
      ReturnSubscriptionArn: true,
    });
  });

  it('finds an existing subscription, even one still pending confirmation', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [asDescribed(0), asDescribed(1)] });
    sns
      .on(GetTopicAttributesCommand)
      .resolves({ Attributes: { SubscriptionsConfirmed: '0', SubscriptionsPending: '1' } });
    sns
      .on(ListSubscriptionsByTopicCommand)
      .resolvesOnce({
        Subscriptions: [{ Protocol: 'email', Endpoint: 'ops@example.com' }],
        NextToken: 'page-2',
      })
      .resolves({
        Subscriptions: [
          {
            Protocol: 'https',
            Endpoint: 'https://bot.example.com/sns',
            SubscriptionArn: 'PendingConfirmation',
          },
        ],
      });
    const result = await provisionAlarms({
      clients: clients(),
      targets: [WEB],
      createTopics: true,
      subscriptionEndpoint: 'https://bot.example.com/sns',
      dryRun: false,
    });
    expect(result.plan.slice(0, 2)).toEqual([
      { kind: 'topic-unchanged', topicArn: TOPIC },
      {
        kind: 'subscription-unchanged',
        topicArn: TOPIC,
        endpoint: 'https://bot.example.com/sns',
        pending: true,
      },
    ]);
    expect(sns.commandCalls(ListSubscriptionsByTopicCommand)[1]?.args[0].input.NextToken).toBe('page-2');
    expect(sns.commandCalls(SubscribeCommand)).toHaveLength(0);
  });

  it('stops at the first failed change and says what was already done', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    cloudwatch
      .on(PutMetricAlarmCommand)
      .resolvesOnce({})
      .rejects(
        Object.assign(new Error('User is not authorized'), {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 },
        }),
      );
    const result = await provisionAlarms({
      clients: clients(),
      targets: [WEB],
      createTopics: false,
      dryRun: false,
    });
    expect(result.applied.map((item) => item.kind === 'create-alarm' && item.spec.AlarmName)).toEqual([
      'domtory-recovery-web-cpu',
    ]);
    expect(result.failed?.error).toMatchObject({
      code: 'permission-denied',
      message: expect.stringContaining(
        'cloudwatch:PutMetricAlarm on alarm domtory-recovery-web-system-recovery',
      ),
    });
  });

  it('warns about a hand-made alarm that also acts on the instance CPU', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [asDescribed(0), asDescribed(1)] });
    cloudwatch.on(DescribeAlarmsForMetricCommand).resolves({
      MetricAlarms: [
        asDescribed(0),
        { AlarmName: 'cpu-95-reboot', AlarmActions: ['arn:aws:automate:ap-northeast-2:ec2:reboot'] },
      ],
    });
    const result = await provisionAlarms({
      clients: clients(),
      targets: [WEB],
      createTopics: false,
      dryRun: true,
    });
    expect(result.warnings).toEqual([
      'alarm "cpu-95-reboot" also watches CPUUtilization of i-0123456789abcdef0 (ec2:reboot); it is not managed here and keeps acting: delete it if domtory-recovery-web-cpu replaces it',
    ]);
  });

  it('refuses to pass off another account topic as the one it created', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    sns
      .on(GetTopicAttributesCommand)
      .rejects(new NotFoundException({ message: 'Topic does not exist', $metadata: {} }));
    sns
      .on(CreateTopicCommand)
      .resolves({ TopicArn: 'arn:aws:sns:ap-northeast-2:999999999999:domtory-recovery' });
    const result = await provisionAlarms({
      clients: clients(),
      targets: [WEB],
      createTopics: true,
      dryRun: false,
    });
    expect(result.failed?.error.message).toContain('but the config names');
    expect(cloudwatch.commandCalls(PutMetricAlarmCommand)).toHaveLength(0);
  });
});
