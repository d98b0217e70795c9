import { describe, expect, it } from 'vitest';
import { parseCloudWatchAlarm } from '../alarms/cloudwatch-alarm.js';
import { alarmPayload } from '../test-support/alarm-payloads.js';
import { accountAndRegionOf, alarmMessageOf, unqualifiedFunctionArn } from './cloudwatch-action.js';
import { classifyEvent } from './events.js';
import { responseUrlAllowed } from './response-url.js';
import { commandEventOf, RUN_EVENT_KIND } from './run-event.js';
import {
  cloudWatchActionEvent,
  FUNCTION_ARN,
  functionUrlEvent,
  snsEvent,
  TOPIC_ARN,
} from './test-support/lambda-events.js';

const RUN = {
  kind: RUN_EVENT_KIND,
  version: 1,
  id: '6f1c1f52-8a44-4d39-9a0c-1f6d6f0f7a11',
  requestedAt: '2026-11-25T14:55:00.000Z',
  target: 'web',
  dryRun: true,
  owner: 'slack:U0ALLOWED',
  trigger: { kind: 'slack', actor: 'U0ALLOWED', detail: 'drill' },
  header: 'Drill',
};

describe('classifyEvent', () => {
  it('tells the four invocations apart by their recorded shapes', () => {
    expect(classifyEvent(functionUrlEvent({ body: 'a=1' })).kind).toBe('function-url');
    expect(classifyEvent(snsEvent({ message: '{}' }))).toEqual({
      kind: 'sns',
      records: [
        {
          topicArn: TOPIC_ARN,
          messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
          type: 'Notification',
          message: '{}',
        },
      ],
    });
    expect(classifyEvent(cloudWatchActionEvent({ instanceId: 'i-0aaaaaaaaaaaaaaa1' })).kind).toBe(
      'cloudwatch-alarm',
    );
    expect(classifyEvent(RUN)).toEqual({ kind: 'internal-run', run: RUN });
  });

  it('decodes a Function URL body from base64 as UTF-8 and lower-cases header names', () => {
    const event = functionUrlEvent({ body: 'text=상태', headers: { 'X-Slack-Signature': 'v0=1' } });
    const classified = classifyEvent(event);
    expect(classified.kind === 'function-url' && classified.request).toMatchObject({
      body: 'text=상태',
      isBase64Encoded: false,
      headers: expect.objectContaining({ 'x-slack-signature': 'v0=1' }),
      requestContext: { http: { method: 'POST' } },
    });
  });

  it('classifies anything HTTP-shaped as HTTP, whatever else it carries: the public URL cannot deliver a run event', () => {
    for (const key of ['requestContext', 'rawPath', 'headers', 'httpMethod', 'routeKey']) {
      expect(classifyEvent({ ...RUN, [key]: key === 'headers' ? {} : 'x' }).kind, key).toBe('function-url');
    }
  });

  it('refuses run events that are not exactly what the hand-off sends', () => {
    const bad = [
      { ...RUN, version: 2 },
      { ...RUN, id: 'not-a-uuid' },
      { ...RUN, trigger: { kind: 'alarm', actor: 'cpu' } },
      { ...RUN, extra: 'field' },
      { ...RUN, message: { channel: 'C0OPS', ts: 'now' } },
    ];
    for (const event of bad) expect(classifyEvent(event).kind).toBe('unrecognised');
  });

  it('classifies the command event, only as the hand-off builds it, and never when HTTP-shaped', () => {
    const command = commandEventOf(
      {
        text: 'status web',
        userId: 'U0ALLOWED',
        channelId: 'C0OPS',
        responseUrl: 'https://hooks.slack.com/commands/T0/1/abc',
      },
      Date.now(),
    );
    expect(classifyEvent(command)).toEqual({ kind: 'internal-command', command });
    expect(classifyEvent({ ...command, rawPath: '/' }).kind).toBe('function-url');
    for (const bad of [
      { ...command, user: 'someone' },
      { ...command, text: 'x'.repeat(201) },
      { ...command, responseUrl: 'file:///etc/passwd' },
      { ...command, extra: 'field' },
    ]) {
      expect(classifyEvent(bad).kind).toBe('unrecognised');
    }
  });

  it("answers deferred commands only at Slack's response host, or a configured fake's", () => {
    expect(responseUrlAllowed('https://hooks.slack.com/commands/T0/1/abc', undefined)).toBe(true);
    for (const url of [
      'http://hooks.slack.com/commands/T0/1/abc',
      'https://hooks.slack.com.example.com/commands',
      'https://hooks.slack.com@example.com/commands',
      'https://user:pw@hooks.slack.com/commands',
      'https://example.com/commands',
      'not a url',
    ]) {
      expect(responseUrlAllowed(url, undefined), url).toBe(false);
    }
    expect(responseUrlAllowed('http://127.0.0.1:4000/response/x', 'http://127.0.0.1:4000/api/')).toBe(true);
    expect(responseUrlAllowed('http://127.0.0.1:4001/response/x', 'http://127.0.0.1:4000/api/')).toBe(false);
  });

  it('does not mistake other Records events or partial payloads for alarms', () => {
    expect(classifyEvent({ Records: [{ eventSource: 'aws:sqs', body: '{}' }] }).kind).toBe('unrecognised');
    expect(classifyEvent({ Records: [] }).kind).toBe('unrecognised');
    expect(classifyEvent({ source: 'aws.cloudwatch', alarmData: {} }).kind).toBe('unrecognised');
    expect(classifyEvent({ source: 'aws.ec2', detail: {} }).kind).toBe('unrecognised');
    expect(classifyEvent('text').kind).toBe('unrecognised');
    expect(classifyEvent(null).kind).toBe('unrecognised');
  });
});

