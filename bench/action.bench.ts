/**
 * `npm run bench:action`: how much the bundled action costs before it does anything useful.
 *
 * For `restart` and `provision`, the time from spawning `node dist/index.js` (inputs as the runner passes them) to
 * the first AWS request arriving at a local fake endpoint, against a floor measured in the same run: a script that
 * imports only the SDK client of that first request and sends it, bundled and minified by ncc like the action.
 * Target: at most 1.3 times the floor. Node alone putting a raw HTTP request on the wire is printed too, since the
 * fastest peer SSM action is quoted as reaching its first connection about 50 ms after that.
 *
 * Runs are interleaved (one of each scenario per round) so drift in the machine's load hits all alike; the first
 * round warms the file cache and is discarded. The last line of output is one JSON object with the figures.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeAws, startFakeAws } from '../action/test-support/fake-aws.js';
import { DIST_ENTRY, inputVariable, REPO_ROOT } from '../action/test-support/run-action.js';
import { median } from './stats.js';

const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 11));
const TARGET_RATIO = 1.3;
const PEER_OVERHEAD_MS = 50;
const DIST = join(REPO_ROOT, 'dist');
const NCC = join(REPO_ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

const CONFIG = `version: 1
region: ap-northeast-2
targets:
  web:
    instanceId: i-0123456789abcdef0
    compose:
      directory: /srv/app
    alarm:
      topicArn: arn:aws:sns:ap-northeast-2:123456789012:domtory-recovery
      rebootAction: true
`;

interface Scenario {
  name: string;
  entry: string;
  inputs?: Record<string, string>;
  /** The floor this scenario is judged against. */
  floor?: string;
}

function bundleFloor(name: string, outRoot: string): string {
  const out = join(outRoot, name);
  // The action's own flags (`npm run package`), minus the license file.
  // Each floor has its own tsconfig beside it, so that ncc type-checks the floor alone, like the action's build.
  execFileSync(
    process.execPath,
    [NCC, 'build', join(REPO_ROOT, 'bench', 'action-floors', `${name}.ts`), '-o', out, '--minify', '--quiet'],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return join(out, 'index.js');
}

function baseEnvironment(fake: FakeAws, workspace: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: workspace,
    AWS_ENDPOINT_URL: fake.url,
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE0000',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-key-for-bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(workspace, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(workspace, 'no-aws-credentials'),
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(workspace, 'github-output'),
    GITHUB_STEP_SUMMARY: join(workspace, 'step-summary'),
  };
}

/** Logs every module file the child loads, so the bench can say what a command loaded before its first request. */
const TRACE_HOOK = `data:text/javascript,${encodeURIComponent(
  "import{registerHooks}from'node:module';import{writeSync}from'node:fs';registerHooks({load(u,c,n){if(u.startsWith('file:'))writeSync(2,'LOADED '+u+'\\n');return n(u,c)}});",
)}`;

async function firstRequest(
  fake: FakeAws,
  scenario: Scenario,
  env: Record<string, string>,
  trace = false,
): Promise<{ ms: number; action: string; loaded: string[] }> {
  const next = fake.nextRequest();
  const childEnv = { ...env };
  for (const [name, value] of Object.entries(scenario.inputs ?? {})) childEnv[inputVariable(name)] = value;
  const args = trace ? ['--import', TRACE_HOOK, scenario.entry] : [scenario.entry];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: childEnv,
    stdio: ['ignore', 'ignore', trace ? 'pipe' : 'ignore'],
  });
  const loaded: string[] = [];
  let stopped = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stopped) return;
    for (const line of chunk.toString('utf8').split('\n'))
      if (line.startsWith('LOADED ')) loaded.push(line.slice(7));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const call = await Promise.race([
    next,
    exited.then(() => {
      throw new Error(`${scenario.name} exited without sending a request`);
    }),
  ]);
  stopped = true;
  child.kill('SIGKILL');
  await exited;
  return { ms: call.at - started, action: `${call.service}:${call.action}`, loaded };
}

