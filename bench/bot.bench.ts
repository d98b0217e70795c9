/**
 * `npm run bench:bot`: how fast the bot acknowledges SNS and Slack under load, against a bare Bolt app with the
 * same routes as the anchor, and whether a storm of duplicate alarm deliveries starts exactly one recovery.
 *
 * Each server runs in a process of its own (so RSS is its own), the fake Slack in a third; the load generator
 * is this process. Phases alternate between the two apps so background noise hits both alike.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalString, type SnsNotification } from '../bot/sns/envelope.js';
import { alarmPayload } from '../bot/test-support/alarm-payloads.js';
import { createSelfSignedCertificate } from '../bot/test-support/self-signed-cert.js';
import { signedHeaders, slashCommandBody } from '../bot/test-support/slack-requests.js';
import { createSnsSigner, TEST_CERT_PATH, TEST_CERT_URL } from '../bot/test-support/sns-signer.js';
import { BENCH_INSTANCES, BENCH_SIGNING_SECRET, BENCH_TOPIC_ARN } from './bot-fixtures.js';
import { mergeResults, type PhaseResult, runPhase } from './bot-load.js';
import { median } from './stats.js';

const PACED_RATE = 500;
const PHASE_SECONDS = Number(process.env.BENCH_PHASE_SECONDS ?? 8);
const CONNECTIONS = 10;
/** Each phase runs as this many alternating slices per app. */
const SLICES = 8;
const STORM = 1_000;
/** Distinct notifications in the closed-loop phase; beyond them the same ones arrive again, as SNS retries do. */
const CLOSED_LOOP_UNIQUE = 2_000;
const SNS_HEADERS = {
  'content-type': 'text/plain; charset=UTF-8',
  'x-amz-sns-message-type': 'Notification',
};

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface Child {
  process: ChildProcess;
  port: number;
  url: string;
}

/**
 * Starts a server process. Its stdout (the bot's JSON log) goes to a file: a pipe read by this busy process
 * would fill up and block the bot's synchronous writes, which is a property of the benchmark, not of the bot.
 */
function startChild(
  script: string,
  env: Record<string, string>,
  stdoutFile?: string,
  nodeArgs: readonly string[] = [],
): Promise<Child> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', here(script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', stdoutFile === undefined ? 'ignore' : openSync(stdoutFile, 'w'), 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.on('message', (message: { ready?: boolean; port?: number; url?: string }) => {
      if (message.ready !== true) return;
      const url = message.url ?? `http://127.0.0.1:${message.port ?? 0}`;
      resolve({ process: child, port: message.port ?? 0, url });
    });
  });
}

function logEvents(file: string): Array<{ event: string; outcome?: string }> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { event: string; outcome?: string });
}

function ask<T>(child: ChildProcess, message: object, key: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (answer: Record<string, unknown>) => {
      if (key in answer) {
        child.off('message', listener);
        resolve(answer[key] as T);
      }
    };
    child.on('message', listener);
    child.send(message);
  });
}

async function idleRss(script: string, env: Record<string, string>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const child = await startChild(script, env);
    await sleep(1_000);
    samples.push(await rssMiB(child));
    child.process.disconnect();
    await new Promise((resolve) => child.process.once('exit', resolve));
  }
  return median(samples);
}

const rssMiB = async (child: Child) => (await ask<number>(child.process, { rss: true }, 'rss')) / 1024 / 1024;
/** CPU time (µs, user and system) the child has used since it started. */
const cpuMicros = (child: Child) => ask<number>(child.process, { cpu: true }, 'cpu');
/** GC pauses (ms) in the child since the last call. */
const gcPauses = (child: Child) => ask<number[]>(child.process, { gc: true }, 'gc');

