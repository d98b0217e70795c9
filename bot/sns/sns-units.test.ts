import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logger.js';
import { createSelfSignedCertificate } from '../test-support/self-signed-cert.js';
import { createSnsSigner } from '../test-support/sns-signer.js';
import { snsCertificateUrl, trustedCertificateUrl, trustedSubscribeUrl } from './aws-urls.js';
import { awsPemFetcher, CertificateUnavailableError, cachedCertificateSource } from './certificates.js';
import { MessageDedupe } from './dedupe.js';
import { canonicalString, parseEnvelope, type SnsNotification } from './envelope.js';
import { createSnsIntake, DEFAULT_MAX_AGE_MS } from './intake.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:t';

describe('canonical string', () => {
  it('signs Notification fields in AWS order, Subject only when present', () => {
    const base: SnsNotification = {
      Type: 'Notification',
      MessageId: 'm',
      TopicArn: TOPIC,
      Message: 'hi',
      Timestamp: 't',
      SignatureVersion: '2',
      Signature: 'AA==',
      SigningCertURL: 'u',
    };
    expect(canonicalString(base)).toBe(
      `Message\nhi\nMessageId\nm\nTimestamp\nt\nTopicArn\n${TOPIC}\nType\nNotification\n`,
    );
    expect(canonicalString({ ...base, Subject: 's' })).toBe(
      `Message\nhi\nMessageId\nm\nSubject\ns\nTimestamp\nt\nTopicArn\n${TOPIC}\nType\nNotification\n`,
    );
  });

  it('signs confirmations with SubscribeURL and Token', () => {
    const parsed = parseEnvelope(
      JSON.stringify({
        Type: 'SubscriptionConfirmation',
        MessageId: 'm',
        TopicArn: TOPIC,
        Message: 'hi',
        Timestamp: '2026-01-01T00:00:00Z',
        SignatureVersion: '1',
        Signature: 'AA==',
        SigningCertURL: 'u',
        Token: 'k',
        SubscribeURL: 's',
      }),
    );
    expect(parsed.ok && canonicalString(parsed.envelope)).toBe(
      `Message\nhi\nMessageId\nm\nSubscribeURL\ns\nTimestamp\n2026-01-01T00:00:00Z\nToken\nk\nTopicArn\n${TOPIC}\nType\nSubscriptionConfirmation\n`,
    );
  });

  it('round-trips SignatureVersion 1 (SHA1) and 2 (SHA256) with the test key', () => {
    const signer = createSnsSigner(createSelfSignedCertificate());
    const key = createPublicKey(signer.certificate.certificatePem);
    for (const version of ['1', '2'] as const) {
      const n = signer.notification({ topicArn: TOPIC, message: 'x', version });
      const algorithm = version === '1' ? 'sha1' : 'sha256';
      expect(
        verify(algorithm, Buffer.from(canonicalString(n)), key, Buffer.from(n.Signature, 'base64')),
      ).toBe(true);
      expect(
        verify(
          version === '1' ? 'sha256' : 'sha1',
          Buffer.from(canonicalString(n)),
          key,
          Buffer.from(n.Signature, 'base64'),
        ),
      ).toBe(false);
    }
  });
});