async function main(): Promise<void> {
  if (!existsSync(DIST_ENTRY)) throw new Error('dist/index.js is missing: run `npm run package` first');
  const workspace = mkdtempSync(join(tmpdir(), 'domtory-bench-'));
  const floors = join(workspace, 'floors');
  mkdirSync(floors);
  writeFileSync(join(workspace, 'domtory.yml'), CONFIG);
  const fake = await startFakeAws();
  try {
    process.stderr.write('bundling the floors with ncc --minify...\n');
    const floorEntries = {
      'ec2 floor': bundleFloor('ec2', floors),
      'cloudwatch floor': bundleFloor('cloudwatch', floors),
      'node alone': bundleFloor('node', floors),
    };
    const target = { 'instance-id': 'i-0123456789abcdef0', 'aws-region': 'ap-northeast-2' };
    const scenarios: Scenario[] = [
      { name: 'node alone', entry: floorEntries['node alone'] },
      { name: 'ec2 floor', entry: floorEntries['ec2 floor'] },
      { name: 'cloudwatch floor', entry: floorEntries['cloudwatch floor'] },
      {
        name: 'restart (inputs)',
        entry: DIST_ENTRY,
        floor: 'ec2 floor',
        inputs: { command: 'restart', ...target, 'compose-directory': '/srv/app' },
      },
      {
        name: 'restart (config file)',
        entry: DIST_ENTRY,
        floor: 'ec2 floor',
        inputs: { command: 'restart', config: 'domtory.yml', target: 'web' },
      },
      {
        name: 'provision (inputs)',
        entry: DIST_ENTRY,
        floor: 'cloudwatch floor',
        inputs: {
          command: 'provision',
          ...target,
          'alarm-topic-arn': 'arn:aws:sns:ap-northeast-2:123456789012:domtory-recovery',
          'dry-run': 'true',
        },
      },
      {
        name: 'provision (config file)',
        entry: DIST_ENTRY,
        floor: 'cloudwatch floor',
        inputs: { command: 'provision', config: 'domtory.yml', 'dry-run': 'true' },
      },
    ];
    const env = baseEnvironment(fake, workspace);
    writeFileSync(env.GITHUB_OUTPUT ?? '', '');
    writeFileSync(env.GITHUB_STEP_SUMMARY ?? '', '');

    const times = new Map<string, number[]>(scenarios.map((scenario) => [scenario.name, []]));
    const firstAction = new Map<string, string>();
    for (let round = 0; round <= RUNS; round++) {
      for (const scenario of scenarios) {
        const { ms, action } = await firstRequest(fake, scenario, env);
        firstAction.set(scenario.name, action);
        if (round > 0) times.get(scenario.name)?.push(ms);
      }
    }

    // What each command had loaded from dist/ when its first request left (one traced, untimed run each).
    const loadedBytes = new Map<string, number>();
    for (const scenario of scenarios.filter((s) => s.entry === DIST_ENTRY)) {
      const { loaded } = await firstRequest(fake, scenario, env, true);
      const files = [...new Set(loaded.filter((url) => url.includes('/dist/')))];
      loadedBytes.set(
        scenario.name,
        files.reduce((sum, url) => sum + statSync(new URL(url)).size, 0),
      );
    }

    const distFiles = readdirSync(DIST).filter((file) => file.endsWith('.js'));
    const distBytes = distFiles.reduce((sum, file) => sum + statSync(join(DIST, file)).size, 0);
    const entryBytes = statSync(DIST_ENTRY).size;
    const medians = new Map([...times].map(([name, values]) => [name, median(values)]));
    const nodeMs = medians.get('node alone') ?? 0;

    const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
    console.log(
      `\nBundle: dist/index.js ${kb(entryBytes)}; ${distFiles.length} files, ${kb(distBytes)} of JavaScript in all`,
    );
    console.log(
      `Time from process start to the first AWS request, median of ${RUNS} runs (min in brackets):\n`,
    );
    const header = [
      'scenario',
      'first request',
      'median',
      'floor',
      'ratio',
      'over node',
      'loaded',
      'verdict',
    ];
    const rows: string[][] = [];
    const results: Record<string, unknown> = {};
    let pass = true;
    for (const scenario of scenarios) {
      const values = times.get(scenario.name) ?? [];
      const ms = medians.get(scenario.name) ?? 0;
      const floorMs = scenario.floor === undefined ? undefined : medians.get(scenario.floor);
      const ratio = floorMs === undefined ? undefined : ms / floorMs;
      const ok = ratio === undefined || ratio <= TARGET_RATIO;
      if (!ok) pass = false;
      rows.push([
        scenario.name,
        firstAction.get(scenario.name) ?? '',
        `${ms.toFixed(1)} ms (${Math.min(...values).toFixed(1)})`,
        floorMs === undefined ? '' : `${floorMs.toFixed(1)} ms`,
        ratio === undefined ? '' : ratio.toFixed(2),
        `${(ms - nodeMs).toFixed(1)} ms`,
        loadedBytes.has(scenario.name) ? kb(loadedBytes.get(scenario.name) ?? 0) : '',
        ratio === undefined ? '' : ok ? `ok (<= ${TARGET_RATIO})` : `MISSED (> ${TARGET_RATIO})`,
      ]);
      results[scenario.name] = {
        firstRequest: firstAction.get(scenario.name),
        medianMs: Number(ms.toFixed(1)),
        minMs: Number(Math.min(...values).toFixed(1)),
        runs: values.map((value) => Number(value.toFixed(1))),
        ...(floorMs === undefined
          ? {}
          : {
              floor: scenario.floor,
              floorMs: Number(floorMs.toFixed(1)),
              ratio: Number((ratio ?? 0).toFixed(3)),
            }),
        overNodeMs: Number((ms - nodeMs).toFixed(1)),
        ...(floorMs === undefined ? {} : { overFloorMs: Number((ms - floorMs).toFixed(1)) }),
        ...(loadedBytes.has(scenario.name) ? { loadedBytes: loadedBytes.get(scenario.name) } : {}),
      };
    }
    const widths = header.map((title, column) =>
      Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
    );
    const line = (cells: readonly string[]) =>
      `| ${cells.map((text, column) => text.padEnd(widths[column] ?? 0)).join(' | ')} |`;
    console.log(line(header));
    console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
    for (const row of rows) console.log(line(row));
    const commands = scenarios.filter((scenario) => scenario.floor !== undefined);
    const overFloor = commands
      .map((scenario) => {
        const over = (medians.get(scenario.name) ?? 0) - (medians.get(scenario.floor ?? '') ?? 0);
        return `${scenario.name} ${over >= 0 ? '+' : ''}${over.toFixed(1)} ms`;
      })
      .join(', ');
    const missed = rows.filter((row) => row[7]?.startsWith('MISSED')).map((row) => row[0]);
    const provisionOverNode = (medians.get('provision (inputs)') ?? 0) - nodeMs;
    console.log(
      `\nTarget: each command within ${TARGET_RATIO}x its floor: ${pass ? 'met' : `MISSED by ${missed.join(', ')}`}.`,
    );
    console.log(`Above its floor (median): ${overFloor}.`);
    console.log(
      `Peer reference: the fastest SSM action reaches its first connection about ${PEER_OVERHEAD_MS} ms after Node alone could. ` +
        `provision (inputs) does ${provisionOverNode.toFixed(1)} ms after, of which loading the CloudWatch client (its floor) takes ` +
        `${((medians.get('cloudwatch floor') ?? 0) - nodeMs).toFixed(1)} ms; restart's floor alone (the EC2 client) takes ` +
        `${((medians.get('ec2 floor') ?? 0) - nodeMs).toFixed(1)} ms.`,
    );
    const worstOverNode = Math.max(...commands.map((s) => (medians.get(s.name) ?? 0) - nodeMs));
    console.log(
      JSON.stringify({
        bench: 'action',
        runs: RUNS,
        node: process.version,
        bundle: { entryBytes, totalBytes: distBytes, files: distFiles.length },
        targetRatio: TARGET_RATIO,
        pass,
        worstOverNodeMs: Number(worstOverNode.toFixed(1)),
        scenarios: results,
      }),
    );
    if (!pass) process.exitCode = 1;
  } finally {
    await fake.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

await main();