interface GcSummary {
  pauses: number;
  totalMs: number;
  maxMs: number;
}
function summarizeGc(pauses: number[]): GcSummary {
  return {
    pauses: pauses.length,
    totalMs: pauses.reduce((sum, d) => sum + d, 0),
    maxMs: pauses.length === 0 ? 0 : Math.max(...pauses),
  };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Signs in the thread pool: thousands of RSA-2048 signatures would otherwise take seconds of one core. */
async function signPool(
  count: number,
  message: (i: number) => string,
  privateKey: ReturnType<typeof createSelfSignedCertificate>['privateKey'],
): Promise<string[]> {
  const signer = createSnsSigner();
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const envelope: SnsNotification = {
        ...signer.notification({ topicArn: BENCH_TOPIC_ARN, message: message(i) }),
        Signature: 'AA==',
      };
      const signature = await new Promise<Buffer>((resolve, reject) =>
        sign('sha256', Buffer.from(canonicalString(envelope)), privateKey, (error, value) =>
          error ? reject(error) : resolve(value),
        ),
      );
      return JSON.stringify({
        ...envelope,
        SigningCertURL: TEST_CERT_URL,
        Signature: signature.toString('base64'),
      });
    }),
  );
}

function cycle(bodies: string[]): () => string {
  let i = 0;
  return () => bodies[i++ % bodies.length] ?? '';
}

