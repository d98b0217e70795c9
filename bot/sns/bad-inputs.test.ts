import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alarmPayload } from '../test-support/alarm-payloads.js';
import { createSelfSignedCertificate } from '../test-support/self-signed-cert.js';
import { createSnsSigner, TEST_CERT_PATH, TEST_CERT_URL } from '../test-support/sns-signer.js';
import { INSTANCES, startTestBot, type TestBot, TOPIC_ARN } from '../test-support/test-bot.js';
import type { SnsEnvelope, SnsNotification } from './envelope.js';

/**
 * Hostile and broken SNS deliveries against the real bot over HTTP. Each one must get the right status, leave a
 * log line that says why, and start nothing: no recovery, no AWS call that changes anything, no Slack post.
 */

let t: TestBot;
let clock = Date.now();
beforeAll(async () => {
  // The bot's SNS clock is the test's, so a replay can be made old without waiting an hour.
  t = await startTestBot({ now: () => clock, snsMaxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  await t.stop();
});

type Expectation = { status: number; event: string; reason?: string };

const OTHER_TOPIC = 'arn:aws:sns:ap-northeast-2:123456789012:someone-else';
const valid = (message = alarmPayload({ instanceId: INSTANCES.web })): SnsNotification =>
  t.signer.notification({ topicArn: TOPIC_ARN, message });
/** Changes fields after signing: what a forger can do to a captured message. */
const tampered = (change: (e: Record<string, unknown>) => void, base: SnsEnvelope = valid()): string => {
  const copy = { ...base } as Record<string, unknown>;
  change(copy);
  return JSON.stringify(copy);
};
/** Changes fields and signs again with the test key: messages that are authentic but unwanted. */
const resigned = (change: (e: SnsNotification) => void): SnsNotification => {
  const copy = { ...valid() };
  change(copy);
  return t.signer.sign(copy);
};

interface Case {
  name: string;
  send: () => Promise<{ status: number }>;
  expect: Expectation;
}

const sns = (body: string | SnsEnvelope, headers?: Record<string, string>) => t.postSns(body, headers);

const cases: Case[] = [
  {
    name: 'empty body',
    send: () => sns(''),
    expect: { status: 400, event: 'sns.rejected', reason: 'malformed-json' },
  },
  {
    name: 'not JSON',
    send: () => sns('hello, bot'),
    expect: { status: 400, event: 'sns.rejected', reason: 'malformed-json' },
  },
  {
    name: 'truncated JSON',
    send: () => sns(JSON.stringify(valid()).slice(0, 120)),
    expect: { status: 400, event: 'sns.rejected', reason: 'malformed-json' },
  },
  {
    name: 'a JSON array',
    send: () => sns('[1,2,3]'),
    expect: { status: 400, event: 'sns.rejected', reason: 'not-an-object' },
  },
  {
    name: 'JSON null',
    send: () => sns('null'),
    expect: { status: 400, event: 'sns.rejected', reason: 'not-an-object' },
  },
  {
    name: 'unknown Type',
    send: () =>
      sns(
        tampered((e) => {
          e.Type = 'Alarm';
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'unknown-type' },
  },
  {
    name: 'missing Type',
    send: () =>
      sns(
        tampered((e) => {
          delete e.Type;
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'unknown-type' },
  },
  {
    name: 'missing MessageId',
    send: () =>
      sns(
        tampered((e) => {
          delete e.MessageId;
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'missing-field' },
  },
  {
    name: 'stripped Signature',
    send: () =>
      sns(
        tampered((e) => {
          delete e.Signature;
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'missing-field' },
  },
  {
    name: 'empty Signature',
    send: () =>
      sns(
        tampered((e) => {
          e.Signature = '';
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'invalid-field' },
  },
  {
    name: 'Signature not base64',
    send: () =>
      sns(
        tampered((e) => {
          e.Signature = 'not base64!';
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'invalid-field' },
  },
  {
    name: 'stripped SigningCertURL',
    send: () =>
      sns(
        tampered((e) => {
          delete e.SigningCertURL;
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'missing-field' },
  },
  {
    name: 'stripped SignatureVersion',
    send: () =>
      sns(
        tampered((e) => {
          delete e.SignatureVersion;
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'missing-field' },
  },
  {
    name: 'SignatureVersion 3',
    send: () =>
      sns(
        tampered((e) => {
          e.SignatureVersion = '3';
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'unsupported-signature-version' },
  },
  {
    name: 'missing Timestamp',
    send: () =>
      sns(
        tampered((e) => {
          delete e.Timestamp;
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'missing-field' },
  },
  {
    name: 'Timestamp not a date',
    send: () =>
      sns(
        tampered((e) => {
          e.Timestamp = 'yesterday';
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'invalid-field' },
  },
  {
    name: 'TopicArn not an ARN',
    send: () =>
      sns(
        tampered((e) => {
          e.TopicArn = 'domtory-alarms';
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'invalid-field' },
  },
  {
    name: 'Message not a string',
    send: () =>
      sns(
        tampered((e) => {
          e.Message = { AlarmName: 'x' };
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'invalid-field' },
  },
  {
    name: 'Subject not a string',
    send: () =>
      sns(
        tampered((e) => {
          e.Subject = ['x'];
        }),
      ),
    expect: { status: 400, event: 'sns.rejected', reason: 'invalid-field' },
  },
  {
    name: 'headers disagree with the body',
    send: () => {
      const e = valid();
      return sns(JSON.stringify(e), {
        ...t.signer.headers(e),
        'x-amz-sns-message-type': 'SubscriptionConfirmation',
      });
    },
    expect: { status: 400, event: 'sns.rejected', reason: 'header-mismatch' },
  },
  {
    name: 'a topic that is not configured',
    send: () =>
      sns(
        resigned((e) => {
          e.TopicArn = OTHER_TOPIC;
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'unknown-topic' },
  },
  {
    name: 'certificate over http',
    send: () =>
      sns(
        resigned((e) => {
          e.SigningCertURL = TEST_CERT_URL.replace('https:', 'http:');
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'untrusted-certificate-url' },
  },
  {
    name: 'certificate on a foreign host',
    send: () =>
      sns(
        resigned((e) => {
          e.SigningCertURL = 'https://evil.example.com/SimpleNotificationService-x.pem';
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'untrusted-certificate-url' },
  },
  {
    name: 'certificate on a look-alike host',
    send: () =>
      sns(
        resigned((e) => {
          e.SigningCertURL = 'https://sns.us-east-1.amazonaws.com.evil.io/x.pem';
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'untrusted-certificate-url' },
  },
  {
    name: 'certificate host hidden behind user info',
    send: () =>
      sns(
        resigned((e) => {
          e.SigningCertURL = 'https://sns.us-east-1.amazonaws.com@evil.io/x.pem';
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'untrusted-certificate-url' },
  },
  {
    name: 'certificate on another port',
    send: () =>
      sns(
        resigned((e) => {
          e.SigningCertURL = 'https://sns.us-east-1.amazonaws.com:8443/x.pem';
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'untrusted-certificate-url' },
  },
  {
    name: 'certificate URL that is not a .pem',
    send: () =>
      sns(
        resigned((e) => {
          e.SigningCertURL = 'https://sns.us-east-1.amazonaws.com/?Action=Publish';
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'untrusted-certificate-url' },
  },
  {
    // Anybody can own the S3 bucket "sns" and serve a certificate there: here it is the test's own certificate,
    // so only the host check stands between this signed alarm and a reboot.
    name: 'certificate in the S3 bucket named "sns"',
    send: () =>
      sns(
        resigned((e) => {
          e.SigningCertURL = `https://sns.s3.amazonaws.com${TEST_CERT_PATH}`;
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'untrusted-certificate-url' },
  },
  {
    name: "certificate on another region's SNS host than the topic's",
    send: () =>
      sns(
        resigned((e) => {
          e.SigningCertURL = TEST_CERT_URL.replace('ap-northeast-2', 'us-east-1');
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'untrusted-certificate-url' },
  },
  {
    name: 'forged: Message changed after signing',
    send: () =>
      sns(
        tampered((e) => {
          e.Message = alarmPayload({ instanceId: INSTANCES.api });
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'bad-signature' },
  },
  {
    name: 'forged: Subject added after signing',
    send: () =>
      sns(
        tampered((e) => {
          e.Subject = 'ALARM';
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'bad-signature' },
  },
  {
    name: 'forged: MessageId changed after signing',
    send: () =>
      sns(
        tampered((e) => {
          e.MessageId = randomUUID();
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'bad-signature' },
  },
  {
    name: 'forged: SignatureVersion relabelled',
    send: () =>
      sns(
        tampered((e) => {
          e.SignatureVersion = '1';
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'bad-signature' },
  },
  {
    name: 'forged: signed by another key, pointing at the real certificate',
    send: () =>
      sns(
        createSnsSigner(createSelfSignedCertificate()).notification({
          topicArn: TOPIC_ARN,
          message: alarmPayload({ instanceId: INSTANCES.web }),
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'bad-signature' },
  },
  {
    name: 'stale: signed two hours ago',
    send: () =>
      sns(
        resigned((e) => {
          e.Timestamp = new Date(clock - 2 * 3_600_000).toISOString();
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'stale' },
  },
  {
    name: 'from the future',
    send: () =>
      sns(
        resigned((e) => {
          e.Timestamp = new Date(clock + 3_600_000).toISOString();
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'from-the-future' },
  },
  {
    name: 'certificate that cannot be fetched',
    send: () =>
      sns(
        resigned((e) => {
          e.SigningCertURL = 'https://sns.ap-northeast-2.amazonaws.com/SimpleNotificationService-missing.pem';
        }),
      ),
    expect: { status: 503, event: 'sns.rejected', reason: 'certificate-unavailable' },
  },
  {
    name: 'oversized body',
    send: () => sns(`{"Type":"Notification","Message":"${'x'.repeat(100 * 1024)}"}`),
    expect: { status: 413, event: 'sns.rejected', reason: 'body-too-large' },
  },
  {
    name: 'form-encoded body',
    send: () => sns('Type=Notification', { 'content-type': 'application/x-www-form-urlencoded' }),
    expect: { status: 415, event: 'sns.rejected', reason: 'unsupported-content-type' },
  },
  {
    name: 'GET instead of POST',
    send: async () => ({ status: (await fetch(`${t.bot.url}/sns`)).status }),
    expect: { status: 405, event: 'sns.rejected', reason: 'method-not-allowed' },
  },
  {
    name: 'HEAD instead of POST',
    send: async () => ({ status: (await fetch(`${t.bot.url}/sns`, { method: 'HEAD' })).status }),
    expect: { status: 405, event: 'sns.rejected', reason: 'method-not-allowed' },
  },
  {
    name: 'OPTIONS instead of POST',
    send: async () => ({ status: (await fetch(`${t.bot.url}/sns`, { method: 'OPTIONS' })).status }),
    expect: { status: 405, event: 'sns.rejected', reason: 'method-not-allowed' },
  },
  {
    // A signed alarm for an auto target: only the missing content type stands between it and a recovery.
    name: 'no content type',
    send: async () => {
      const e = valid();
      const { 'content-type': _, ...headers } = t.signer.headers(e);
      // Bytes, not a string: fetch adds no content type of its own to them.
      const body = new TextEncoder().encode(JSON.stringify(e));
      return { status: (await fetch(`${t.bot.url}/sns`, { method: 'POST', body, headers })).status };
    },
    expect: { status: 415, event: 'sns.rejected', reason: 'missing-content-type' },
  },
  {
    name: 'unsubscribe confirmation (signed)',
    send: () => sns(t.signer.confirmation({ topicArn: TOPIC_ARN, type: 'UnsubscribeConfirmation' })),
    expect: { status: 200, event: 'sns.ignored', reason: 'unsubscribe-confirmation' },
  },
  {
    name: 'subscription confirmation for another topic',
    send: () => sns(t.signer.confirmation({ topicArn: OTHER_TOPIC })),
    expect: { status: 403, event: 'sns.rejected', reason: 'unknown-topic' },
  },
  {
    name: 'subscription confirmation whose link leaves AWS',
    send: () =>
      sns(
        t.signer.confirmation({
          topicArn: TOPIC_ARN,
          subscribeUrl: `https://evil.example.com/?Action=ConfirmSubscription&TopicArn=${TOPIC_ARN}&Token=x`,
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'untrusted-subscribe-url' },
  },
  {
    name: 'subscription confirmation whose link confirms another topic',
    send: () =>
      sns(
        t.signer.confirmation({
          topicArn: TOPIC_ARN,
          subscribeUrl: `https://sns.ap-northeast-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${OTHER_TOPIC}&Token=x`,
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'untrusted-subscribe-url' },
  },
  {
    name: 'subscription confirmation whose link is in the S3 bucket named "sns"',
    send: () =>
      sns(
        t.signer.confirmation({
          topicArn: TOPIC_ARN,
          subscribeUrl: `https://sns.s3.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC_ARN}&Token=x`,
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'untrusted-subscribe-url' },
  },
  {
    name: "subscription confirmation whose link is on another region's SNS host",
    send: () =>
      sns(
        t.signer.confirmation({
          topicArn: TOPIC_ARN,
          subscribeUrl: `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC_ARN}&Token=x`,
        }),
      ),
    expect: { status: 403, event: 'sns.rejected', reason: 'untrusted-subscribe-url' },
  },
  {
    name: 'alarm for an unknown instance',
    send: () => sns(valid(alarmPayload({ instanceId: 'i-0ddddddddddddddd4' }))),
    expect: { status: 200, event: 'alarm.ignored', reason: 'unknown-instance' },
  },
  {
    name: 'alarm without an InstanceId dimension',
    send: () => sns(valid(alarmPayload({ instanceId: 'x' }).replace('"InstanceId"', '"LoadBalancer"'))),
    expect: { status: 200, event: 'alarm.ignored', reason: 'no-instance-dimension' },
  },
  {
    name: 'a notification that is not an alarm',
    send: () => sns(valid('Hello from the SNS console')),
    expect: { status: 200, event: 'alarm.ignored', reason: 'not-an-alarm' },
  },
  {
    name: 'INSUFFICIENT_DATA for an auto target',
    send: () => sns(valid(alarmPayload({ instanceId: INSTANCES.web, state: 'INSUFFICIENT_DATA' }))),
    expect: { status: 200, event: 'alarm.ignored', reason: 'insufficient-data' },
  },
  {
    name: 'OK from INSUFFICIENT_DATA of an alarm that never fired',
    send: () =>
      sns(valid(alarmPayload({ instanceId: INSTANCES.web, state: 'OK', oldState: 'INSUFFICIENT_DATA' }))),
    expect: { status: 200, event: 'alarm.ignored', reason: 'ok-without-alarm' },
  },
  {
    name: 'alarm from another region than the target',
    send: () => sns(valid(alarmPayload({ instanceId: INSTANCES.web, region: 'us-east-1' }))),
    expect: { status: 200, event: 'alarm.ignored', reason: 'region-mismatch' },
  },
  {
    name: 'one alarm over two configured instances',
    send: () =>
      sns(
        valid(
          alarmPayload({ instanceId: INSTANCES.web }).replace(
            `{"value":"${INSTANCES.web}","name":"InstanceId"}`,
            `{"value":"${INSTANCES.web}","name":"InstanceId"},{"value":"${INSTANCES.api}","name":"InstanceId"}`,
          ),
        ),
      ),
    expect: { status: 200, event: 'alarm.ignored', reason: 'several-targets' },
  },
];

describe('bad SNS inputs', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name → $expect.status, logged as $expect.event', async ({ send, expect: expected }) => {
    const before = t.logs.length;
    const answer = await send();
    expect(answer.status).toBe(expected.status);
    const logged = await t.fake.waitFor(() =>
      t.logs
        .slice(before)
        .find(
          (r) =>
            r.event === expected.event && (expected.reason === undefined || r.reason === expected.reason),
        ),
    );
    expect(logged).toBeDefined();
  });

  it('replayed deliveries start nothing: a repeat is a duplicate, an old capture is stale', async () => {
    // An alarm for an instance nobody configured: accepted once (and ignored), then replayed.
    const captured = valid(alarmPayload({ instanceId: 'i-0eeeeeeeeeeeeeee5' }));
    expect((await sns(captured)).status).toBe(200);
    const before = t.logs.length;
    expect((await sns(captured)).status).toBe(200);
    expect(
      t.logs.slice(before).some((r) => r.event === 'sns.duplicate' && r.messageId === captured.MessageId),
    ).toBe(true);
    clock += 2 * 3_600_000;
    try {
      const answer = await sns(captured);
      expect(answer.status).toBe(403);
      expect(t.logs.at(-1)).toMatchObject({ event: 'sns.rejected', reason: 'stale' });
    } finally {
      clock -= 2 * 3_600_000;
    }
  });

  it('none of them started a recovery, changed an instance or posted to Slack', async () => {
    await t.idle();
    expect(t.logsOf('recovery.started')).toEqual([]);
    for (const name of ['web', 'api', 'docs']) {
      const calls = t.cloud(name).calls();
      expect(calls.RebootInstances + calls.StopInstances + calls.StartInstances + calls.SendCommand).toBe(0);
    }
    expect(t.fake.callsOf('chat.postMessage')).toEqual([]);
    expect(t.fake.callsOf('chat.update')).toEqual([]);
    expect(t.confirmed).toEqual([]);
  });

  it('fetched the signing certificate once and reused it', () => {
    expect(t.fake.fileGets.filter((p) => p.includes('0000test'))).toHaveLength(1);
  });
});
