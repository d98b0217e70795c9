import { isAbsolute, resolve } from 'node:path';
import { alarmConfigProblems, alarmConfigWarnings } from '../shared/alarm/alarm-spec.js';
import { ALARM_STATISTICS, type Config, type Target } from '../shared/config/schema.js';
import { isRecoveryError } from '../shared/errors.js';
import type { Trigger } from '../shared/recovery/events.js';
import { type TargetFields, targetFromFields } from './target-from-inputs.js';

/**
 * The action's inputs, read once and validated as a whole before any AWS client exists: a bad input costs no
 * AWS call and is reported together with every other bad input, each under the name the workflow uses.
 *
 * A target comes either from the config file shared with the bot (`config` + `target`) or from inputs alone
 * (`instance-id`, `compose-directory`, ...). Mixing the two is refused rather than merged: a workflow that says
 * one thing while the config says another has no right answer.
 */

export const COMMANDS = ['restart', 'provision', 'status', 'doctor'] as const;
export type Command = (typeof COMMANDS)[number];

/** Who asked and where from: the lock's owner, the history's actor, links in the summary. */
export interface RunContext {
  /** Lock owner: `github:<owner>/<repo>#<run id>`. */
  owner: string;
  trigger: Trigger;
  runUrl?: string;
}

interface CommonInputs {
  parameterPrefix: string;
  /** Where the targets came from, for messages: `the config file .github/domtory.yml` or `the inputs`. */
  source: string;
  /** A graceful deadline for the whole command (the step's own `timeout-minutes` kills without cleanup). */
  timeoutMinutes?: number;
  context: RunContext;
  /** Non-blocking notes about the inputs, printed before the command runs. */
  notes: string[];
}

export interface RestartInputs extends CommonInputs {
  command: 'restart';
  target: Target;
  dryRun: boolean;
}

export interface ProvisionInputs extends CommonInputs {
  command: 'provision';
  targets: Target[];
  dryRun: boolean;
  createTopic: boolean;
  subscriptionEndpoint?: string;
}

export interface StatusInputs extends CommonInputs {
  command: 'status';
  targets: Target[];
}

export interface DoctorInputs extends CommonInputs {
  command: 'doctor';
  targets: Target[];
}

export type Inputs = RestartInputs | ProvisionInputs | StatusInputs | DoctorInputs;

/** Every input `action.yml` declares. A test keeps the two lists equal. */
export const INPUT_NAMES = [
  'command',
  'config',
  'target',
  'instance-id',
  'aws-region',
  'compose-directory',
  'compose-command',
  'compose-user',
  'health-url',
  'health-expect-status',
  'escalate',
  'parameter-prefix',
  'dry-run',
  'timeout-minutes',
  'alarm-threshold',
  'alarm-statistic',
  'alarm-period-seconds',
  'alarm-evaluation-periods',
  'alarm-datapoints-to-alarm',
  'alarm-topic-arn',
  'alarm-reboot-action',
  'alarm-system-recovery',
  'create-topic',
  'subscription-endpoint',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/** Reads one input as the runner passes it: trimmed, `''` when absent. */
export type InputReader = (name: InputName) => string;

/** The parts of the runner's environment the inputs depend on (main.ts reads them, this module stays pure). */
export interface RunnerEnvironment {
  awsRegion?: string;
  workspace?: string;
  actor?: string;
  repository?: string;
  runId?: string;
  serverUrl?: string;
}

export interface InputProblem {
  input: InputName;
  message: string;
}

export class InputError extends Error {
  override readonly name = 'InputError';
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[]) {
    super(
      `Invalid inputs, nothing was done:\n${problems.map((problem) => `  - ${problem.input}: ${problem.message}`).join('\n')}`,
    );
    this.problems = problems;
  }
}

