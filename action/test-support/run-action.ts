import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerInputVariables } from './runner-inputs.js';

export { inputVariable } from './runner-inputs.js';

/**
 * Runs the bundled action as the runner does: a node process on `dist/index.js`, inputs as `INPUT_<NAME>`
 * variables (those given, and action.yml's default for every input not given, as the runner sets them),
 * `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files to write to, and nothing else from this process's environment
 * (no stray AWS profile, no real credentials, no instance metadata lookups).
 */

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST_ENTRY = join(REPO_ROOT, 'dist', 'index.js');

/**
 * dist/ is committed, and check-dist keeps it equal to a fresh build; a checkout without it (or a developer who
 * deleted it) gets one built here, the way `npm run package` does.
 */
export function ensureDist(): void {
  if (existsSync(DIST_ENTRY)) return;
  execFileSync('npm', ['run', 'package'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

/** A run still going after this is hung: it is killed, and the test fails with what the action printed. */
const RUN_TIMEOUT_MS = 60_000;

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  /**
   * stdout as the runner shows it in the log: each `::add-mask::` value replaced by `***` in the lines after it
   * (the runner masks what follows a registration, never what came before).
   */
  log: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Lines the runner would show as errors (`::error::`), decoded. */
  errors: string[];
}

export interface RunActionOptions {
  /** The step's `with:`; action.yml's defaults fill in the rest (see runner-inputs.ts). */
  inputs: Record<string, string>;
  /** The fake AWS endpoint; without it, AWS calls go nowhere useful (and tests for bad inputs expect none). */
  awsUrl?: string;
  /** Files to place in the workspace before the run, by relative path. */
  files?: Record<string, string>;
  /** Sends SIGINT this long after the start, as the runner does when a run is cancelled. */
  interruptAfterMs?: number;
}

/** `GITHUB_OUTPUT` holds `name<<delimiter` blocks (what @actions/core writes). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const header = /^([^<=]+)<<(.+)$/.exec(lines[index] ?? '');
    if (header?.[1] === undefined || header[2] === undefined) continue;
    const value: string[] = [];
    for (index++; index < lines.length && lines[index] !== header[2]; index++) value.push(lines[index] ?? '');
    outputs[header[1]] = value.join('\n');
  }
  return outputs;
}

export function maskedLog(stdout: string): string {
  const secrets: string[] = [];
  return stdout
    .split('\n')
    .map((line) => {
      const mask = /^::add-mask::(.*)$/.exec(line);
      if (mask?.[1] !== undefined) {
        secrets.push(decodeCommand(mask[1]));
        return '';
      }
      // Longest first, as the runner does, so a secret that contains another is masked whole.
      return [...secrets]
        .sort((a, b) => b.length - a.length)
        .reduce((masked, secret) => masked.replaceAll(secret, '***'), line);
    })
    .join('\n');
}

/** Workflow commands are percent-encoded: `%25`, `%0D`, `%0A`. */
function decodeCommand(text: string): string {
  return text.replaceAll('%0A', '\n').replaceAll('%0D', '\r').replaceAll('%25', '%');
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const workspace = mkdtempSync(join(tmpdir(), 'domtory-action-'));
  try {
    const outputFile = join(workspace, 'github-output');
    const summaryFile = join(workspace, 'step-summary');
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    for (const [path, content] of Object.entries(options.files ?? {}))
      writeFileSync(join(workspace, path), content);

    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTOR: 'octocat',
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_RUN_ID: '4242',
      GITHUB_SERVER_URL: 'https://github.com',
      AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE0000',
      AWS_SECRET_ACCESS_KEY: 'fake-secret-key-for-tests',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(workspace, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(workspace, 'no-aws-credentials'),
      ...(options.awsUrl === undefined ? {} : { AWS_ENDPOINT_URL: options.awsUrl }),
    };
    Object.assign(env, runnerInputVariables(options.inputs));

    const child = spawn(process.execPath, [DIST_ENTRY], { cwd: workspace, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const interrupt =
      options.interruptAfterMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGINT'), options.interruptAfterMs);
    const exitCode = await new Promise<number | null>((resolveExit, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the action did not finish within ${RUN_TIMEOUT_MS} ms\n${stdout}\n${stderr}`));
      }, RUN_TIMEOUT_MS);
      child.on('exit', (code) => {
        clearTimeout(timer);
        clearTimeout(interrupt);
        resolveExit(code);
      });
    });
    return {
      exitCode,
      stdout,
      log: maskedLog(stdout),
      stderr,
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      errors: stdout
        .split('\n')
        .filter((line) => line.startsWith('::error'))
        .map((line) => decodeCommand(line.replace(/^::error[^:]*::/, ''))),
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
