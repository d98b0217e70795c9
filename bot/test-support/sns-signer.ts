import { randomUUID, sign } from 'node:crypto';
import { type CertificateSource, cachedCertificateSource } from '../sns/certificates.js';
import {
  canonicalString,
  type SnsConfirmation,
  type SnsEnvelope,
  type SnsNotification,
} from '../sns/envelope.js';
import { createSelfSignedCertificate, type TestCertificate } from './self-signed-cert.js';

/**
 * Signs SNS messages the way SNS does, with a test key. The certificate URL in the messages is a real-looking
 * AWS URL (so the intake's host checks run exactly as in production); the injected certificate source maps
 * its path to the test's own server, which serves the test certificate.
 */

export const TEST_CERT_PATH = '/SimpleNotificationService-0000000000000000000000000000test.pem';
export const TEST_CERT_URL = `https://sns.ap-northeast-2.amazonaws.com${TEST_CERT_PATH}`;

export interface SnsSigner {
  certificate: TestCertificate;
  notification(fields: {
    topicArn: string;
    message: string;
    messageId?: string;
    subject?: string;
    timestamp?: string;
    version?: '1' | '2';
    certUrl?: string;
  }): SnsNotification;
  confirmation(fields: {
    topicArn: string;
    type?: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
    subscribeUrl?: string;
    timestamp?: string;
    version?: '1' | '2';
  }): SnsConfirmation;
  /** Signs (or re-signs after a test changed a field) with this signer's key. */
  sign<T extends SnsEnvelope>(envelope: T): T;
  headers(envelope: Pick<SnsEnvelope, 'Type' | 'MessageId' | 'TopicArn'>): Record<string, string>;
}

export function createSnsSigner(certificate: TestCertificate = createSelfSignedCertificate()): SnsSigner {
  const signEnvelope = <T extends SnsEnvelope>(envelope: T): T => {
    const algorithm = envelope.SignatureVersion === '1' ? 'sha1' : 'sha256';
    const signature = sign(
      algorithm,
      Buffer.from(canonicalString(envelope), 'utf8'),
      certificate.privateKey,
    ).toString('base64');
    return { ...envelope, Signature: signature };
  };
  return {
    certificate,
    sign: signEnvelope,
    notification(fields) {
      const envelope: SnsNotification = {
        Type: 'Notification',
        MessageId: fields.messageId ?? randomUUID(),
        TopicArn: fields.topicArn,
        Message: fields.message,
        Timestamp: fields.timestamp ?? new Date().toISOString(),
        SignatureVersion: fields.version ?? '2',
        Signature: 'AA==',
        SigningCertURL: fields.certUrl ?? TEST_CERT_URL,
        UnsubscribeURL: `https://sns.ap-northeast-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${fields.topicArn}:sub`,
      };
      if (fields.subject !== undefined) envelope.Subject = fields.subject;
      return signEnvelope(envelope);
    },
    confirmation(fields) {
      const token = 'test-token-0123456789abcdef';
      return signEnvelope({
        Type: fields.type ?? 'SubscriptionConfirmation',
        MessageId: randomUUID(),
        TopicArn: fields.topicArn,
        Message: `You have chosen to subscribe to the topic ${fields.topicArn}.`,
        Timestamp: fields.timestamp ?? new Date().toISOString(),
        SignatureVersion: fields.version ?? '1',
        Signature: 'AA==',
        SigningCertURL: TEST_CERT_URL,
        Token: token,
        SubscribeURL:
          fields.subscribeUrl ??
          `https://sns.ap-northeast-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(fields.topicArn)}&Token=${token}`,
      });
    },
    headers(envelope) {
      return {
        'content-type': 'text/plain; charset=UTF-8',
        'x-amz-sns-message-type': envelope.Type,
        'x-amz-sns-message-id': envelope.MessageId,
        'x-amz-sns-topic-arn': envelope.TopicArn,
      };
    },
  };
}

/** The test's certificate source: same caching and parsing as production, bytes from the test's server. */
export function loopbackCertificateSource(serverUrl: string): CertificateSource {
  return cachedCertificateSource(async (url) => {
    const response = await fetch(`${serverUrl}${url.pathname}`);
    if (response.status !== 200) throw new Error(`test certificate server answered ${response.status}`);
    return response.text();
  });
}