/** Inputs that describe a target; with a config file the target is described there instead. */
const TARGET_INPUTS = {
  'instance-id': 'instanceId',
  'compose-directory': 'compose.directory',
  'compose-command': 'compose.command',
  'compose-user': 'compose.user',
  'health-url': 'healthCheck.url',
  'health-expect-status': 'healthCheck.expectStatus',
  escalate: 'escalate',
  'alarm-threshold': 'alarm.threshold',
  'alarm-statistic': 'alarm.statistic',
  'alarm-period-seconds': 'alarm.periodSeconds',
  'alarm-evaluation-periods': 'alarm.evaluationPeriods',
  'alarm-datapoints-to-alarm': 'alarm.datapointsToAlarm',
  'alarm-topic-arn': 'alarm.topicArn',
  'alarm-reboot-action': 'alarm.rebootAction',
  'alarm-system-recovery': 'alarm.systemRecovery',
} as const satisfies Partial<Record<InputName, string>>;
type TargetInput = keyof typeof TARGET_INPUTS;

const PROVISION_ONLY: readonly InputName[] = ['create-topic', 'subscription-endpoint'];
/** GitHub-hosted jobs end after 6 hours whatever a step asks for. */
const MAX_TIMEOUT_MINUTES = 360;

/**
 * Values that must be masked before anything is printed, computed from the raw inputs so that even an input
 * that fails validation never reaches the log in clear.
 */
export function secretsOf(read: InputReader): string[] {
  const secrets: string[] = [];
  const endpoint = read('subscription-endpoint');
  // The bot's endpoint may carry a token anywhere in its path or query.
  if (endpoint !== '') secrets.push(endpoint);
  const health = read('health-url');
  if (health !== '') secrets.push(...urlSecrets(health));
  return [...new Set(secrets)];
}

/** The targets' health URLs, which may come from the config file rather than an input. */
export function targetSecrets(targets: readonly Target[]): string[] {
  return [
    ...new Set(targets.flatMap((target) => (target.healthCheck ? urlSecrets(target.healthCheck.url) : []))),
  ];
}

/** Query parameter names whose values are credentials. */
const SECRET_PARAMETER = /token|key|secret|sig|pass|auth/i;

/**
 * The parts of a URL that carry a credential: the userinfo password and the values of token-like query
 * parameters, each as written and decoded. As written matters most: the log prints the URL the way it was given,
 * and a parsed `URL` normalises it (`searchParams` turns `+` into a space and `%2F` into `/`, `password`
 * percent-encodes what was written raw), so masking only the parsed value would leave the written one in clear.
 */
