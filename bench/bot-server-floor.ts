/**
 * A floor for the SNS phases, in the bot's place when `BENCH_SUBJECT` asks for it: a bare Bolt app like the anchor
 * whose `/sns` does only what any SNS endpoint must before it may answer. `floor-parse` reads the body and parses
 * it; `floor-verify` also checks every signature (no de-duplication, no log, no routing). What lies between the
 * anchor, a floor and the bot is then visible in one run.
 */
import { verify } from 'node:crypto';
import { canonicalString, parseEnvelope } from '../bot/sns/envelope.js';
import { loopbackCertificateSource } from '../bot/test-support/sns-signer.js';
import { serveBareBoltApp } from './bare-bolt-app.js';

const fakeSlackUrl = process.env.FAKE_SLACK_URL ?? '';
const verifying = process.env.BENCH_SUBJECT === 'floor-verify';
const certificates = loopbackCertificateSource(fakeSlackUrl);

async function answer(text: string): Promise<number> {
  const parsed = parseEnvelope(text);
  if (!parsed.ok) return 400;
  if (!verifying) return 200;
  const { envelope } = parsed;
  const key = await certificates.publicKey(new URL(envelope.SigningCertURL));
  const signature = Buffer.from(envelope.Signature, 'base64');
  return verify('sha256', Buffer.from(canonicalString(envelope)), key, signature) ? 200 : 403;
}

await serveBareBoltApp((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    void answer(Buffer.concat(chunks).toString('utf8')).then((status) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'accepted' : 'rejected');
    });
  });
});
