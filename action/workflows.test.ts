import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SCENARIO_NAMES } from '../shared/sim/scenarios.js';
import { COMMANDS, INPUT_NAMES, InputError, type InputName, parseInputs } from './inputs.js';
import { REPO_ROOT } from './test-support/run-action.js';
import { loadManifest, readerOf, runnerInputVariables } from './test-support/runner-inputs.js';

/**
 * The workflows users copy (and the snippets in docs/action.md) must run as written: every `with:` key is an
 * input that action.yml declares, every required input is given, and the action.yml inputs are the ones the code
 * reads.
 */

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  'continue-on-error'?: boolean;
}

interface Workflow {
  on: Record<string, unknown>;
  concurrency?: { group: string };
  permissions?: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

/** A GitHub expression as it appears in a workflow (written so it does not read as a JS template). */
const TARGET_EXPRESSION = ['$', '{{ inputs.target }}'].join('');

const manifest = loadManifest();
const WORKFLOWS = join(REPO_ROOT, '.github', 'workflows');
const workflowFiles = readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file));
const loadWorkflow = (file: string) => parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;

/** `uses: ./` in this repository, `uses: <owner>/domtory-recovery@<ref>` in a copy. */
const isThisAction = (uses: string | undefined) =>
  uses === './' || /(^|\/)domtory-recovery@/.test(uses ?? '');

function problemsOf(step: Step): string[] {
  const given = Object.keys(step.with ?? {});
  const problems = given.filter((key) => !(key in manifest.inputs)).map((key) => `unknown input "${key}"`);
  for (const [name, input] of Object.entries(manifest.inputs)) {
    if (input.required === true && !given.includes(name)) problems.push(`missing required input "${name}"`);
  }
  const command = step.with?.command;
  if (typeof command === 'string' && !command.includes('${{') && !COMMANDS.some((c) => c === command)) {
    problems.push(`unknown command "${command}"`);
  }
  return problems;
}

describe('action.yml', () => {
  it('runs the bundle on node24 and declares exactly the inputs the action reads', () => {
    expect(manifest.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(Object.keys(manifest.inputs).sort()).toEqual([...INPUT_NAMES].sort());
    expect(
      Object.entries(manifest.inputs)
        .filter(([, input]) => input.required === true)
        .map(([name]) => name),
    ).toEqual(['command']);
  });

  // The runner sets INPUT_<NAME> for every input with a default, as if the workflow had given it: a default on an
  // input that describes a target would conflict with config, one on a command-specific input (create-topic,
  // dry-run) would be passed to the commands that refuse it. The descriptions state the defaults instead.
  it('gives no input a default: the runner would pass it to every command as if it had been set', () => {
    expect(
      Object.entries(manifest.inputs)
        .filter(([, input]) => input.default !== undefined)
        .map(([name]) => name),
    ).toEqual([]);
  });

  it('describes every input and output', () => {
    for (const entry of [...Object.values(manifest.inputs), ...Object.values(manifest.outputs)]) {
      expect(entry.description.length).toBeGreaterThan(10);
    }
  });
});

describe('.github/workflows', () => {
  it('has the example workflows and check-dist', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining(['restart.yml', 'provision-alarm.yml', 'check-dist.yml']),
    );
  });

  it.each(workflowFiles)('%s: every step using the action passes declared inputs only', (file) => {
    const workflow = loadWorkflow(file);
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
    const problems = steps
      .filter((step) => isThisAction(step.uses))
      .flatMap((step) => problemsOf(step).map((problem) => `${step.uses}: ${problem}`));
    expect(problems).toEqual([]);
  });

  it('restart.yml: a target choice, one concurrency group per target, OIDC and no stored keys', () => {
    const workflow = loadWorkflow('restart.yml');
    const dispatch = workflow.on.workflow_dispatch as {
      inputs: Record<string, { type: string; options?: string[] }>;
    };
    expect(dispatch.inputs.target?.type).toBe('choice');
    expect(dispatch.inputs.target?.options?.length).toBeGreaterThan(0);
    expect(workflow.concurrency?.group).toContain(TARGET_EXPRESSION);
    expect(workflow.permissions?.['id-token']).toBe('write');
    const text = readFileSync(join(WORKFLOWS, 'restart.yml'), 'utf8');
    expect(text).toContain('aws-actions/configure-aws-credentials@');
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
    const step = workflow.jobs.restart?.steps.find((candidate) => isThisAction(candidate.uses));
    expect(step?.with).toMatchObject({ command: 'restart', target: TARGET_EXPRESSION });
  });

  it('provision-alarm.yml: by hand, and on changes to the config file it provisions from', () => {
    const workflow = loadWorkflow('provision-alarm.yml');
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    const push = workflow.on.push as { paths: string[] };
    const step = Object.values(workflow.jobs)
      .flatMap((job) => job.steps)
      .find((candidate) => isThisAction(candidate.uses));
    expect(step?.with?.command).toBe('provision');
    expect(push.paths).toContain(step?.with?.config);
  });

  it('check-dist.yml: rebuilds dist/ and fails on any difference, and runs the action with uses: ./', () => {
    const workflow = loadWorkflow('check-dist.yml');
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    expect(steps.some((step) => step.run?.includes('npm run package'))).toBe(true);
    expect(steps.some((step) => step.run?.includes('git status --porcelain -- dist'))).toBe(true);
    expect(steps.filter((step) => step.uses === './').length).toBeGreaterThanOrEqual(4);
  });
});