describe('trusted AWS URLs', () => {
  const CN_TOPIC = 'arn:aws-cn:sns:cn-north-1:123456789012:t';
  const GOV_TOPIC = 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:t';
  it.each([
    ['https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem', TOPIC, true],
    ['https://SNS.US-EAST-1.AMAZONAWS.COM/SimpleNotificationService-abc.pem', TOPIC, true],
    ['https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem', CN_TOPIC, true],
    ['https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem', GOV_TOPIC, true],
    // S3 answers for a bucket named "sns" on these hosts: whoever owns it could serve a certificate.
    ['https://sns.s3.amazonaws.com/SimpleNotificationService-abc.pem', TOPIC, false],
    ['https://sns.s3-us-west-2.amazonaws.com/SimpleNotificationService-abc.pem', TOPIC, false],
    ['https://sns.s3-external-1.amazonaws.com/SimpleNotificationService-abc.pem', TOPIC, false],
    ['https://sns.s3-accelerate.amazonaws.com/SimpleNotificationService-abc.pem', TOPIC, false],
    // A real SNS host, but not of the topic's region or partition.
    ['https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem', TOPIC, false],
    ['https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem', TOPIC, false],
    ['https://sns.us-east-1.amazonaws.com.cn/SimpleNotificationService-abc.pem', TOPIC, false],
    ['https://sns.cn-north-1.amazonaws.com/SimpleNotificationService-abc.pem', CN_TOPIC, false],
    [
      'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
      'arn:aws-iso:sns:us-east-1:1:t',
      false,
    ],
    [
      'https://sns.s3.amazonaws.com/SimpleNotificationService-abc.pem',
      'arn:aws:sns:s3:123456789012:t',
      false,
    ],
    ['http://sns.us-east-1.amazonaws.com/x.pem', TOPIC, false],
    ['https://sns.us-east-1.amazonaws.com.evil.io/x.pem', TOPIC, false],
    ['https://evilsns.us-east-1.amazonaws.com/x.pem', TOPIC, false],
    ['https://s3.amazonaws.com/x.pem', TOPIC, false],
    ['https://sns.us-east-1.amazonaws.com:444/x.pem', TOPIC, false],
    ['https://a:b@sns.us-east-1.amazonaws.com/x.pem', TOPIC, false],
    ['https://sns.us-east-1.amazonaws.com/x.pem?y=1', TOPIC, false],
    ['not a url', TOPIC, false],
  ])('certificate %s for %s → %s', (url, topicArn, ok) => {
    expect(trustedCertificateUrl(url, topicArn) !== undefined).toBe(ok);
  });

  it.each([
    ['https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem', true],
    ['https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem', true],
    ['https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem', true],
    ['https://sns.s3.amazonaws.com/SimpleNotificationService-abc.pem', false],
    ['https://sns.s3-us-west-2.amazonaws.com/SimpleNotificationService-abc.pem', false],
    ['https://sns.s3-accelerate.amazonaws.com/SimpleNotificationService-abc.pem', false],
    ['https://sns.x.amazonaws.com.cn/SimpleNotificationService-abc.pem', false],
    ['https://sns.us-east-1.amazonaws.com/?Action=Publish', false],
  ])("certificate %s on some region's SNS host → %s", (url, ok) => {
    expect(snsCertificateUrl(url) !== undefined).toBe(ok);
  });

  it("confirms only ConfirmSubscription for the message's own topic, on its region's SNS host", () => {
    const good = `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(TOPIC)}&Token=abc`;
    expect(trustedSubscribeUrl(good, TOPIC)).toBeDefined();
    expect(trustedSubscribeUrl(good.replace('ConfirmSubscription', 'Publish'), TOPIC)).toBeUndefined();
    expect(trustedSubscribeUrl(good, `${TOPIC}-other`)).toBeUndefined();
    expect(trustedSubscribeUrl(good.replace('&Token=abc', ''), TOPIC)).toBeUndefined();
    expect(trustedSubscribeUrl(good.replace('sns.us-east-1.', 'sns.s3.'), TOPIC)).toBeUndefined();
    expect(trustedSubscribeUrl(good.replace('sns.us-east-1.', 'sns.eu-west-1.'), TOPIC)).toBeUndefined();
  });
});