async function main(): Promise<void> {
  // BENCH_SUBJECT=floor-parse or floor-verify puts a floor (bot-server-floor.ts) where the bot stands, for the SNS
  // phases: what reading and parsing, or also verifying, every message costs on its own.
  const subject = process.env.BENCH_SUBJECT ?? 'bot';
  if (!['bot', 'floor-parse', 'floor-verify'].includes(subject))
    throw new Error(`BENCH_SUBJECT must be bot, floor-parse or floor-verify, not ${subject}`);
  const subjectScript = subject === 'bot' ? './bot-server-bot.ts' : './bot-server-floor.ts';
  const certificate = createSelfSignedCertificate();
  process.stdout.write('starting the fake Slack, the bare Bolt app and the bot…\n');
  const dir = mkdtempSync(join(tmpdir(), 'bench-bot-'));
  // BENCH_BOT_LOG=/tmp/bot.log keeps the bot's stdout (its JSON log, and V8's --trace-gc* output when
  // BENCH_BOT_NODE_ARGS asks for it) after the run.
  const botLog = process.env.BENCH_BOT_LOG ?? join(dir, 'bot.log');
  const fake = await startChild('./bot-fake-slack.ts', {});
  await ask(
    fake.process,
    { serveFile: { path: TEST_CERT_PATH, body: certificate.certificatePem } },
    'served',
  );
  const env = { FAKE_SLACK_URL: fake.url };
  // Idle RSS of a fresh process varies by ±10 MB from start to start (how far V8 happened to grow its young
  // generation while loading modules), so each app's is the median of three fresh starts.
  process.stdout.write('measuring idle RSS (median of 3 starts each)…\n');
  const idle = {
    bare: await idleRss('./bot-server-bare.ts', env),
    bot: await idleRss('./bot-server-bot.ts', env),
  };
  // BENCH_BOT_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the loaded bot (not the idle-RSS starts);
  // BENCH_BARE_NODE_ARGS does the same for the anchor, so that the two profiles can be compared.
  const nodeArgs = (name: string) => (process.env[name] ?? '').split(' ').filter((a) => a !== '');
  const bare = await startChild('./bot-server-bare.ts', env, undefined, nodeArgs('BENCH_BARE_NODE_ARGS'));
  const bot = await startChild(subjectScript, env, botLog, nodeArgs('BENCH_BOT_NODE_ARGS'));

  process.stdout.write('signing SNS notifications…\n');
  // Each SNS request is a distinct, validly signed ALARM for the notify-policy target: the whole path of
  // verification, de-duplication, routing and the Slack message (a storm's alarms go out as one digest a second). BENCH_SNS=unknown sends alarms for an instance the
  // config does not know instead (verified and logged, nothing posted), to separate the two costs.
  const instance = process.env.BENCH_SNS === 'unknown' ? 'i-0fffffffffffffff9' : BENCH_INSTANCES.docs;
  const notify = (i: number) => alarmPayload({ instanceId: instance, name: `bench-${i}` });
  const pacedCount = Math.ceil(PACED_RATE * PHASE_SECONDS * 1.2);
  const [warmPool, pacedPool, closedPool] = await Promise.all([
    signPool(2_000, notify, certificate.privateKey),
    signPool(pacedCount, notify, certificate.privateKey),
    signPool(CLOSED_LOOP_UNIQUE, notify, certificate.privateKey),
  ]);
  // Two commands: `help` is answered in the ack itself; `status web` acks, then reads the instance, the lock and
  // the history (from the simulator) and answers through the response_url, as the real one does.
  const command = (text: string) => {
    const body = slashCommandBody({
      text,
      userId: 'U0ALLOWED',
      channelId: 'C0OPS',
      responseUrl: `${fake.url}/response/bench`,
    });
    return { body, headers: signedHeaders(BENCH_SIGNING_SECRET, body) };
  };
  const help = command('help');
  const status = command('status web');

  type Scenario = {
    name: string;
    path: string;
    headers: Record<string, string>;
    body: (app: 'bare' | 'bot') => () => string;
    rate?: number;
  };
  // Each app gets its own cursor over the same bodies, so both see exactly the same requests.
  const scenarios: Scenario[] = [
    {
      name: `SNS paced ${PACED_RATE}/s`,
      path: '/sns',
      headers: SNS_HEADERS,
      body: () => cycle(pacedPool),
      rate: PACED_RATE,
    },
    {
      name: `SNS closed ${CONNECTIONS} conn`,
      path: '/sns',
      headers: SNS_HEADERS,
      body: () => cycle(closedPool),
    },
    {
      name: `help paced ${PACED_RATE}/s`,
      path: '/slack/events',
      headers: help.headers,
      body: () => () => help.body,
      rate: PACED_RATE,
    },
    {
      name: `help closed ${CONNECTIONS} conn`,
      path: '/slack/events',
      headers: help.headers,
      body: () => () => help.body,
    },
    {
      name: `status paced ${PACED_RATE}/s`,
      path: '/slack/events',
      headers: status.headers,
      body: () => () => status.body,
      rate: PACED_RATE,
    },
    {
      name: `status closed ${CONNECTIONS} conn`,
      path: '/slack/events',
      headers: status.headers,
      body: () => () => status.body,
    },
  ];

  // BENCH_PHASES="SNS paced,help" runs only the phases whose names contain one of the given strings.
  const only = (process.env.BENCH_PHASES ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const selected =
    only.length === 0 ? scenarios : scenarios.filter((s) => only.some((name) => s.name.includes(name)));

  // Long enough for the JIT to settle on every path a phase takes, Slack posts and status replies included.
  process.stdout.write('warming up…\n');
  for (const [app, child] of [
    ['bare', bare],
    ['bot', bot],
  ] as const) {
    await runPhase({
      name: `warm ${app}`,
      url: child.url,
      path: '/sns',
      headers: SNS_HEADERS,
      body: cycle(warmPool),
      connections: CONNECTIONS,
      durationSeconds: 2,
    });
    await runPhase({
      name: `warm ${app}`,
      url: child.url,
      path: '/slack/events',
      headers: status.headers,
      body: () => status.body,
      connections: CONNECTIONS,
      durationSeconds: 1,
    });
    await waitIdle(child.url);
  }

  // Each phase alternates the two apps in short slices, so that whatever else the machine is doing meanwhile
  // weighs on both alike; the slices of one app are then merged into one result.
  const results: Array<{
    scenario: string;
    bare: PhaseResult;
    bot: PhaseResult;
    gc: Record<'bare' | 'bot', GcSummary>;
    /** CPU per request, the work after the answers included (each slice ends once the app is idle again). */
    cpuMicrosPerRequest: Record<'bare' | 'bot', number>;
  }> = [];
  for (const scenario of selected) {
    process.stdout.write(`${scenario.name}…\n`);
    const parts: Record<'bare' | 'bot', PhaseResult[]> = { bare: [], bot: [] };
    const pauses: Record<'bare' | 'bot', number[]> = { bare: [], bot: [] };
    const cpu = { bare: 0, bot: 0 };
    const bodies = { bare: scenario.body('bare'), bot: scenario.body('bot') };
    for (let slice = 0; slice < SLICES; slice++) {
      for (const [app, child] of [
        ['bare', bare],
        ['bot', bot],
      ] as const) {
        await waitIdle(child.url);
        await gcPauses(child);
        const cpuBefore = await cpuMicros(child);
        parts[app].push(
          await runPhase({
            name: `${scenario.name} ${app}`,
            url: child.url,
            path: scenario.path,
            headers: scenario.headers,
            body: bodies[app],
            connections: CONNECTIONS,
            durationSeconds: PHASE_SECONDS / SLICES,
            ...(scenario.rate === undefined ? {} : { rate: scenario.rate }),
          }),
        );
        await waitIdle(child.url);
        cpu[app] += (await cpuMicros(child)) - cpuBefore;
        pauses[app].push(...(await gcPauses(child)));
      }
    }
    const merged = {
      bare: mergeResults(`${scenario.name} bare`, parts.bare),
      bot: mergeResults(`${scenario.name} bot`, parts.bot),
    };
    results.push({
      scenario: scenario.name,
      ...merged,
      gc: { bare: summarizeGc(pauses.bare), bot: summarizeGc(pauses.bot) },
      cpuMicrosPerRequest: { bare: cpu.bare / merged.bare.requests, bot: cpu.bot / merged.bot.requests },
    });
  }
  const loaded = { bare: await rssMiB(bare), bot: await rssMiB(bot) };

  // The storm counts the recoveries in the bot's log; a floor keeps none.
  const storm = subject === 'bot' ? await runStorm(bot, botLog, certificate.privateKey) : undefined;

  for (const child of [bot, bare, fake]) child.process.disconnect();
  rmSync(dir, { recursive: true, force: true });

  // Report ------------------------------------------------------------------------------------------------------
  const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
  const header = `${'phase'.padEnd(26)}${'app'.padEnd(6)}${'p50 ms'.padStart(9)}${'p90 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'req/s'.padStart(10)}${'requests'.padStart(10)}${'non-2xx'.padStart(9)}${'p99 ×bare'.padStart(11)}${'GC ms'.padStart(8)}${'GC max'.padStart(8)}${'CPU µs/req'.padStart(12)}`;
  const lines = [header, '-'.repeat(header.length)];
  for (const r of results) {
    for (const app of ['bare', 'bot'] as const) {
      const p = r[app];
      const ratio = app === 'bot' ? f(p.p99 / r.bare.p99) : '';
      lines.push(
        `${r.scenario.padEnd(26)}${app.padEnd(6)}${f(p.p50).padStart(9)}${f(p.p90).padStart(9)}${f(p.p99).padStart(9)}${f(p.rps, 0).padStart(10)}${String(p.requests).padStart(10)}${String(p.non2xx + p.errors).padStart(9)}${ratio.padStart(11)}${f(r.gc[app].totalMs, 1).padStart(8)}${f(r.gc[app].maxMs, 1).padStart(8)}${f(r.cpuMicrosPerRequest[app], 0).padStart(12)}`,
      );
    }
  }
  lines.push('');
  lines.push(
    `RSS idle    bare ${f(idle.bare, 1)} MiB   bot ${f(idle.bot, 1)} MiB   ratio ${f(idle.bot / idle.bare)}`,
  );
  // After the closed-loop phases V8 keeps the old generation it grew for the garbage of the backlog (the bot
  // answers faster than it can post to Slack); a forced GC brings the bot's live heap back to ~28 MiB.
  lines.push(
    `RSS loaded  bare ${f(loaded.bare, 1)} MiB   bot ${f(loaded.bot, 1)} MiB   (after the closed-loop phases)`,
  );
  lines.push(
    storm === undefined
      ? `storm       not run: BENCH_SUBJECT=${subject} keeps no log to count recoveries in`
      : `storm       ${STORM} deliveries of one alarm: ${storm.answered200} answered 200 (p99 ${f(storm.p99)} ms), ${storm.duplicates} duplicates, ${storm.started} recovery started (${storm.outcome})`,
  );
  if (subject !== 'bot')
    lines.unshift(`The "bot" rows are ${subject} (bench/bot-server-floor.ts), not the bot.`, '');
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  const paced = results.filter((r) => r.scenario.includes('paced'));
  const worstPacedRatio = Math.max(...paced.map((r) => r.bot.p99 / r.bare.p99));
  const worstRatio = Math.max(...results.map((r) => r.bot.p99 / r.bare.p99));
  const summary = {
    bench: 'bot',
    subject,
    phaseSeconds: PHASE_SECONDS,
    pacedRate: PACED_RATE,
    connections: CONNECTIONS,
    phases: results.map((r) => ({
      phase: r.scenario,
      bare: {
        p50Ms: round(r.bare.p50),
        p90Ms: round(r.bare.p90),
        p99Ms: round(r.bare.p99),
        rps: Math.round(r.bare.rps),
        requests: r.bare.requests,
        failed: r.bare.non2xx + r.bare.errors,
        gc: roundGc(r.gc.bare),
        cpuMicrosPerRequest: Math.round(r.cpuMicrosPerRequest.bare),
      },
      bot: {
        p50Ms: round(r.bot.p50),
        p90Ms: round(r.bot.p90),
        p99Ms: round(r.bot.p99),
        rps: Math.round(r.bot.rps),
        requests: r.bot.requests,
        failed: r.bot.non2xx + r.bot.errors,
        gc: roundGc(r.gc.bot),
        cpuMicrosPerRequest: Math.round(r.cpuMicrosPerRequest.bot),
      },
      p99Ratio: round(r.bot.p99 / r.bare.p99),
    })),
    rssMiB: {
      idle: { bare: round(idle.bare), bot: round(idle.bot) },
      loaded: { bare: round(loaded.bare), bot: round(loaded.bot) },
      idleRatio: round(idle.bot / idle.bare),
    },
    storm:
      storm === undefined
        ? null
        : {
            deliveries: STORM,
            answered200: storm.answered200,
            duplicates: storm.duplicates,
            recoveriesStarted: storm.started,
            outcome: storm.outcome,
          },
    targets: {
      // null: no such phase ran (BENCH_PHASES).
      pacedP99WithinRatio1_2: paced.length === 0 ? null : worstPacedRatio <= 1.2,
      allP99WithinRatio1_2: results.length === 0 ? null : worstRatio <= 1.2,
      idleRssWithinRatio1_3: idle.bot / idle.bare <= 1.3,
      stormStartsExactlyOne: storm === undefined ? null : storm.started === 1,
    },
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

interface StormResult {
  answered200: number;
  p99: number;
  duplicates: number;
  started: number;
  outcome: string;
}

/** 1,000 deliveries of one ALARM for the `auto` target: exactly one recovery may start. */
async function runStorm(
  bot: Child,
  botLog: string,
  privateKey: ReturnType<typeof createSelfSignedCertificate>['privateKey'],
): Promise<StormResult> {
  process.stdout.write(`storm: ${STORM} deliveries of one ALARM…\n`);
  // Let the post-ack work of the phases drain, so the storm's recovery is the only one to count.
  await waitIdle(bot.url);
  const before = logEvents(botLog).length;
  const [stormBody = ''] = await signPool(
    1,
    () => alarmPayload({ instanceId: BENCH_INSTANCES.web, name: 'storm' }),
    privateKey,
  );
  const storm = await runPhase({
    name: 'storm',
    url: bot.url,
    path: '/sns',
    headers: SNS_HEADERS,
    body: () => stormBody,
    connections: CONNECTIONS,
    durationSeconds: 0,
    amount: STORM,
  });
  // The one recovery runs on the simulator's clock as fast as it can; wait for its end (or give up after 30 s).
  let events = logEvents(botLog).slice(before);
  for (let i = 0; i < 600 && !events.some((e) => e.event === 'recovery.finished'); i++) {
    await sleep(50);
    events = logEvents(botLog).slice(before);
  }
  await sleep(500);
  events = logEvents(botLog).slice(before);
  return {
    answered200: storm.statuses['200'] ?? 0,
    p99: storm.p99,
    duplicates: events.filter((e) => e.event === 'sns.duplicate').length,
    started: events.filter((e) => e.event === 'recovery.started').length,
    outcome: events.find((e) => e.event === 'recovery.finished')?.outcome ?? 'none',
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function roundGc(gc: GcSummary): { pauses: number; totalMs: number; maxMs: number } {
  return { pauses: gc.pauses, totalMs: round(gc.totalMs), maxMs: round(gc.maxMs) };
}

/** Waits until the server has no work left from earlier requests, so that no phase pays for the one before. */
async function waitIdle(url: string): Promise<void> {
  for (let i = 0; i < 1_200; i++) {
    const health = (await (await fetch(`${url}/healthz`)).json()) as {
      recoveriesRunning?: number;
      pendingWork?: number;
    };
    if ((health.recoveriesRunning ?? 0) === 0 && (health.pendingWork ?? 0) === 0) return;
    await sleep(50);
  }
  throw new Error(`${url} did not become idle within a minute`);
}

await main();