const yamlBlocks = (...path: string[]) =>
  [...readFileSync(join(REPO_ROOT, ...path), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map(
    (match) => match[1] ?? '',
  );

describe('docs/action.md', () => {
  const blocks = yamlBlocks('docs', 'action.md');

  it('has a copy-paste workflow for each command', () => {
    for (const command of COMMANDS) {
      expect(blocks.some((block) => new RegExp(`command: ${command}\\b`).test(block))).toBe(true);
    }
  });

  it('every YAML snippet parses, and every step using the action passes declared inputs only', () => {
    expect(snippetProblems(blocks)).toEqual([]);
  });
});

describe('README.md', () => {
  it('names every demo scenario that `npm run demo -- --help` lists', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').replaceAll('\n', ' ');
    const listed = /lists the simulated incidents \(([^)]*)\)/.exec(readme)?.[1] ?? '';
    expect([...listed.matchAll(/`([a-z-]+)`/g)].map((match) => match[1])).toEqual([...SCENARIO_NAMES]);
  });

  it('its workflow snippet passes declared inputs only', () => {
    const blocks = yamlBlocks('README.md').filter((block) => /domtory-recovery@/.test(block));
    expect(blocks.length).toBeGreaterThan(0);
    expect(snippetProblems(blocks)).toEqual([]);
  });
});

/** Every step that uses the action, at any depth of a parsed workflow or snippet. */
function actionSteps(document: unknown): Step[] {
  const steps: Step[] = [];
  const collect = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (typeof record.uses === 'string') steps.push(record as Step);
      Object.values(record).forEach(collect);
    }
  };
  collect(document);
  return steps.filter((step) => isThisAction(step.uses));
}

function snippetProblems(blocks: string[]): string[] {
  const problems: string[] = [];
  for (const [index, block] of blocks.entries()) {
    for (const step of actionSteps(parse(block))) {
      problems.push(...problemsOf(step).map((problem) => `block ${index + 1}: ${problem}`));
    }
  }
  return problems;
}

/** What each `${{ … }}` in an example's `with:` stands for here: a value a real run passes. */
const EXPRESSION_SAMPLES: Partial<Record<InputName, string>> = {
  target: 'domtory',
  'dry-run': 'true',
  'subscription-endpoint': 'https://bot.example.com/sns/events',
};

function sampleValue(name: string, value: unknown): unknown {
  if (typeof value !== 'string' || !value.includes('${{')) return value;
  const sample = EXPRESSION_SAMPLES[name as InputName];
  if (sample === undefined) throw new Error(`no sample value for the expression given to ${name}: add one`);
  return sample;
}

const EXAMPLES = [
  ...workflowFiles.map((file) => ({ where: `.github/workflows/${file}`, document: loadWorkflow(file) })),
  ...yamlBlocks('docs', 'action.md').map((block, index) => ({
    where: `docs/action.md block ${index + 1}`,
    document: parse(block) as unknown,
  })),
  ...yamlBlocks('README.md').map((block, index) => ({
    where: `README.md block ${index + 1}`,
    document: parse(block) as unknown,
  })),
].flatMap(({ where, document }) =>
  actionSteps(document).map((step): [string, Step] => [
    `${where}: ${String((step as { name?: unknown }).name ?? step.with?.command)}`,
    step,
  ]),
);

// The runner passes a step's `with:` and every action.yml default it leaves out; the action must accept what the
// examples users copy give it, on every command (a default that one command refuses breaks all the others).
describe('example steps, with action.yml defaults applied as the runner applies them', () => {
  it('finds the examples in the workflows, docs/action.md and README.md', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(12);
    for (const command of COMMANDS) {
      expect(EXAMPLES.some(([, step]) => step.with?.command === command)).toBe(true);
    }
  });

  it.each(EXAMPLES)('%s', async (_where, step) => {
    const given = Object.fromEntries(
      Object.entries(step.with ?? {}).map(([name, value]) => [name, sampleValue(name, value)]),
    );
    const outcome = await parseInputs({
      read: readerOf(runnerInputVariables(given, manifest)),
      // configure-aws-credentials sets AWS_REGION; the config path is relative to the checkout, this repository.
      env: { awsRegion: 'ap-northeast-2', workspace: REPO_ROOT, repository: 'octo/app', runId: '1' },
      readFile: (path) => readFileSync(path, 'utf8'),
    }).then(
      () => 'accepted',
      (error: unknown) => {
        if (error instanceof InputError) return error.message;
        throw error;
      },
    );
    // check-dist's "bad inputs fail the step" is the one example meant to be refused.
    if (step['continue-on-error'] === true) expect(outcome).toContain('Invalid inputs, nothing was done');
    else expect(outcome).toBe('accepted');
  });
});
