import { readFileSync } from 'node:fs';
import type * as Toolkit from '@actions/core';
import { createAwsAccess } from './aws.js';
import {
  InputError,
  type InputName,
  type Inputs,
  parseInputs,
  type RunnerEnvironment,
  secretsOf,
  targetSecrets,
} from './inputs.js';
import { type ActionLog, DeferredLog } from './log.js';
import type { CommandReport, CommandTools } from './report.js';

/**
 * The action's entry: inputs → one validated `Inputs` → one command → outputs, summary and verdict written here.
 * This is the only module that touches `@actions/core`.
 *
 * The toolkit is imported late, on purpose. Its module graph (an HTTP client with undici, for OIDC) costs about
 * 40 ms of evaluation, as much as the CloudWatch client itself, and nothing in it is needed to send the first AWS
 * request. So inputs are read straight from the runner's `INPUT_<NAME>` variables (the lookup `getInput`
 * performs), log lines wait in a `DeferredLog`, and the toolkit is loaded once the first AWS answer is in (or
 * after a second, or at the end): every secret is masked before the first line reaches the log.
 */

type Core = typeof Toolkit;

/** Exactly `core.getInput(name)`: `INPUT_` + the name upper-cased with spaces as `_`, trimmed. */
function readInput(name: InputName): string {
  return (process.env[`INPUT_${name.replaceAll(' ', '_').toUpperCase()}`] ?? '').trim();
}

function runnerEnvironment(): RunnerEnvironment {
  const env: RunnerEnvironment = {};
  const set = (key: keyof RunnerEnvironment, value: string | undefined) => {
    if (value !== undefined && value !== '') env[key] = value;
  };
  set('awsRegion', process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION);
  set('workspace', process.env.GITHUB_WORKSPACE);
  set('actor', process.env.GITHUB_ACTOR);
  set('repository', process.env.GITHUB_REPOSITORY);
  set('runId', process.env.GITHUB_RUN_ID);
  set('serverUrl', process.env.GITHUB_SERVER_URL);
  return env;
}

/** Credentials from the environment never appear in output, whoever set them and whatever echoes them. */
function environmentSecrets(): string[] {
  return [process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN].filter(
    (value): value is string => value !== undefined && value !== '',
  );
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load();
    return loading;
  };
}

function coreLog(core: Core): ActionLog {
  return {
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
    startGroup: (title) => core.startGroup(title),
    endGroup: () => core.endGroup(),
  };
}

async function runCommand(inputs: Inputs, tools: CommandTools): Promise<CommandReport> {
  // One chunk per command: a command loads only its own code and the SDK clients it calls.
  switch (inputs.command) {
    case 'restart':
      return (await import('./commands/restart.js')).restart(inputs, tools);
    case 'provision':
      return (await import('./commands/provision.js')).provision(inputs, tools);
    case 'status':
      return (await import('./commands/status.js')).status(inputs, tools);
    case 'doctor':
      return (await import('./commands/doctor.js')).doctor(inputs, tools);
  }
}

function invalidInputsReport(error: unknown): CommandReport {
  const message = error instanceof Error ? error.message : String(error);
  const problems =
    error instanceof InputError
      ? error.problems.map((problem) => `- \`${problem.input}\`: ${problem.message}`)
      : [];
  return {
    ok: false,
    failure: message,
    outputs: { outcome: 'invalid-inputs' },
    summary: [
      '## ❌ Invalid inputs: nothing was done',
      '',
      ...(problems.length > 0 ? problems : [message]),
      '',
    ].join('\n'),
  };
}

function crashReport(error: unknown): CommandReport {
  const message = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    failure: `Unexpected error: ${message}`,
    outputs: { outcome: 'error' },
    summary: `## ❌ Unexpected error\n\n${message}\n`,
  };
}

async function writeReport(core: Core, report: CommandReport): Promise<void> {
  for (const [name, value] of Object.entries(report.outputs)) core.setOutput(name, value);
  if (process.env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(report.summary).write();
    } catch (error) {
      core.warning(
        `The job summary was not written: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (!report.ok) core.setFailed(report.failure ?? 'The command failed.');
}

export async function run(): Promise<void> {
  const secrets = new Set([...secretsOf(readInput), ...environmentSecrets()]);
  const toolkit = once(async () => {
    const core = await import('@actions/core');
    for (const secret of secrets) core.setSecret(secret);
    return core;
  });

  let inputs: Inputs;
  try {
    inputs = await parseInputs({
      read: readInput,
      env: runnerEnvironment(),
      readFile: (path) => readFileSync(path, 'utf8'),
    });
  } catch (error) {
    await writeReport(await toolkit(), invalidInputsReport(error));
    return;
  }
  // A health URL from the config file was no input: its token is masked from the parsed targets. The toolkit is
  // not loaded yet on this path, so these are registered with the others before the first line is printed.
  for (const secret of targetSecrets(inputs.command === 'restart' ? [inputs.target] : inputs.targets)) {
    secrets.add(secret);
  }

  const log = new DeferredLog();
  const attachLog = once(async () => {
    const core = await toolkit();
    log.attach(coreLog(core));
    return core;
  });
  // Cancelling a run sends SIGINT, then SIGTERM 7.5 s later: the first winds the recovery down (lock released,
  // outcome recorded), a second means there is no time left.
  const cancel = new AbortController();
  const onSignal = () => {
    if (cancel.signal.aborted) process.exit(130);
    cancel.abort(new Error('the workflow run was cancelled'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Not AbortSignal.timeout: its reason ("The operation was aborted due to timeout") does not say whose timeout.
  const { timeoutMinutes } = inputs;
  const deadline = new AbortController();
  const timer =
    timeoutMinutes === undefined
      ? undefined
      : setTimeout(
          () => deadline.abort(new Error(`the action's timeout-minutes (${timeoutMinutes}) ran out`)),
          timeoutMinutes * 60_000,
        );
  timer?.unref();
  const signal = AbortSignal.any([cancel.signal, deadline.signal]);

  const aws = createAwsAccess({ onFirstResponse: () => void attachLog() });
  // A first request that hangs must not keep the log empty until it times out.
  const fallback = setTimeout(() => void attachLog(), 1_000);
  fallback.unref();

  for (const note of inputs.notes) log.warning(note);
  let report: CommandReport;
  try {
    report = await runCommand(inputs, { log, aws, signal });
  } catch (error) {
    report = crashReport(error);
  } finally {
    clearTimeout(fallback);
    clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    aws.destroy();
  }
  await writeReport(await attachLog(), report);
}
