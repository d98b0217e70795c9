import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../test-support/fake-slack.js';
import { signedHeaders, slashCommandBody } from '../test-support/slack-requests.js';
import { buildLambda, type LambdaArtifact } from './build.js';
import { createZip } from './zip.js';

/** Reads back every entry of a zip from its central directory, checking sizes and CRCs as `unzip` would. */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const checksum = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const compressedSize = zip.readUInt32LE(local + 18);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = inflateRawSync(zip.subarray(dataAt, dataAt + compressedSize));
    expect(data.length).toBe(size);
    expect(crc32(data)).toBe(checksum);
    files.set(name, data);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files;
}

describe('createZip', () => {
  it('round-trips its entries, and `unzip` agrees where it is installed', () => {
    const text = Buffer.from('export const handler = async () => "ünïcödé";\n'.repeat(100));
    const zip = createZip([
      { name: 'index.mjs', data: text },
      { name: 'empty.txt', data: Buffer.alloc(0) },
    ]);
    const files = readZip(zip);
    expect([...files.keys()]).toEqual(['index.mjs', 'empty.txt']);
    expect(files.get('index.mjs')?.equals(text)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'domtory-zip-'));
    try {
      const path = join(dir, 'f.zip');
      writeFileSync(path, zip);
      const unzip = spawnSync('unzip', ['-t', path], { encoding: 'utf8' });
      if (unzip.error === undefined) expect(unzip.stdout).toContain('No errors detected');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the built artifact', () => {
  let dir: string;
  let artifact: LambdaArtifact;
  let fake: FakeSlack;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'domtory-lambda-'));
    artifact = await buildLambda(dir);
    fake = await startFakeSlack();
  }, 60_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await fake.close();
  });

  const SECRET = 'bundle-test-signing-secret-0123';
  const FIT_CONFIG = [
    'region: ap-northeast-2',
    'targets:',
    '  web:',
    '    instanceId: i-0aaaaaaaaaaaaaaa1',
    '    compose: { directory: /srv/web }',
    '    escalate: false',
    '    timeouts: { start: 120, evidence: 15, reboot: 330, compose: 180, verify: 120 }',
    'slack: { channel: C0OPS, allowedUsers: [U0ALLOWED] }',
  ].join('\n');

  /**
   * Loads the bundle in a fresh Node process, as Lambda's runtime would, and runs `script` against `handler`.
   * Asynchronous: the fake Slack it talks to lives in this process and must keep answering.
   */
  function run(
    env: Record<string, string>,
    script: string,
  ): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const code = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(artifact.bundlePath).href)});
      const context = { invokedFunctionArn: 'arn:aws:lambda:ap-northeast-2:123456789012:function:domtory-recovery-bot', awsRequestId: 'r', getRemainingTimeInMillis: () => 900000 };
      ${script}
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill(), 15_000);
    return new Promise((resolve) => {
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });
  }

  it('is one minified ES module in a zip that holds it', () => {
    expect(artifact.bundlePath.endsWith('index.mjs')).toBe(true);
    const files = readZip(readFileSync(artifact.zipPath));
    expect(files.get('index.mjs')?.equals(readFileSync(artifact.bundlePath))).toBe(true);
    expect(artifact.bundleBytes).toBeGreaterThan(100_000);
    expect(artifact.zipBytes).toBeLessThan(artifact.bundleBytes / 2);
    // Lambda's limits: 50 MB zipped for a direct upload, 250 MB unzipped.
    expect(artifact.zipBytes).toBeLessThan(50 * 1024 * 1024);
    expect(artifact.largest[0]?.bytes).toBeGreaterThan(0);
  });

  it('starts with a config that fits, answers Slack, and refuses an unsigned request', async () => {
    const body = slashCommandBody({
      text: 'help',
      userId: 'U0ALLOWED',
      channelId: 'C0OPS',
      responseUrl: fake.responseUrl('x'),
    });
    const headers = signedHeaders(SECRET, body);
    const event = (h: Record<string, string>) =>
      JSON.stringify({
        version: '2.0',
        rawPath: '/slack/events',
        headers: h,
        requestContext: { http: { method: 'POST' } },
        body: Buffer.from(body).toString('base64'),
        isBase64Encoded: true,
      });
    const result = await run(
      {
        DOMTORY_CONFIG_YAML: FIT_CONFIG,
        SLACK_BOT_TOKEN: 'xoxb-bundle',
        SLACK_SIGNING_SECRET: SECRET,
        AWS_REGION: 'ap-northeast-2',
        DOMTORY_FUNCTION_TIMEOUT_SECONDS: '900',
        SLACK_API_URL: fake.apiUrl,
      },
      `
        const signed = await handler(${event(headers)}, context);
        const unsigned = await handler(${event({ 'content-type': 'application/x-www-form-urlencoded' })}, context);
        console.error(JSON.stringify({ signed, unsigned }));
      `,
    );
    expect(result.status, result.stderr).toBe(0);
    const outcome = JSON.parse(result.stderr.trim().split('\n').at(-1) ?? '{}') as {
      signed: { statusCode: number; body: string };
      unsigned: { statusCode: number };
    };
    expect(outcome.signed.statusCode, JSON.stringify(fake.calls) + result.stdout).toBe(200);
    expect(outcome.signed.body).toContain('/domtory restart');
    expect(outcome.unsigned.statusCode).toBe(401);
    expect(result.stdout).toContain('"event":"lambda.ready"');
  });

  it('fails its cold start, naming the problem, when the deadlines cannot fit the timeout', async () => {
    const result = await run(
      {
        DOMTORY_CONFIG_YAML: FIT_CONFIG.replace('    escalate: false\n', ''),
        SLACK_BOT_TOKEN: 'xoxb-bundle',
        SLACK_SIGNING_SECRET: SECRET,
        AWS_REGION: 'ap-northeast-2',
        DOMTORY_FUNCTION_TIMEOUT_SECONDS: '900',
      },
      'console.error("handled events");',
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('domtory-recovery cannot start on Lambda');
    expect(result.stderr).toContain('target "web": its deadlines add up to');
    expect(result.stderr).not.toContain('handled events');
    expect(result.stdout).toContain('"event":"lambda.config-rejected"');
  });
});