describe('certificate source', () => {
  const cert = createSelfSignedCertificate();
  const url = new URL('https://sns.us-east-1.amazonaws.com/SimpleNotificationService-a.pem');

  it('fetches once for a burst and caches the key', async () => {
    let fetches = 0;
    const source = cachedCertificateSource(async () => {
      fetches++;
      return cert.certificatePem;
    });
    await Promise.all(Array.from({ length: 10 }, () => source.publicKey(url)));
    await source.publicKey(url);
    expect(fetches).toBe(1);
  });

  it('does not cache a failure', async () => {
    let fetches = 0;
    const source = cachedCertificateSource(async () => {
      fetches++;
      if (fetches === 1) throw new Error('network down');
      return cert.certificatePem;
    });
    await expect(source.publicKey(url)).rejects.toThrow('network down');
    await expect(source.publicKey(url)).resolves.toBeDefined();
  });

  it('refuses an expired certificate and anything that is not one', async () => {
    const expired = createSelfSignedCertificate({
      notBefore: new Date(Date.now() - 3 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    await expect(
      cachedCertificateSource(async () => expired.certificatePem).publicKey(url),
    ).rejects.toBeInstanceOf(CertificateUnavailableError);
    await expect(
      cachedCertificateSource(async () => '<html>hi</html>').publicKey(url),
    ).rejects.toBeInstanceOf(CertificateUnavailableError);
  });

  it('the production fetcher never leaves AWS hosts, and follows no redirects', async () => {
    const asked: Array<{ url: string; redirect: unknown }> = [];
    const fakeFetch = (async (input: URL, init?: RequestInit) => {
      asked.push({ url: String(input), redirect: init?.redirect });
      return new Response(cert.certificatePem, { status: 200 });
    }) as typeof fetch;
    const fetchPem = awsPemFetcher({ fetch: fakeFetch });
    await expect(fetchPem(new URL('https://evil.example.com/x.pem'))).rejects.toBeInstanceOf(
      CertificateUnavailableError,
    );
    await expect(fetchPem(new URL('http://sns.us-east-1.amazonaws.com/x.pem'))).rejects.toBeInstanceOf(
      CertificateUnavailableError,
    );
    await expect(fetchPem(new URL('https://sns.s3.amazonaws.com/x.pem'))).rejects.toBeInstanceOf(
      CertificateUnavailableError,
    );
    expect(asked).toEqual([]);
    await fetchPem(url);
    expect(asked).toEqual([{ url: url.href, redirect: 'error' }]);
  });
});

describe('MessageDedupe', () => {
  it('claims an id once within its lifetime, then forgets it', () => {
    let now = 0;
    const dedupe = new MessageDedupe({ ttlMs: 1_000, now: () => now });
    expect(dedupe.claim('a')).toBe(true);
    expect(dedupe.claim('a')).toBe(false);
    now = 1_001;
    expect(dedupe.claim('a')).toBe(true);
  });

  it('stays bounded under a flood', () => {
    const dedupe = new MessageDedupe({ ttlMs: 60_000, maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) dedupe.claim(`id-${i}`);
    expect(dedupe.size).toBe(100);
    expect(dedupe.claim('id-9999')).toBe(false);
  });

  it('forgets the oldest first at its bound, and expires in claim order', () => {
    let now = 0;
    const dedupe = new MessageDedupe({ ttlMs: 1_000, maxEntries: 3, now: () => now });
    const verified = (id: string) => ({ digest: `d-${id}`, topicArn: TOPIC, sentAt: now });
    /** The id each digest is known under. */
    const knownAs = (ids: string[]) => ids.map((id) => dedupe.verifiedBody(`d-${id}`)?.id);
    for (const id of ['a', 'b', 'c']) {
      dedupe.claim(id, verified(id));
      now += 100;
    }
    dedupe.claim('d', verified('d')); // at the bound: 'a' goes, under its id and its digest alike
    expect(knownAs(['a', 'b', 'c', 'd'])).toEqual([undefined, 'b', 'c', 'd']);
    expect(dedupe.verifiedBody('d-c')?.verified).toEqual({ digest: 'd-c', topicArn: TOPIC, sentAt: 200 });
    now = 1_150; // 'b' (claimed at 100) has expired, 'c' (at 200) has not
    expect(dedupe.size).toBe(3);
    expect(knownAs(['b'])).toEqual([undefined]);
    expect(dedupe.size).toBe(2);
    expect(dedupe.claim('c')).toBe(false);
    expect(dedupe.claim('b')).toBe(true);
  });

  it('keeps lookup and expiry order in step through floods and expiries', () => {
    let now = 0;
    const dedupe = new MessageDedupe({ ttlMs: 10_000, maxEntries: 2_000, now: () => now });
    for (let i = 0; i < 50_000; i++) {
      expect(dedupe.claim(`id-${i}`, { digest: `d-id-${i}`, topicArn: TOPIC, sentAt: now })).toBe(true);
      now += 1;
    }
    // The bound kept the last 2,000 (claimed at 48,000…49,999), each still known under its own id and digest.
    expect(dedupe.size).toBe(2_000);
    expect(dedupe.verifiedBody('d-id-47999')).toBeUndefined();
    expect(dedupe.verifiedBody('d-id-48000')?.id).toBe('id-48000');
    expect(dedupe.claim('id-48000')).toBe(false);
    expect(dedupe.claim('id-49999')).toBe(false);
    // Forgotten at the bound, each comes back and pushes out the oldest in turn (id-48000, then id-48001).
    expect(dedupe.claim('id-47999')).toBe(true);
    expect(dedupe.claim('id-48000')).toBe(true);
    expect(dedupe.claim('id-48001')).toBe(true);
    now = 58_003; // ids claimed at or before 48,003 expire; the three re-claimed at 50,000 do not
    expect(dedupe.claim('id-48003')).toBe(true);
    expect(dedupe.claim('id-48004')).toBe(false);
    expect(dedupe.claim('id-47999')).toBe(false);
    now = 70_000;
    expect(dedupe.verifiedBody('d-id-49999')).toBeUndefined();
    expect(dedupe.size).toBe(0);
  });
});

describe('intake: retries of a verified notification', () => {
  const signer = createSnsSigner(createSelfSignedCertificate());
  const other = createSelfSignedCertificate();
  const certUrl = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-a.pem';
  /** The key served can be swapped, to tell a verified-again retry from one that was not checked again. */
  let pem = signer.certificate.certificatePem;
  const setup = () => {
    const { logger, records } = createMemoryLogger();
    const accepted: string[] = [];
    /** The intake's clock, which a test moves to send a message again later. */
    const clock = { now: Date.now() };
    const intake = createSnsIntake({
      topicArns: [TOPIC],
      certificates: { publicKey: async () => createPublicKey(pem) },
      confirmSubscription: async () => {},
      onNotification: async (n) => {
        accepted.push(n.MessageId);
      },
      logger,
      now: () => clock.now,
    });
    const send = (envelope: object) => intake.handle({ body: JSON.stringify(envelope), headers: {} });
    return { intake, send, accepted, records, clock };
  };
  const notification = () => signer.notification({ topicArn: TOPIC, message: 'hello', certUrl });

  it('answers an identical retry as a duplicate without checking its signature again', async () => {
    pem = signer.certificate.certificatePem;
    const { send } = setup();
    const n = notification();
    expect(await send(n)).toMatchObject({ status: 200, outcome: 'accepted' });
    // With another key served now, only a retry that skips the RSA check can still be answered 200.
    pem = other.certificatePem;
    expect(await send(n)).toMatchObject({ status: 200, outcome: 'duplicate' });
    pem = signer.certificate.certificatePem;
  });

  it('verifies in full a redelivery whose bytes differ, even with the same fields', async () => {
    pem = signer.certificate.certificatePem;
    const { intake, send } = setup();
    const n = notification();
    expect(await send(n)).toMatchObject({ status: 200, outcome: 'accepted' });
    const respaced = JSON.stringify(n, null, 1);
    pem = other.certificatePem;
    // Checked against the key served now, which did not sign it: so it was checked again.
    expect(await intake.handle({ body: respaced, headers: {} })).toMatchObject({
      status: 403,
      reason: 'bad-signature',
    });
    pem = signer.certificate.certificatePem;
    expect(await intake.handle({ body: respaced, headers: {} })).toMatchObject({
      status: 200,
      outcome: 'duplicate',
    });
  });

  it('refuses an identical body whose SNS headers disagree with it', async () => {
    pem = signer.certificate.certificatePem;
    const { intake, send } = setup();
    const n = notification();
    expect(await send(n)).toMatchObject({ status: 200, outcome: 'accepted' });
    const body = JSON.stringify(n);
    const headers = { 'x-amz-sns-message-id': 'another-id' };
    expect(await intake.handle({ body, headers })).toMatchObject({
      status: 400,
      reason: 'header-mismatch',
    });
    expect(await intake.handle({ body, headers: { 'x-amz-sns-message-id': n.MessageId } })).toMatchObject({
      status: 200,
      outcome: 'duplicate',
    });
  });

  it('verifies in full anything else under a known MessageId: a forgery still gets its 403', async () => {
    pem = signer.certificate.certificatePem;
    const { send, records } = setup();
    const n = notification();
    expect(await send(n)).toMatchObject({ status: 200, outcome: 'accepted' });
    expect(await send({ ...n, Message: 'reboot everything' })).toMatchObject({
      status: 403,
      reason: 'bad-signature',
    });
    expect(await send({ ...n, Subject: 'added' })).toMatchObject({ status: 403, reason: 'bad-signature' });
    // Authentic but different content under the same id (re-signed): verified, then still a duplicate.
    expect(await send(signer.sign({ ...n, Message: 'again' }))).toMatchObject({
      status: 200,
      outcome: 'duplicate',
    });
    expect(records.filter((r) => r.event === 'sns.rejected')).toHaveLength(2);
  });

  it('refuses as stale the identical notification sent again after the replay window, and starts nothing', async () => {
    pem = signer.certificate.certificatePem;
    const { send, accepted, records, clock } = setup();
    const n = notification();
    const first = await send(n);
    expect(first).toMatchObject({ status: 200, outcome: 'accepted' });
    await first.work?.();
    expect(accepted).toEqual([n.MessageId]);
    const sentAt = Date.parse(n.Timestamp);
    // At the edge of the window it is still a retry, and its id is still known.
    clock.now = sentAt + DEFAULT_MAX_AGE_MS;
    expect(await send(n)).toMatchObject({ status: 200, outcome: 'duplicate' });
    // One millisecond later the same bytes are a replay: refused by age, before the known id could answer for it.
    clock.now = sentAt + DEFAULT_MAX_AGE_MS + 1;
    const replay = await send(n);
    expect(replay).toEqual({ status: 403, outcome: 'rejected', reason: 'stale' });
    expect(replay.work).toBeUndefined();
    expect(accepted).toEqual([n.MessageId]);
    expect(records.filter((r) => r.event === 'sns.rejected')).toEqual([
      expect.objectContaining({ status: 403, reason: 'stale', messageId: n.MessageId }),
    ]);
  });
});
