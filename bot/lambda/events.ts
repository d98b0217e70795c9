import { isRecord } from '../alarms/cloudwatch-alarm.js';
import {
  COMMAND_EVENT_KIND,
  type CommandEvent,
  parseCommandEvent,
  parseRunEvent,
  RUN_EVENT_KIND,
  type RunEvent,
} from './run-event.js';

/**
 * The one Lambda function is invoked in four ways, told apart by shape alone:
 *
 * - a Function URL request (payload format 2.0): Slack's slash commands and buttons;
 * - an SNS event (`Records[].Sns`), from the alarm topic's direct Lambda subscription;
 * - a CloudWatch alarm's direct Lambda action (`source: aws.cloudwatch`), the original setup's path;
 * - the internal run and command events, sent by an asynchronous invocation of this function to itself.
 *
 * Anything HTTP-shaped is an HTTP request and nothing else, whatever its body says, so the public URL can never
 * deliver an internal event: it only ever reaches Slack's signature check.
 */

export interface FunctionUrlRequest {
  rawPath: string;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
  requestContext: { http: { method: string } };
}

export interface SnsRecord {
  topicArn: string;
  messageId: string;
  type: string;
  message: string;
}

/** The direct-action payload, reduced to what the bot reads; everything else in it is ignored. */
export interface CloudWatchActionEvent {
  alarmArn: string;
  accountId: string;
  region?: string;
  alarmData: Record<string, unknown>;
}

export type ClassifiedEvent =
  | { kind: 'function-url'; request: FunctionUrlRequest }
  | { kind: 'sns'; records: SnsRecord[] }
  | { kind: 'cloudwatch-alarm'; event: CloudWatchActionEvent }
  | { kind: 'internal-run'; run: RunEvent }
  | { kind: 'internal-command'; command: CommandEvent }
  | { kind: 'unrecognised'; reason: string };

const HTTP_KEYS = ['requestContext', 'rawPath', 'headers', 'httpMethod', 'routeKey'];

export function classifyEvent(event: unknown): ClassifiedEvent {
  if (!isRecord(event)) return { kind: 'unrecognised', reason: 'the event is not an object' };
  if (HTTP_KEYS.some((key) => key in event)) return { kind: 'function-url', request: normaliseHttp(event) };
  if (event.kind === RUN_EVENT_KIND) {
    const parsed = parseRunEvent(event);
    return parsed.ok
      ? { kind: 'internal-run', run: parsed.event }
      : { kind: 'unrecognised', reason: `malformed run event: ${parsed.problem}` };
  }
  if (event.kind === COMMAND_EVENT_KIND) {
    const parsed = parseCommandEvent(event);
    return parsed.ok
      ? { kind: 'internal-command', command: parsed.event }
      : { kind: 'unrecognised', reason: `malformed command event: ${parsed.problem}` };
  }
  if (Array.isArray(event.Records)) {
    const records = event.Records.map(snsRecord);
    if (records.length > 0 && records.every((r): r is SnsRecord => r !== undefined))
      return { kind: 'sns', records };
    return { kind: 'unrecognised', reason: 'Records is not a list of SNS notifications' };
  }
  if (event.source === 'aws.cloudwatch' && isRecord(event.alarmData)) {
    if (typeof event.alarmArn !== 'string' || typeof event.accountId !== 'string') {
      return { kind: 'unrecognised', reason: 'CloudWatch alarm event without alarmArn or accountId' };
    }
    const action: CloudWatchActionEvent = {
      alarmArn: event.alarmArn,
      accountId: event.accountId,
      alarmData: event.alarmData,
    };
    if (typeof event.region === 'string') action.region = event.region;
    return { kind: 'cloudwatch-alarm', event: action };
  }
  return {
    kind: 'unrecognised',
    reason: 'not a Function URL request, SNS event, CloudWatch alarm, run or command event',
  };
}

function snsRecord(raw: unknown): SnsRecord | undefined {
  if (!isRecord(raw) || raw.EventSource !== 'aws:sns' || !isRecord(raw.Sns)) return undefined;
  const { TopicArn, MessageId, Type, Message } = raw.Sns;
  if (typeof TopicArn !== 'string' || typeof MessageId !== 'string' || typeof Message !== 'string')
    return undefined;
  return {
    topicArn: TopicArn,
    messageId: MessageId,
    type: typeof Type === 'string' ? Type : 'Notification',
    message: Message,
  };
}

/**
 * Function URLs send a form body base64-encoded, and Bolt's Lambda receiver decodes base64 as ASCII, which would
 * corrupt any non-ASCII byte and with it the signature. Decoded here as UTF-8, once, and handed on as plain text.
 */
function normaliseHttp(event: Record<string, unknown>): FunctionUrlRequest {
  const headers: Record<string, string> = {};
  if (isRecord(event.headers)) {
    for (const [name, value] of Object.entries(event.headers)) {
      if (typeof value === 'string') headers[name.toLowerCase()] = value;
    }
  }
  const rawBody = typeof event.body === 'string' ? event.body : '';
  const body = event.isBase64Encoded === true ? Buffer.from(rawBody, 'base64').toString('utf8') : rawBody;
  const context = isRecord(event.requestContext) ? event.requestContext : {};
  const http = isRecord(context.http) ? context.http : {};
  return {
    rawPath: typeof event.rawPath === 'string' ? event.rawPath : '/',
    headers,
    body,
    isBase64Encoded: false,
    requestContext: { http: { method: typeof http.method === 'string' ? http.method : 'GET' } },
  };
}
