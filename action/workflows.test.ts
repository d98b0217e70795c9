import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS, INPUT_NAMES } from './inputs.js';
import { REPO_ROOT } from './test-support/run-action.js';

/**
 * The workflows users copy (and the snippets in docs/action.md) must run as written: every `with:` key is an
 * input that action.yml declares, every required input is given, and the action.yml inputs are the ones the code
 * reads.
 */

interface ActionManifest {
  inputs: Record<string, { required?: boolean; default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

interface Workflow {
  on: Record<string, unknown>;
  concurrency?: { group: string };
  permissions?: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

/** A GitHub expression as it appears in a workflow (written so it does not read as a JS template). */
const TARGET_EXPRESSION = ['$', '{{ inputs.target }}'].join('');

const manifest = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionManifest;
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

  it('gives no default to an input that conflicts with the config file', () => {
    expect(
      Object.entries(manifest.inputs)
        .filter(([, input]) => input.default !== undefined)
        .map(([name]) => name),
    ).toEqual(['dry-run', 'create-topic']);
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
  it('its workflow snippet passes declared inputs only', () => {
    const blocks = yamlBlocks('README.md').filter((block) => /domtory-recovery@/.test(block));
    expect(blocks.length).toBeGreaterThan(0);
    expect(snippetProblems(blocks)).toEqual([]);
  });
});

function snippetProblems(blocks: string[]): string[] {
  const problems: string[] = [];
  for (const [index, block] of blocks.entries()) {
    const document = parse(block) as unknown;
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
    for (const step of steps.filter((candidate) => isThisAction(candidate.uses))) {
      problems.push(...problemsOf(step).map((problem) => `block ${index + 1}: ${problem}`));
    }
  }
  return problems;
}
