/**
 * `npm run bench:intake`: what the SNS check costs before the bot may answer, in-process and hot (no HTTP): the whole
 * intake for a new notification and for a repeated delivery of one already verified, and the steps of the first.
 * Bodies are real signed notifications carrying a CloudWatch alarm, about 2 KB each. The median of five runs.
 */
import { createPublicKey, hash, verify } from 'node:crypto';
import { createLogger } from '../bot/logger.js';
import { canonicalString, parseEnvelope, type SnsNotification } from '../bot/sns/envelope.js';
import { createSnsIntake } from '../bot/sns/intake.js';
import { alarmPayload } from '../bot/test-support/alarm-payloads.js';
import { createSnsSigner } from '../bot/test-support/sns-signer.js';
import { BENCH_INSTANCES, BENCH_TOPIC_ARN } from './bot-fixtures.js';
import { median } from './stats.js';

const NOTIFICATIONS = 2_000;
const RUNS = 5;

const signer = createSnsSigner();
const key = createPublicKey(signer.certificate.certificatePem);
const bodies = Array.from({ length: NOTIFICATIONS }, (_, i) =>
  JSON.stringify(
    signer.notification({
      topicArn: BENCH_TOPIC_ARN,
      message: alarmPayload({ instanceId: BENCH_INSTANCES.docs, name: `bench-${i}` }),
    }),
  ),
);
const envelopes = bodies.map((body) => {
  const parsed = parseEnvelope(body);
  if (!parsed.ok) throw new Error(parsed.detail);
  return parsed.envelope as SnsNotification;
});

/** Microseconds per item of `each` over all notifications, the median of RUNS runs, each after `setup`. */
async function measure<S>(
  setup: () => S | Promise<S>,
  each: (i: number, state: S) => unknown,
): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const state = await setup();
    const started = performance.now();
    for (let i = 0; i < NOTIFICATIONS; i++) await each(i, state);
    samples.push(((performance.now() - started) * 1000) / NOTIFICATIONS);
  }
  return Math.round(median(samples) * 100) / 100;
}

const newIntake = () =>
  createSnsIntake({
    topicArns: [BENCH_TOPIC_ARN],
    certificates: { publicKey: async () => key },
    confirmSubscription: async () => {},
    onNotification: async () => {},
    // Lines are formatted as in production and then dropped.
    logger: createLogger({ sink: () => {} }),
  });
const expect = (outcome: string) => (decision: { outcome: string }) => {
  if (decision.outcome !== outcome) throw new Error(`expected ${outcome}, got ${decision.outcome}`);
};

const rows = {
  newNotification: await measure(newIntake, (i, intake) =>
    intake.handle({ body: bodies[i] ?? '', headers: {} }).then(expect('accepted')),
  ),
  repeatedDelivery: await measure(
    async () => {
      const intake = newIntake();
      // Every id verified once already: what follows are SNS's retries of them.
      for (const body of bodies) await intake.handle({ body, headers: {} });
      return intake;
    },
    (i, intake) => intake.handle({ body: bodies[i] ?? '', headers: {} }).then(expect('duplicate')),
  ),
  parseEnvelope: await measure(
    () => undefined,
    (i) => parseEnvelope(bodies[i] ?? ''),
  ),
  canonicalString: await measure(
    () => undefined,
    (i) => canonicalString(envelopes[i] as SnsNotification),
  ),
  bodyDigest: await measure(
    () => undefined,
    (i) => hash('sha256', bodies[i] ?? '', 'base64'),
  ),
  rsaVerify: await measure(
    () => undefined,
    (i) => {
      const envelope = envelopes[i] as SnsNotification;
      if (
        !verify(
          'sha256',
          Buffer.from(canonicalString(envelope)),
          key,
          Buffer.from(envelope.Signature, 'base64'),
        )
      )
        throw new Error('signature did not verify');
    },
  ),
};

const label: Record<keyof typeof rows, string> = {
  newNotification: 'a new notification, whole intake',
  repeatedDelivery: 'a repeated delivery, whole intake',
  parseEnvelope: '  of which: parse and field checks',
  canonicalString: '  of which: canonical string',
  bodyDigest: '  of which: digest of the body (all a repeat needs)',
  rsaVerify: '  of which: RSA-2048 verify (with its canonical string)',
};
const order: Array<keyof typeof rows> = [
  'newNotification',
  'parseEnvelope',
  'canonicalString',
  'bodyDigest',
  'rsaVerify',
  'repeatedDelivery',
];
for (const name of order) {
  process.stdout.write(`${label[name].padEnd(60)}${rows[name].toFixed(2).padStart(8)} µs\n`);
}
process.stdout.write(
  `${JSON.stringify({ bench: 'sns-intake', notifications: NOTIFICATIONS, bodyBytes: bodies[0]?.length, microseconds: rows })}\n`,
);