export function urlSecrets(text: string): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not a URL: validation says so, and an unparsable value has no recognisable secret part.
    return [];
  }
  const secrets: string[] = [];
  const add = (...values: string[]) => {
    for (const value of values) if (value !== '') secrets.push(value);
  };
  const written = text.trim();
  const end = written.search(/#|$/);
  const authority = /^[a-z][a-z\d+.-]*:\/\/([^/?#]*)/i.exec(written)?.[1] ?? '';
  const userinfo = authority.slice(0, Math.max(authority.lastIndexOf('@'), 0));
  if (userinfo.includes(':')) {
    const password = userinfo.slice(userinfo.indexOf(':') + 1);
    add(password, decode(password));
  }
  if (url.password !== '') add(url.password, decode(url.password));
  const query = written.indexOf('?');
  if (query >= 0 && query < end) {
    for (const pair of written.slice(query + 1, end).split('&')) {
      const equals = pair.indexOf('=');
      if (equals < 0 || !SECRET_PARAMETER.test(decode(pair.slice(0, equals), true))) continue;
      const value = pair.slice(equals + 1);
      add(value, decode(value, true), decode(value));
    }
  }
  for (const [key, value] of url.searchParams) if (SECRET_PARAMETER.test(key)) add(value);
  return [...new Set(secrets)];
}

/** Percent-decoding (and `+` as a space in a query, as `searchParams` reads it); the text itself when malformed. */
function decode(text: string, query = false): string {
  try {
    return decodeURIComponent(query ? text.replaceAll('+', ' ') : text);
  } catch {
    return text;
  }
}

export interface ParseInputsOptions {
  read: InputReader;
  env: RunnerEnvironment;
  /** Reads the config file; throws as `fs.readFileSync` does. */
  readFile: (path: string) => string;
}

export async function parseInputs({ read, env, readFile }: ParseInputsOptions): Promise<Inputs> {
  const problems: InputProblem[] = [];
  const problem = (input: InputName, message: string) => problems.push({ input, message });
  const notes: string[] = [];

  const commandText = read('command');
  const command = COMMANDS.find((candidate) => candidate === commandText);
  if (command === undefined) {
    problem(
      'command',
      commandText === ''
        ? `is required: one of ${COMMANDS.join(', ')}`
        : `unknown command "${commandText}": use one of ${COMMANDS.join(', ')}`,
    );
  }

  const bool = (name: InputName, fallback: boolean): boolean => {
    const value = read(name);
    if (value === '') return fallback;
    // The runner's YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them.
    if (['true', 'True', 'TRUE'].includes(value)) return true;
    if (['false', 'False', 'FALSE'].includes(value)) return false;
    problem(name, `must be true or false, got "${value}"`);
    return fallback;
  };
  const number = (name: InputName): number | undefined => {
    const value = read(name);
    if (value === '') return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) {
      problem(name, `must be a number, got "${value}"`);
      return undefined;
    }
    return parsed;
  };

  const dryRun = bool('dry-run', false);
  const createTopic = bool('create-topic', false);
  const timeoutMinutes = number('timeout-minutes');
  if (timeoutMinutes !== undefined && !(timeoutMinutes > 0 && timeoutMinutes <= MAX_TIMEOUT_MINUTES)) {
    problem('timeout-minutes', `must be more than 0 and at most ${MAX_TIMEOUT_MINUTES}`);
  }
  const subscriptionEndpoint = read('subscription-endpoint');
  if (subscriptionEndpoint !== '' && !isHttpsUrl(subscriptionEndpoint)) {
    // The value is masked, but it is not repeated here either: a typo'd token is still a token.
    problem('subscription-endpoint', "must be the bot's https:// URL (SNS delivers to HTTPS endpoints only)");
  }
  if (command !== undefined && command !== 'provision') {
    for (const name of PROVISION_ONLY) {
      if (read(name) !== '') problem(name, `only the provision command uses it, not ${command}`);
    }
  }
  if (dryRun && (command === 'status' || command === 'doctor')) {
    notes.push(`dry-run has no effect on ${command}: it changes nothing anyway`);
  }

  const configPath = read('config');
  let resolved: { targets: Target[]; parameterPrefix: string; source: string } | undefined;
  if (configPath !== '') {
    resolved = await targetsFromConfig(configPath, command, { read, env, readFile, problem });
  } else {
    resolved = targetsFromInputs(command, { read, env, problem, bool, number });
  }

  if (resolved !== undefined && command === 'provision') {
    const topics = resolved.targets.filter((t) => t.alarm.enabled && t.alarm.topicArn !== undefined);
    if (createTopic && topics.length === 0) {
      problem(
        'create-topic',
        `needs a topic to create: set ${configPath === '' ? 'alarm-topic-arn' : 'alarm.topicArn in the config'}`,
      );
    }
    if (subscriptionEndpoint !== '' && topics.length === 0) {
      problem(
        'subscription-endpoint',
        `needs the bot's topic to subscribe to: set ${configPath === '' ? 'alarm-topic-arn' : 'alarm.topicArn in the config'}`,
      );
    }
    for (const target of resolved.targets) {
      for (const { field, message } of alarmConfigProblems(target)) {
        if (configPath === '') problem(FIELD_TO_INPUT[field] ?? 'alarm-topic-arn', message);
        else problem('config', `${message} (targets.${target.name}.${field})`);
      }
      notes.push(...alarmConfigWarnings(target));
    }
  }

  if (problems.length > 0 || command === undefined || resolved === undefined) {
    throw new InputError(problems);
  }

  const context = runContext(env);
  const common: CommonInputs = {
    parameterPrefix: resolved.parameterPrefix,
    source: resolved.source,
    context,
    notes,
    ...(timeoutMinutes === undefined ? {} : { timeoutMinutes }),
  };
  switch (command) {
    case 'restart': {
      const [target] = resolved.targets;
      if (target === undefined) throw new InputError([{ input: 'target', message: 'no target to restart' }]);
      return { ...common, command, target, dryRun };
    }
    case 'provision':
      return {
        ...common,
        command,
        targets: resolved.targets,
        dryRun,
        createTopic,
        ...(subscriptionEndpoint === '' ? {} : { subscriptionEndpoint }),
      };
    case 'status':
    case 'doctor':
      return { ...common, command, targets: resolved.targets };
  }
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

function runContext(env: RunnerEnvironment): RunContext {
  const repository = env.repository ?? 'local';
  const runId = env.runId ?? String(Date.now());
  const runUrl =
    env.repository !== undefined && env.runId !== undefined
      ? `${env.serverUrl ?? 'https://github.com'}/${env.repository}/actions/runs/${env.runId}`
      : undefined;
  const trigger: Trigger = { kind: 'github', actor: env.actor ?? 'unknown' };
  if (runUrl !== undefined) trigger.detail = runUrl;
  return {
    owner: `github:${repository}#${runId}`,
    trigger,
    ...(runUrl === undefined ? {} : { runUrl }),
  };
}

type Problem = (input: InputName, message: string) => void;

async function targetsFromConfig(
  path: string,
  command: Command | undefined,
  options: {
    read: InputReader;
    env: RunnerEnvironment;
    readFile: (path: string) => string;
    problem: Problem;
  },
): Promise<{ targets: Target[]; parameterPrefix: string; source: string } | undefined> {
  const { read, env, problem } = options;
  const conflicting = [...(Object.keys(TARGET_INPUTS) as TargetInput[]), 'parameter-prefix' as const].filter(
    (name) => read(name) !== '',
  );
  for (const name of conflicting) {
    const field = name === 'parameter-prefix' ? 'parameterPrefix' : `targets.<name>.${TARGET_INPUTS[name]}`;
    problem(
      name,
      `cannot be combined with config: the config file describes the targets, set ${field} there`,
    );
  }

  const fullPath = isAbsolute(path) ? path : resolve(env.workspace ?? '.', path);
  let text: string;
  try {
    text = options.readFile(fullPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problem(
      'config',
      code === 'ENOENT'
        ? `${path} does not exist in the workspace: check out the repository first (actions/checkout) and give the path relative to its root`
        : `cannot read ${path}: ${(error as Error).message}`,
    );
    return undefined;
  }
  // YAML is only needed when there is a config file: loaded here rather than on every run's startup path.
  const { parseConfig, resolveTarget } = await import('../shared/config/load.js');
  let config: Config;
  try {
    config = parseConfig(text, path);
  } catch (error) {
    problem('config', error instanceof Error ? error.message : String(error));
    return undefined;
  }

  const names = Object.keys(config.targets);
  const wanted = read('target');
  let selected: string[];
  if (wanted !== '') {
    if (!names.includes(wanted)) {
      problem('target', `"${wanted}" is not a target in ${path}: use one of ${names.join(', ')}`);
      return undefined;
    }
    selected = [wanted];
  } else if (command === 'restart' && names.length > 1) {
    problem('target', `is required for restart: ${path} has several targets (${names.join(', ')})`);
    return undefined;
  } else {
    selected = names;
  }

  const regionInput = read('aws-region');
  const fallbackRegion = regionInput !== '' ? regionInput : env.awsRegion;
  const targets: Target[] = [];
  for (const name of selected) {
    const configured = config.targets[name]?.region ?? config.region;
    if (regionInput !== '' && configured !== undefined && configured !== regionInput) {
      problem(
        'aws-region',
        `is ${regionInput} but ${path} puts target ${name} in ${configured}: drop aws-region or correct the config`,
      );
      continue;
    }
    const withRegion: Config =
      configured === undefined && fallbackRegion !== undefined
        ? { ...config, region: fallbackRegion }
        : config;
    try {
      targets.push(resolveTarget(withRegion, name));
    } catch (error) {
      problem(
        isRecoveryError(error, 'config-invalid') ? 'aws-region' : 'target',
        `${error instanceof Error ? error.message : String(error)} (or set the aws-region input)`,
      );
    }
  }
  return { targets, parameterPrefix: config.parameterPrefix, source: `the config file ${path}` };
}

function targetsFromInputs(
  command: Command | undefined,
  options: {
    read: InputReader;
    env: RunnerEnvironment;
    problem: Problem;
    bool: (name: InputName, fallback: boolean) => boolean;
    number: (name: InputName) => number | undefined;
  },
): { targets: Target[]; parameterPrefix: string; source: string } | undefined {
  const { read, env, problem, bool, number } = options;
  let complete = true;
  const missing = (input: InputName, message: string) => {
    complete = false;
    problem(input, message);
  };
  const instanceId = read('instance-id');
  if (instanceId === '')
    missing('instance-id', 'is required without a config file (or give config and target)');
  const region = read('aws-region') || env.awsRegion || '';
  if (region === '') {
    missing(
      'aws-region',
      'is required without a config file (or set AWS_REGION, as aws-actions/configure-aws-credentials does)',
    );
  }
  const composeDirectory = read('compose-directory');
  if ((command === 'restart' || command === 'doctor') && composeDirectory === '') {
    missing(
      'compose-directory',
      `is required for ${command}: the directory of the compose project on the instance`,
    );
  }
  const healthUrl = read('health-url');
  const expectStatus = number('health-expect-status');
  if (expectStatus !== undefined && healthUrl === '') {
    missing('health-expect-status', 'needs health-url: there is nothing to expect a status from');
  }
  const statisticText = read('alarm-statistic');
  // Case does not matter to a person typing "average"; the canonical spelling is what CloudWatch wants.
  const statistic =
    ALARM_STATISTICS.find((value) => value.toLowerCase() === statisticText.toLowerCase()) ?? statisticText;

  const optional = <T>(value: T | undefined | '') =>
    value === undefined || value === '' ? undefined : value;
  const flag = (name: InputName) => (read(name) === '' ? undefined : bool(name, false));
  const fields: TargetFields = {
    name: read('target') || instanceId.toLowerCase(),
    instanceId,
    region,
    // provision and status never touch the compose project; the target type still wants a directory.
    composeDirectory: composeDirectory === '' ? '/' : composeDirectory,
    alarm: {},
  };
  const assign = <K extends keyof TargetFields>(key: K, value: TargetFields[K] | undefined) => {
    if (value !== undefined) fields[key] = value;
  };
  const assignAlarm = <K extends keyof TargetFields['alarm']>(
    key: K,
    value: TargetFields['alarm'][K] | undefined,
  ) => {
    if (value !== undefined) fields.alarm[key] = value;
  };
  assign('composeCommand', optional(read('compose-command')));
  assign('composeUser', optional(read('compose-user')));
  assign('healthUrl', optional(healthUrl));
  assign('healthExpectStatus', expectStatus);
  assign('escalate', flag('escalate'));
  assign('parameterPrefix', optional(read('parameter-prefix')));
  assignAlarm('threshold', number('alarm-threshold'));
  assignAlarm('statistic', optional(statistic));
  assignAlarm('periodSeconds', number('alarm-period-seconds'));
  assignAlarm('evaluationPeriods', number('alarm-evaluation-periods'));
  assignAlarm('datapointsToAlarm', number('alarm-datapoints-to-alarm'));
  assignAlarm('topicArn', optional(read('alarm-topic-arn')));
  assignAlarm('rebootAction', flag('alarm-reboot-action'));
  assignAlarm('systemRecovery', flag('alarm-system-recovery'));

  const namedByInput = read('target') !== '';
  const resolved = targetFromFields(fields, (field, message) => {
    // A missing value was already reported in input terms; its format is then beside the point.
    if ((field === 'instanceId' && instanceId === '') || (field === 'region' && region === '')) return;
    if (field === 'name') {
      // A name derived from the instance id is valid whenever the id is; only a given name can be wrong.
      if (namedByInput) problem('target', `"${fields.name}": ${message}`);
      return;
    }
    if (field === 'alarm.statistic') {
      problem('alarm-statistic', `"${statisticText}" is not one of ${ALARM_STATISTICS.join(', ')}`);
      return;
    }
    problem(FIELD_TO_INPUT[field] ?? 'instance-id', message);
  });
  if (resolved === undefined || !complete) return undefined;
  return { targets: [resolved.target], parameterPrefix: resolved.parameterPrefix, source: 'the inputs' };
}

const FIELD_TO_INPUT: Record<string, InputName> = {
  ...Object.fromEntries(Object.entries(TARGET_INPUTS).map(([input, field]) => [field, input as InputName])),
  region: 'aws-region',
  parameterPrefix: 'parameter-prefix',
};
