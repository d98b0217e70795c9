import { signedHeaders } from '../../test-support/slack-requests.js';

/**
 * Events in the shapes AWS delivers them (copied from recorded invocations and the AWS documentation's samples,
 * with our ids), for tests that invoke the handler as Lambda would.
 */

export const ACCOUNT = '123456789012';
export const REGION = 'ap-northeast-2';
export const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:domtory-recovery-bot`;
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:domtory-recovery-alarms`;

export interface TestContext {
  invokedFunctionArn: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

let requests = 0;
export function lambdaContext(options: { remainingMs?: number; functionArn?: string } = {}): TestContext {
  const deadline = Date.now() + (options.remainingMs ?? 900_000);
  return {
    invokedFunctionArn: options.functionArn ?? FUNCTION_ARN,
    awsRequestId: `req-${++requests}`,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
}

/**
 * A Function URL request (payload format 2.0) as Lambda builds it from Slack's POST: headers lower-cased, the
 * form body base64-encoded.
 */
export function functionUrlEvent(options: {
  body: string;
  headers?: Record<string, string>;
  method?: string;
  path?: string;
}): Record<string, unknown> {
  const path = options.path ?? '/slack/events';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {
      'content-length': String(Buffer.byteLength(options.body)),
      host: 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.ap-northeast-2.on.aws',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-amzn-tls-cipher-suite': 'TLS_AES_128_GCM_SHA256',
      'x-amzn-tls-version': 'TLSv1.3',
      'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678',
      'x-forwarded-for': '3.120.0.1',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      accept: 'application/json,*/*',
      ...options.headers,
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnopqrstuvwxyz012345',
      domainName: 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.ap-northeast-2.on.aws',
      domainPrefix: 'abcdefghijklmnopqrstuvwxyz012345',
      http: {
        method: options.method ?? 'POST',
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '3.120.0.1',
        userAgent: 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
      requestId: 'c0ffee00-1111-2222-3333-444455556666',
      routeKey: '$default',
      stage: '$default',
      time: '25/Nov/2026:14:55:00 +0000',
      timeEpoch: 1_795_618_500_000,
    },
    body: Buffer.from(options.body, 'utf8').toString('base64'),
    isBase64Encoded: true,
  };
}

export function signedSlackEvent(secret: string, body: string, timestamp?: number): Record<string, unknown> {
  return functionUrlEvent({ body, headers: signedHeaders(secret, body, timestamp) });
}

/** SNS → Lambda: note `SigningCertUrl` and `UnsubscribeUrl`, spelled differently from the HTTP envelope. */
export function snsEvent(options: {
  message: string;
  messageId?: string;
  topicArn?: string;
  type?: string;
}): Record<string, unknown> {
  const topicArn = options.topicArn ?? TOPIC_ARN;
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
        Sns: {
          Type: options.type ?? 'Notification',
          MessageId: options.messageId ?? '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
          TopicArn: topicArn,
          Subject: 'ALARM: "domtory-cpu-high" in Asia Pacific (Seoul)',
          Message: options.message,
          Timestamp: new Date().toISOString(),
          SignatureVersion: '1',
          Signature:
            'tcc6faL2yUC6dgZdmrwh1Y4cGa/ebXEkAi6RibDsvpi+tE/1+82j5KDJRQ7YYBqhfnOtHbmtaDAQsVUkzBP0ufvRG8bXg5Q==',
          SigningCertUrl: `https://sns.${REGION}.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem`,
          UnsubscribeUrl: `https://sns.${REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:2bcfbf39`,
          MessageAttributes: {},
        },
      },
    ],
  };
}

/** A CloudWatch alarm's direct Lambda action, in the shape of AWS's documented sample. */
export function cloudWatchActionEvent(options: {
  instanceId: string;
  state?: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
  /** `previousState.value`; default `OK` for an `ALARM`, else `ALARM`. */
  previousState?: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
  name?: string;
  accountId?: string;
  region?: string;
  at?: Date;
}): Record<string, unknown> {
  const region = options.region ?? REGION;
  const accountId = options.accountId ?? ACCOUNT;
  const name = options.name ?? 'domtory-cpu-high';
  const at = (options.at ?? new Date()).toISOString().replace('Z', '+0000');
  return {
    source: 'aws.cloudwatch',
    alarmArn: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`,
    accountId,
    time: at,
    region,
    alarmData: {
      alarmName: name,
      state: {
        value: options.state ?? 'ALARM',
        reason:
          'Threshold Crossed: 2 out of the last 2 datapoints [99.6 (25/11/26 14:55:00), 99.1 (25/11/26 14:50:00)] were greater than the threshold (95.0).',
        reasonData:
          '{"version":"1.0","queryDate":"2026-11-25T14:56:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[99.1,99.6],"threshold":95.0}',
        timestamp: at,
      },
      previousState: {
        value: options.previousState ?? (options.state === 'OK' ? 'ALARM' : 'OK'),
        reason:
          'Threshold Crossed: 1 datapoint [12.0 (25/11/26 14:45:00)] was not greater than the threshold (95.0).',
        timestamp: '2026-11-25T14:45:00.000+0000',
      },
      configuration: {
        description: 'CPU pinned on the app instance',
        metrics: [
          {
            id: '1234e046-06f0-a3da-9534-EXAMPLEe4c',
            metricStat: {
              metric: {
                namespace: 'AWS/EC2',
                name: 'CPUUtilization',
                dimensions: { InstanceId: options.instanceId },
              },
              period: 300,
              stat: 'Average',
            },
            returnData: true,
          },
        ],
      },
    },
  };
}