describe('the CloudWatch direct-action payload', () => {
  it('reads as the SNS alarm message would: states, reason, instance, region and account', () => {
    const classified = classifyEvent(
      cloudWatchActionEvent({
        instanceId: 'i-0aaaaaaaaaaaaaaa1',
        state: 'ALARM',
        at: new Date('2026-11-25T14:55:00Z'),
      }),
    );
    if (classified.kind !== 'cloudwatch-alarm') throw new Error('not classified as an alarm');
    const parsed = parseCloudWatchAlarm(alarmMessageOf(classified.event).message);
    expect(parsed).toEqual({
      ok: true,
      alarm: {
        alarmName: 'domtory-cpu-high',
        newState: 'ALARM',
        oldState: 'OK',
        reason: expect.stringContaining('Threshold Crossed'),
        changedAt: Date.parse('2026-11-25T14:55:00Z'),
        region: 'ap-northeast-2',
        metric: 'CPUUtilization',
        instanceIds: ['i-0aaaaaaaaaaaaaaa1'],
      },
    });
  });

  it('maps to the same instance as the SNS message of the same alarm', () => {
    const fromSns = parseCloudWatchAlarm(
      alarmPayload({ instanceId: 'i-0aaaaaaaaaaaaaaa1', metricMath: true }),
    );
    const direct = classifyEvent(cloudWatchActionEvent({ instanceId: 'i-0aaaaaaaaaaaaaaa1' }));
    if (direct.kind !== 'cloudwatch-alarm' || !fromSns.ok) throw new Error('fixtures');
    const fromDirect = parseCloudWatchAlarm(alarmMessageOf(direct.event).message);
    expect(fromDirect.ok && fromDirect.alarm.instanceIds).toEqual(fromSns.alarm.instanceIds);
  });

  it('gives a composite alarm (no metrics) no instance, so the router maps it to nothing', () => {
    const event = cloudWatchActionEvent({ instanceId: 'i-0aaaaaaaaaaaaaaa1' });
    const data = event.alarmData as Record<string, unknown>;
    data.configuration = { alarmRule: 'ALARM(a) OR ALARM(b)' };
    const classified = classifyEvent(event);
    if (classified.kind !== 'cloudwatch-alarm') throw new Error('not classified as an alarm');
    const parsed = parseCloudWatchAlarm(alarmMessageOf(classified.event).message);
    expect(parsed.ok && parsed.alarm.instanceIds).toEqual([]);
  });

  it('keys a repeated delivery of the same transition alike, and a new transition differently', () => {
    const at = new Date('2026-11-25T14:55:00Z');
    const key = (state: 'ALARM' | 'OK', when: Date) => {
      const classified = classifyEvent(
        cloudWatchActionEvent({ instanceId: 'i-0aaaaaaaaaaaaaaa1', state, at: when }),
      );
      return classified.kind === 'cloudwatch-alarm' ? alarmMessageOf(classified.event).dedupeKey : '';
    };
    expect(key('ALARM', at)).toBe(key('ALARM', at));
    expect(key('ALARM', at)).not.toBe(key('OK', at));
    expect(key('ALARM', at)).not.toBe(key('ALARM', new Date(at.getTime() + 600_000)));
  });
});

it("reads the function's own account and region, and drops a version or alias from its ARN", () => {
  expect(accountAndRegionOf(FUNCTION_ARN)).toEqual({ account: '123456789012', region: 'ap-northeast-2' });
  expect(accountAndRegionOf('not-an-arn')).toBeUndefined();
  expect(unqualifiedFunctionArn(`${FUNCTION_ARN}:$LATEST`)).toBe(FUNCTION_ARN);
  expect(unqualifiedFunctionArn(`${FUNCTION_ARN}:live`)).toBe(FUNCTION_ARN);
  expect(unqualifiedFunctionArn(FUNCTION_ARN)).toBe(FUNCTION_ARN);
});
