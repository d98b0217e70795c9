import { hash, verify } from 'node:crypto';
import type { Logger } from '../logger.js';
import { trustedCertificateUrl, trustedSubscribeUrl } from './aws-urls.js';
import type { CertificateSource } from './certificates.js';
import { MessageDedupe } from './dedupe.js';
import {
  canonicalString,
  parseEnvelope,
  type SnsConfirmation,
  type SnsEnvelope,
  type SnsNotification,
} from './envelope.js';

/**
 * SNS intake, independent of any HTTP server: it takes a body and its headers and decides the answer, returning
 * the work to do after answering. The long-running server answers and then runs the work; a Lambda handler can
 * reuse the same function.
 *
 * Status codes: SNS retries 5xx (and timeouts) and treats 4xx as final, so a forged or unwanted message gets a
 * 4xx, and only "cannot verify right now" (certificate unavailable) gets a 5xx.
 */

export interface SnsRequest {
  body: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface SnsDecision {
  status: number;
  /** `accepted`, `duplicate`, `confirmation`, `ignored` or `rejected`; logged and sent back as the body. */
  outcome: 'accepted' | 'duplicate' | 'confirmation' | 'ignored' | 'rejected';
  reason?: string;
  messageId?: string;
  /** Runs after the answer has been sent: the alarm routing, or a subscription confirmation. */
  work?: () => Promise<void>;
}

export interface SnsIntakeOptions {
  /** Only these topics are accepted, and only their subscriptions confirmed. */
  topicArns: readonly string[];
  certificates: CertificateSource;
  /** Visits a SubscribeURL that passed the checks; production: an https GET. */
  confirmSubscription: (url: URL) => Promise<void>;
  /** A verified, first-seen notification from a configured topic. */
  onNotification: (notification: SnsNotification) => Promise<void>;
  logger: Logger;
  now?: () => number;
  /** Older messages are refused as replays; SNS stops retrying an HTTP delivery after at most an hour. */
  maxAgeMs?: number;
}

export interface SnsIntake {
  handle(request: SnsRequest): Promise<SnsDecision>;
}

export const DEFAULT_MAX_AGE_MS = 60 * 60_000;
/** Clocks differ: a timestamp this far ahead of ours is still accepted. */
const FUTURE_SKEW_MS = 5 * 60_000;

export function createSnsIntake(options: SnsIntakeOptions): SnsIntake {
  const topics = new Set(options.topicArns);
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  // Ids outlive the replay window by a margin, so a replay is caught either as a duplicate or as stale.
  const dedupe = new MessageDedupe({ ttlMs: maxAgeMs + FUTURE_SKEW_MS + 60_000, now });
  const log = options.logger;

  const reject = (status: number, reason: string, fields: Record<string, unknown> = {}): SnsDecision => {
    log.warn('sns.rejected', { status, reason, ...fields });
    return { status, outcome: 'rejected', reason };
  };

  /** A notification already verified and claimed under this id: answered 200, and nothing more is done. */
  const duplicate = (ids: { messageId: string; type: string; topicArn: string }): SnsDecision => {
    log.info('sns.duplicate', { ...ids, status: 200 });
    return { status: 200, outcome: 'duplicate', messageId: ids.messageId };
  };

  /** A verified (un)subscription message from a configured topic. */
  const confirmation = (envelope: SnsConfirmation, ids: Record<string, unknown>): SnsDecision => {
    if (envelope.Type === 'UnsubscribeConfirmation') {
      // Visiting its link would subscribe again; someone unsubscribed on purpose, so it is only noted.
      log.info('sns.ignored', { ...ids, reason: 'unsubscribe-confirmation', status: 200 });
      return {
        status: 200,
        outcome: 'ignored',
        reason: 'unsubscribe-confirmation',
        messageId: envelope.MessageId,
      };
    }
    const url = trustedSubscribeUrl(envelope.SubscribeURL, envelope.TopicArn);
    if (url === undefined) {
      return reject(403, 'untrusted-subscribe-url', {
        ...ids,
        subscribeUrl: envelope.SubscribeURL.slice(0, 200),
      });
    }
    log.info('sns.received', { ...ids, status: 200 });
    return {
      status: 200,
      outcome: 'confirmation',
      messageId: envelope.MessageId,
      work: async () => {
        try {
          await options.confirmSubscription(url);
          log.info('sns.subscription-confirmed', { topicArn: envelope.TopicArn });
        } catch (error) {
          log.error('sns.subscription-failed', { topicArn: envelope.TopicArn, error });
        }
      },
    };
  };

  return {
    async handle(request) {
      // SNS redelivers a notification byte for byte (its retries, a storm of them). One verified already is known
      // by the digest of its body and answered before any parsing, certificate or RSA work. Anything else, a
      // forgery that reuses a known id included, differs in its bytes and takes the whole path below, as does a
      // redelivery past the replay window (refused there as stale) or with headers that disagree with it.
      const digest = hash('sha256', request.body, 'base64');
      const known = dedupe.verifiedBody(digest);
      if (known !== undefined && now() - known.verified.sentAt <= maxAgeMs) {
        const fields = {
          Type: 'Notification' as const,
          MessageId: known.id,
          TopicArn: known.verified.topicArn,
        };
        if (checkHeaders(request.headers, fields) === undefined)
          return duplicate({ messageId: known.id, type: fields.Type, topicArn: fields.TopicArn });
      }

      const parsed = parseEnvelope(request.body);
      if (!parsed.ok) return reject(400, parsed.problem, { detail: parsed.detail });
      const envelope = parsed.envelope;
      const ids = { messageId: envelope.MessageId, type: envelope.Type, topicArn: envelope.TopicArn };

      const headerMismatch = checkHeaders(request.headers, envelope);
      if (headerMismatch !== undefined)
        return reject(400, 'header-mismatch', { ...ids, detail: headerMismatch });
      if (!topics.has(envelope.TopicArn)) return reject(403, 'unknown-topic', ids);

      const certUrl = trustedCertificateUrl(envelope.SigningCertURL, envelope.TopicArn);
      if (certUrl === undefined) {
        return reject(403, 'untrusted-certificate-url', {
          ...ids,
          certificateUrl: envelope.SigningCertURL.slice(0, 200),
        });
      }
      const sentAt = Date.parse(envelope.Timestamp);
      const age = now() - sentAt;
      if (age > maxAgeMs) return reject(403, 'stale', { ...ids, timestamp: envelope.Timestamp });
      if (age < -FUTURE_SKEW_MS)
        return reject(403, 'from-the-future', { ...ids, timestamp: envelope.Timestamp });

      let key: Awaited<ReturnType<CertificateSource['publicKey']>>;
      try {
        key = await options.certificates.publicKey(certUrl);
      } catch (error) {
        return reject(503, 'certificate-unavailable', { ...ids, error });
      }
      const algorithm = envelope.SignatureVersion === '1' ? 'sha1' : 'sha256';
      let valid = false;
      try {
        valid = verify(
          algorithm,
          Buffer.from(canonicalString(envelope), 'utf8'),
          key,
          Buffer.from(envelope.Signature, 'base64'),
        );
      } catch {
        valid = false;
      }
      if (!valid)
        return reject(403, 'bad-signature', { ...ids, signatureVersion: envelope.SignatureVersion });

      if (envelope.Type !== 'Notification') return confirmation(envelope, ids);

      // Authentic, but perhaps not new: the same message sent again with other bytes, or re-signed.
      if (!dedupe.claim(envelope.MessageId, { digest, topicArn: envelope.TopicArn, sentAt }))
        return duplicate(ids);
      log.info('sns.received', { ...ids, status: 200 });
      return {
        status: 200,
        outcome: 'accepted',
        messageId: envelope.MessageId,
        work: () => options.onNotification(envelope),
      };
    },
  };
}

/** SNS repeats type, id and topic in headers; a body that disagrees with them was put together by someone else. */
function checkHeaders(
  headers: SnsRequest['headers'],
  envelope: Pick<SnsEnvelope, 'Type' | 'MessageId' | 'TopicArn'>,
): string | undefined {
  const pairs: Array<[string, string]> = [
    ['x-amz-sns-message-type', envelope.Type],
    ['x-amz-sns-message-id', envelope.MessageId],
    ['x-amz-sns-topic-arn', envelope.TopicArn],
  ];
  for (const [name, expected] of pairs) {
    const value = headers[name];
    if (value === undefined) continue;
    if (value !== expected) return `${name} does not match the body`;
  }
  return undefined;
}

/** Production: confirms a subscription with an https GET that follows no redirects. */
export function httpsSubscriptionConfirmer(options: { timeoutMs?: number; fetch?: typeof fetch } = {}) {
  const doFetch = options.fetch ?? globalThis.fetch;
  return async (url: URL): Promise<void> => {
    const response = await doFetch(url, {
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    await response.body?.cancel();
    if (response.status !== 200) throw new Error(`ConfirmSubscription answered ${response.status}`);
  };
}
