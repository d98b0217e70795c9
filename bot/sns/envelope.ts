import { TOPIC_ARN } from '../../shared/index.js';

/**
 * The JSON envelope SNS POSTs to an HTTP(S) subscriber, parsed strictly: every field the signature covers must be
 * a string, so that the canonical string we rebuild is exactly the one SNS signed.
 */

export const SNS_MESSAGE_TYPES = [
  'Notification',
  'SubscriptionConfirmation',
  'UnsubscribeConfirmation',
] as const;

interface EnvelopeBase {
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: '1' | '2';
  Signature: string;
  SigningCertURL: string;
}

export interface SnsNotification extends EnvelopeBase {
  Type: 'Notification';
  Subject?: string;
  UnsubscribeURL?: string;
}

export interface SnsConfirmation extends EnvelopeBase {
  Type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  Token: string;
  SubscribeURL: string;
}

export type SnsEnvelope = SnsNotification | SnsConfirmation;

export type EnvelopeProblem =
  | 'malformed-json'
  | 'not-an-object'
  | 'unknown-type'
  | 'missing-field'
  | 'invalid-field'
  | 'unsupported-signature-version';

export type EnvelopeParse =
  | { ok: true; envelope: SnsEnvelope }
  | { ok: false; problem: EnvelopeProblem; detail: string };

// SNS message ids are UUIDs; the bound keeps an attacker's "id" from bloating logs and the de-duplication set.
const MESSAGE_ID = /^[A-Za-z0-9-]{1,100}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE_FIELDS = [
  'MessageId',
  'TopicArn',
  'Message',
  'Timestamp',
  'SignatureVersion',
  'Signature',
  'SigningCertURL',
] as const;

export function parseEnvelope(body: string): EnvelopeParse {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'malformed-json', detail: 'the body is not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problem: 'not-an-object', detail: 'the body is not a JSON object' };
  }
  const fields = raw as Record<string, unknown>;
  const type = fields.Type;
  if (typeof type !== 'string' || !(SNS_MESSAGE_TYPES as readonly string[]).includes(type)) {
    return {
      ok: false,
      problem: 'unknown-type',
      detail: `Type ${JSON.stringify(type)?.slice(0, 60)} is not an SNS message type`,
    };
  }
  const required =
    type === 'Notification' ? BASE_FIELDS : ([...BASE_FIELDS, 'Token', 'SubscribeURL'] as const);
  for (const key of required) {
    const value = fields[key];
    if (value === undefined || value === null)
      return { ok: false, problem: 'missing-field', detail: `${key} is missing` };
    if (typeof value !== 'string' || value === '') {
      return { ok: false, problem: 'invalid-field', detail: `${key} must be a non-empty string` };
    }
  }
  // Optional signed fields must be strings too, or the canonical string would not be the one SNS signed.
  for (const key of ['Subject', 'UnsubscribeURL']) {
    const value = fields[key];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return { ok: false, problem: 'invalid-field', detail: `${key} must be a string` };
    }
  }
  const str = (key: string) => fields[key] as string;
  if (!MESSAGE_ID.test(str('MessageId')))
    return { ok: false, problem: 'invalid-field', detail: 'MessageId is not an id' };
  if (!TOPIC_ARN.test(str('TopicArn')))
    return { ok: false, problem: 'invalid-field', detail: 'TopicArn is not an SNS topic ARN' };
  if (!BASE64.test(str('Signature')))
    return { ok: false, problem: 'invalid-field', detail: 'Signature is not base64' };
  if (Number.isNaN(Date.parse(str('Timestamp')))) {
    return { ok: false, problem: 'invalid-field', detail: 'Timestamp is not a date' };
  }
  const version = str('SignatureVersion');
  if (version !== '1' && version !== '2') {
    return {
      ok: false,
      problem: 'unsupported-signature-version',
      detail: `SignatureVersion ${version.slice(0, 10)} is not 1 or 2`,
    };
  }
  const base: EnvelopeBase = {
    MessageId: str('MessageId'),
    TopicArn: str('TopicArn'),
    Message: str('Message'),
    Timestamp: str('Timestamp'),
    SignatureVersion: version,
    Signature: str('Signature'),
    SigningCertURL: str('SigningCertURL'),
  };
  if (type === 'Notification') {
    const envelope: SnsNotification = { ...base, Type: 'Notification' };
    if (typeof fields.Subject === 'string') envelope.Subject = fields.Subject;
    if (typeof fields.UnsubscribeURL === 'string') envelope.UnsubscribeURL = fields.UnsubscribeURL;
    return { ok: true, envelope };
  }
  return {
    ok: true,
    envelope: {
      ...base,
      Type: type as SnsConfirmation['Type'],
      Token: str('Token'),
      SubscribeURL: str('SubscribeURL'),
    },
  };
}

/**
 * The string SNS signs: `Key\nValue\n` for each signed field in this order (AWS's "Verifying the signatures of
 * Amazon SNS messages"). Subject is signed only when the message has one.
 */
export function canonicalString(envelope: SnsEnvelope): string {
  const pairs: Array<[string, string]> =
    envelope.Type === 'Notification'
      ? [
          ['Message', envelope.Message],
          ['MessageId', envelope.MessageId],
          ...(envelope.Subject === undefined
            ? []
            : ([['Subject', envelope.Subject]] as Array<[string, string]>)),
          ['Timestamp', envelope.Timestamp],
          ['TopicArn', envelope.TopicArn],
          ['Type', envelope.Type],
        ]
      : [
          ['Message', envelope.Message],
          ['MessageId', envelope.MessageId],
          ['SubscribeURL', envelope.SubscribeURL],
          ['Timestamp', envelope.Timestamp],
          ['Token', envelope.Token],
          ['TopicArn', envelope.TopicArn],
          ['Type', envelope.Type],
        ];
  let out = '';
  for (const [key, value] of pairs) out += `${key}\n${value}\n`;
  return out;
}
