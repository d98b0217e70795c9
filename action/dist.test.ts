import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DEFAULT_INSTANCE_ID,
  type FakeAws,
  type FakeAwsOptions,
  type RecordedCall,
  startFakeAws,
} from './test-support/fake-aws.js';
import { ensureDist, REPO_ROOT, type RunActionOptions, runAction } from './test-support/run-action.js';

/**
 * The bundled action, run as the runner runs it (see test-support/run-action.ts) against a fake AWS endpoint
 * (test-support/fake-aws.ts) reached through AWS_ENDPOINT_URL: what it sends, what it outputs, what it writes to
 * the job summary, and how it exits.
 */

const REGION = 'ap-northeast-2';
const TOPIC = `arn:aws:sns:${REGION}:123456789012:domtory-recovery`;
/** Locks and histories are kept per instance. */
const LOCK = `/domtory-recovery/${DEFAULT_INSTANCE_ID}/lock`;
const HISTORY = `/domtory-recovery/${DEFAULT_INSTANCE_ID}/history`;
const SINGLE = { 'instance-id': DEFAULT_INSTANCE_ID, 'aws-region': REGION, 'compose-directory': '/srv/app' };
const CONFIG = `version: 1
region: ${REGION}
targets:
  web:
    instanceId: ${DEFAULT_INSTANCE_ID}
    compose:
      directory: /srv/app
      user: ubuntu
    alarm:
      topicArn: ${TOPIC}
      rebootAction: true
      systemRecovery: true
`;

let fake: FakeAws | undefined;

async function withFake(options: FakeAwsOptions = {}): Promise<FakeAws> {
  fake = await startFakeAws(options);
  return fake;
}

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

beforeAll(() => ensureDist(), 180_000);

const DECLARED_OUTPUTS = Object.keys(
  (parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as { outputs: Record<string, unknown> })
    .outputs,
);

/** Runs the bundle against `aws`; every output it sets must be one action.yml declares. */
async function run(aws: FakeAws, options: Omit<RunActionOptions, 'awsUrl'>) {
  const result = await runAction({ ...options, awsUrl: aws.url });
  expect(Object.keys(result.outputs).filter((name) => !DECLARED_OUTPUTS.includes(name))).toEqual([]);
  return result;
}

const scriptOf = (call: RecordedCall) =>
  ((call.params.Parameters as { commands?: string[] } | undefined)?.commands?.[0] ?? '').replace(
    '# domtory-recovery:',
    '',
  );

/** The calls a person would look at in CloudTrail, in order: changes and commands, not polls. */
function story(aws: FakeAws): string[] {
  return aws.calls.flatMap((call) => {
    switch (call.action) {
      case 'DescribeInstances':
        return ['DescribeInstances'];
      case 'RebootInstances':
      case 'StopInstances':
      case 'StartInstances':
        return [`${call.action}${call.params.DryRun === 'true' ? ' (dry run)' : ''}`];
      case 'SendCommand':
        return [`SendCommand ${scriptOf(call)}`];
      case 'PutParameter':
        return [
          `PutParameter ${String(call.params.Name).split('/').pop()} overwrite=${String(call.params.Overwrite)}`,
        ];
      case 'DeleteParameter':
        return [`DeleteParameter ${String(call.params.Name).split('/').pop()}`];
      default:
        return [];
    }
  });
}

describe('restart', () => {
  it('recovers: reboot, a new boot id, compose, verify; outputs, summary, history and lock', async () => {
    const aws = await withFake();
    const before = aws.instances.get(DEFAULT_INSTANCE_ID)?.bootIds[0];
    const result = await run(aws, { inputs: { command: 'restart', ...SINGLE, target: 'web' } });

    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(story(aws)).toEqual([
      'DescribeInstances',
      'PutParameter lock overwrite=false',
      'SendCommand evidence',
      'RebootInstances',
      'SendCommand boot-probe',
      'SendCommand compose-wait',
      'SendCommand compose-ps',
      'PutParameter history overwrite=true',
      'DeleteParameter lock',
    ]);
    expect(aws.callsOf('RebootInstances')[0]?.params).toMatchObject({
      'InstanceId.1': DEFAULT_INSTANCE_ID,
      DryRun: 'false',
    });
    expect(aws.callsOf('SendCommand')[0]?.params).toMatchObject({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: [DEFAULT_INSTANCE_ID],
    });
    expect(new Set(aws.calls.map((call) => call.signedRegion))).toEqual(new Set([REGION]));
    expect(aws.calls.filter((call) => call.service === 'sns')).toEqual([]);

    const after = aws.instances.get(DEFAULT_INSTANCE_ID)?.bootIds[1];
    const composeCommand = aws.callsOf('SendCommand').find((call) => scriptOf(call) === 'compose-wait');
    expect(result.outputs).toMatchObject({
      outcome: 'recovered',
      target: 'web',
      'instance-id': DEFAULT_INSTANCE_ID,
      'new-boot': 'true',
      escalated: 'false',
      'boot-id-before': before,
      'boot-id-after': after,
      'error-code': '',
    });
    const commandIds = JSON.parse(result.outputs['command-ids'] ?? '[]') as string[];
    expect(commandIds).toHaveLength(4);
    expect(result.outputs['command-id']).toBe(commandIds[2]);
    expect(composeCommand).toBeDefined();
    const steps = JSON.parse(result.outputs.steps ?? '[]') as {
      step: string;
      status: string;
      durationMs: number;
    }[];
    expect(steps.map((step) => `${step.step}:${step.status}`)).toEqual([
      'preflight:succeeded',
      'evidence:succeeded',
      'restart:succeeded',
      'wait-boot:succeeded',
      'compose-up:succeeded',
      'verify:succeeded',
      'done:succeeded',
    ]);
    expect(steps.every((step) => Number.isInteger(step.durationMs))).toBe(true);
    expect(Number(result.outputs['duration-seconds'])).toBeGreaterThan(5);

    expect(result.stdout).toContain('::group::Wait for a new boot');
    expect(result.stdout).toContain('✔ Wait for a new boot: new boot');
    expect(result.summary).toContain('## ✅ Recovered web in');
    expect(result.summary).toContain('| Wait for a new boot | ✅ succeeded |');
    expect(result.summary).toContain(
      `\`${before?.slice(0, 8)}\` → \`${after?.slice(0, 8)}\` (new boot seen)`,
    );
    expect(result.summary).toContain('<details><summary>Evidence collected before the restart</summary>');
    expect(result.summary).toContain('| web | running | healthy |');

    expect(aws.parameters.has(LOCK)).toBe(false);
    const history = JSON.parse(aws.parameters.get(HISTORY)?.value ?? '[]') as unknown[];
    expect(history).toEqual([
      expect.objectContaining({
        outcome: 'recovered',
        trigger: 'github',
        actor: 'octocat',
        newBootSeen: true,
      }),
    ]);
  }, 90_000);

  it('is refused while another recovery holds the lock: red reason, exit 1, nothing restarted', async () => {
    const holder = {
      owner: 'slack:U0123ABCD',
      trigger: 'slack',
      acquiredAt: new Date(Date.now() - 60_000).toISOString(),
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
    };
    const aws = await withFake({ parameters: { [LOCK]: JSON.stringify(holder) } });
    const result = await run(aws, { inputs: { command: 'restart', ...SINGLE, target: 'web' } });

    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(
      'Recovery of web refused: a recovery of web is already running: started by slack:U0123ABCD',
    );
    expect(result.errors[0]).toContain('Fix: Wait for it to finish');
    expect(story(aws)).toEqual(['DescribeInstances', 'PutParameter lock overwrite=false']);
    expect(result.outputs.outcome).toBe('refused');
    expect(result.outputs['error-code']).toBe('lock-held');
    expect(JSON.parse(result.outputs['lock-holder'] ?? '{}')).toEqual(holder);
    expect(result.summary).toContain('## ⛔ Recovery of web refused');
    expect(result.summary).toContain('> [!CAUTION]\n> **lock-held**: a recovery of web is already running');
    expect(aws.parameters.get(LOCK)?.value).toBe(JSON.stringify(holder));
  }, 30_000);

  it('a cancelled run winds down at once: lock released, outcome recorded, step failed', async () => {
    const aws = await withFake();
    const started = performance.now();
    const result = await run(aws, {
      inputs: { command: 'restart', ...SINGLE, target: 'web' },
      interruptAfterMs: 3_000,
    });
    expect(performance.now() - started).toBeLessThan(7_500);
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ outcome: 'failed', 'error-code': 'aborted' });
    expect(result.errors.join('\n')).toContain('the workflow run was cancelled');
    expect(aws.parameters.has(LOCK)).toBe(false);
    expect(JSON.parse(aws.parameters.get(HISTORY)?.value ?? '[]')).toEqual([
      expect.objectContaining({ outcome: 'failed', error: 'aborted' }),
    ]);
  }, 30_000);

  it('timeout-minutes winds the recovery down like a cancellation, and the reason names the input', async () => {
    const aws = await withFake();
    const started = performance.now();
    // 0.05 minutes: 3 s, well inside a recovery.
    const result = await run(aws, {
      inputs: { command: 'restart', ...SINGLE, target: 'web', 'timeout-minutes': '0.05' },
    });
    expect(performance.now() - started).toBeLessThan(7_500);
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ outcome: 'failed', 'error-code': 'aborted' });
    expect(result.outputs.error).toContain(
      "the recovery was stopped before it finished: the action's timeout-minutes (0.05) ran out",
    );
    expect(result.errors.join('\n')).toContain("the action's timeout-minutes (0.05) ran out");
    expect(aws.parameters.has(LOCK)).toBe(false);
    expect(JSON.parse(aws.parameters.get(HISTORY)?.value ?? '[]')).toEqual([
      expect.objectContaining({ outcome: 'failed', error: 'aborted' }),
    ]);
  }, 30_000);

  it('dry run from the config file: EC2 DryRun calls only, no command, no lock, no history', async () => {
    const aws = await withFake();
    const result = await run(aws, {
      inputs: { command: 'restart', config: 'domtory.yml', 'dry-run': 'true' },
      files: { 'domtory.yml': CONFIG },
    });

    expect(result.exitCode).toBe(0);
    expect(story(aws)).toEqual([
      'DescribeInstances',
      'RebootInstances (dry run)',
      'StopInstances (dry run)',
      'StartInstances (dry run)',
    ]);
    expect(aws.callsOf('StopInstances')[0]?.params).toMatchObject({ DryRun: 'true', Force: 'false' });
    expect(aws.actions('ssm')).toEqual(['GetParameter', 'DescribeInstanceInformation']);
    expect(result.outputs).toMatchObject({ outcome: 'rehearsed', 'new-boot': 'false', 'command-ids': '[]' });
    expect(result.summary).toContain('🧪 Rehearsed the recovery of web (dry run');
    expect(aws.parameters.size).toBe(0);
  }, 30_000);
});

describe('provision', () => {
  const inputs = {
    command: 'provision',
    config: 'domtory.yml',
    'create-topic': 'true',
    'subscription-endpoint': 'https://bot.example.com/sns/hook-s3cr3t',
  };

  it('creates topic, subscription and alarms on the first run, and changes nothing on the second', async () => {
    const aws = await withFake();
    const first = await run(aws, { inputs, files: { 'domtory.yml': CONFIG } });

    expect(first.exitCode).toBe(0);
    expect(aws.actions()).toEqual([
      'DescribeAlarms',
      'DescribeAlarmsForMetric',
      'GetTopicAttributes',
      'CreateTopic',
      'Subscribe',
      'PutMetricAlarm',
      'PutMetricAlarm',
    ]);
    expect(aws.callsOf('DescribeAlarms')[0]?.params).toEqual({
      AlarmNames: ['domtory-recovery-web-cpu', 'domtory-recovery-web-system-recovery'],
    });
    expect(aws.callsOf('CreateTopic')[0]?.params).toMatchObject({ Name: 'domtory-recovery' });
    expect(aws.callsOf('Subscribe')[0]?.params).toMatchObject({
      TopicArn: TOPIC,
      Protocol: 'https',
      Endpoint: 'https://bot.example.com/sns/hook-s3cr3t',
    });
    const [cpu, system] = aws.callsOf('PutMetricAlarm').map((call) => call.params);
    expect(cpu).toMatchObject({
      AlarmName: 'domtory-recovery-web-cpu',
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'InstanceId', Value: DEFAULT_INSTANCE_ID }],
      Statistic: 'Average',
      Period: 300,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 95,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'missing',
      ActionsEnabled: true,
      AlarmActions: [TOPIC, `arn:aws:automate:${REGION}:ec2:reboot`],
      OKActions: [TOPIC],
    });
    expect(system).toMatchObject({
      AlarmName: 'domtory-recovery-web-system-recovery',
      MetricName: 'StatusCheckFailed_System',
      Period: 60,
      AlarmActions: [`arn:aws:automate:${REGION}:ec2:recover`],
    });
    expect(first.outputs).toMatchObject({ outcome: 'applied', changes: '4', applied: '4' });
    expect(JSON.parse(first.outputs['alarm-names'] ?? '[]')).toEqual([
      'domtory-recovery-web-cpu',
      'domtory-recovery-web-system-recovery',
    ]);
    expect(first.stdout).toContain(
      '+ create alarm domtory-recovery-web-cpu: CPUUtilization Average > 95 for 2 x 300 s -> sns:domtory-recovery, ec2:reboot',
    );
    expect(first.summary).toContain('## ✅ Alarms provisioned');

    // The endpoint's token is masked before the first line, and never printed in clear by the action itself.
    expect(first.stdout.split('\n')[0]).toBe('::add-mask::https://bot.example.com/sns/hook-s3cr3t');
    expect(first.stdout.split('\n').slice(1).join('\n')).not.toContain('hook-s3cr3t');
    expect(first.summary + JSON.stringify(first.outputs)).not.toContain('hook-s3cr3t');

    aws.calls.length = 0;
    const second = await run(aws, { inputs, files: { 'domtory.yml': CONFIG } });
    expect(second.exitCode).toBe(0);
    expect(aws.actions()).toEqual([
      'DescribeAlarms',
      'DescribeAlarmsForMetric',
      'GetTopicAttributes',
      'ListSubscriptionsByTopic',
    ]);
    expect(second.outputs).toMatchObject({ outcome: 'unchanged', changes: '0', applied: '0' });
    expect(second.stdout).toContain('= alarm domtory-recovery-web-cpu is up to date');
    expect(second.stdout).toContain('Nothing to change.');
  }, 30_000);

  it('dry run prints the plan, including what an update would change, and sends nothing', async () => {
    const aws = await withFake();
    const single = { command: 'provision', ...SINGLE, target: 'web', 'alarm-topic-arn': TOPIC };
    await run(aws, { inputs: { ...single, 'alarm-threshold': '90' } });
    aws.calls.length = 0;

    const result = await run(aws, {
      inputs: {
        ...single,
        'alarm-reboot-action': 'true',
        'alarm-system-recovery': 'true',
        'dry-run': 'true',
      },
    });
    expect(result.exitCode).toBe(0);
    expect(aws.actions()).toEqual(['DescribeAlarms', 'DescribeAlarmsForMetric']);
    expect(result.stdout).toMatch(
      /~ update alarm domtory-recovery-web-cpu: .*Threshold 90 -> 95; AlarmActions \[arn:aws:sns:[^\]]*\] -> \[arn:aws:automate:ap-northeast-2:ec2:reboot, arn:aws:sns:/,
    );
    expect(result.stdout).toContain('+ create alarm domtory-recovery-web-system-recovery');
    expect(result.stdout).toContain('2 change(s) planned; dry run: nothing is sent.');
    expect(result.outputs).toMatchObject({ outcome: 'planned', changes: '2', applied: '0' });
    expect(JSON.parse(result.outputs.plan ?? '[]')).toEqual([
      {
        kind: 'update-alarm',
        target: 'web',
        alarm: 'domtory-recovery-web-cpu',
        fields: ['AlarmDescription', 'Threshold', 'AlarmActions'],
      },
      { kind: 'create-alarm', target: 'web', alarm: 'domtory-recovery-web-system-recovery' },
    ]);
    expect(result.summary).toContain('🧪 Alarm provisioning plan (dry run: nothing was changed)');
    expect(aws.alarms.get('domtory-recovery-web-cpu')?.Threshold).toBe(90);
  }, 30_000);
});

describe('status and doctor', () => {
  it('status shows the instance, alarms, lock and last recoveries', async () => {
    const history = [
      {
        startedAt: '2025-05-01T10:00:00.000Z',
        durationMs: 95_000,
        trigger: 'alarm',
        actor: 'domtory-recovery-web-cpu',
        outcome: 'recovered',
        escalated: false,
        newBootSeen: true,
      },
    ];
    const aws = await withFake({ parameters: { [HISTORY]: JSON.stringify(history) } });
    await run(aws, {
      inputs: { command: 'provision', config: 'domtory.yml' },
      files: { 'domtory.yml': CONFIG },
    });
    aws.calls.length = 0;

    const result = await run(aws, {
      inputs: { command: 'status', config: 'domtory.yml' },
      files: { 'domtory.yml': CONFIG },
    });
    expect(result.exitCode).toBe(0);
    expect(new Set(aws.actions())).toEqual(
      new Set(['DescribeInstances', 'DescribeAlarms', 'DescribeAlarmsForMetric', 'GetParameter']),
    );
    expect(result.outputs).toMatchObject({
      outcome: 'ok',
      'instance-state': 'running',
      'alarm-state': 'INSUFFICIENT_DATA',
      'lock-held': 'false',
      'last-outcome': 'recovered',
    });
    expect(result.stdout).toContain('Lock: free');
    expect(result.summary).toContain(
      '| 2025-05-01T10:00:00.000Z | recovered | 1 min 35 s | alarm domtory-recovery-web-cpu | yes | no |  |',
    );
  }, 30_000);

  it('status of an instance that does not exist fails the step: incomplete, not-found', async () => {
    const aws = await withFake();
    const result = await run(aws, {
      inputs: { command: 'status', ...SINGLE, 'instance-id': 'i-0fedcba9876543210', target: 'gone' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ outcome: 'incomplete', 'instance-state': 'not-found' });
    expect(result.errors[0]).toContain('gone: instance i-0fedcba9876543210 does not exist in ap-northeast-2');
    expect(result.stdout).toContain('Instance: not found in ap-northeast-2');
  }, 30_000);

  it('doctor names each failed check with its fix, and fails the job', async () => {
    const aws = await withFake({ deny: ['ec2:RebootInstances'] });
    const result = await run(aws, {
      inputs: { command: 'doctor', config: 'domtory.yml' },
      files: { 'domtory.yml': CONFIG },
    });

    expect(result.exitCode).toBe(1);
    const checks = JSON.parse(result.outputs.checks ?? '[]') as {
      check: string;
      status: string;
      fix?: string;
    }[];
    expect(Object.fromEntries(checks.map((check) => [check.check, check.status]))).toEqual({
      'Credentials and region': 'pass',
      'Instance exists': 'pass',
      'EC2 permissions (DryRun)': 'fail',
      'SSM agent reachable': 'pass',
      'Docker and compose': 'pass',
      'Parameter Store (lock and history)': 'pass',
      'CloudWatch metrics (evidence)': 'pass',
      'Alarm wired to its actions': 'fail',
    });
    expect(checks.find((check) => check.check === 'EC2 permissions (DryRun)')?.fix).toContain(
      'Allow ec2:RebootInstances',
    );
    expect(checks.find((check) => check.check === 'Alarm wired to its actions')?.fix).toContain(
      'Run the provision command',
    );
    expect(result.outputs).toMatchObject({ outcome: 'failed', failed: '2' });
    expect(result.errors[0]).toContain('2 check(s) failed');
    // Every EC2 state change was a dry run; the only command was the doctor's own, run as the compose user.
    expect(
      aws.calls
        .filter((call) => ['RebootInstances', 'StopInstances', 'StartInstances'].includes(call.action))
        .map((call) => call.params.DryRun),
    ).toEqual(['true', 'true', 'true']);
    expect(aws.callsOf('SendCommand').map(scriptOf)).toEqual(['doctor']);
    expect(JSON.stringify(aws.callsOf('SendCommand')[0]?.params)).toContain('runuser -u ubuntu');
    expect(aws.parameters.size).toBe(0);
  }, 30_000);

  it('doctor without a config file or alarm inputs (restart-only): the alarm check is skipped, not failed', async () => {
    const aws = await withFake();
    const result = await run(aws, { inputs: { command: 'doctor', ...SINGLE, target: 'web' } });

    const checks = JSON.parse(result.outputs.checks ?? '[]') as {
      check: string;
      status: string;
      detail: string;
    }[];
    expect(checks.filter((check) => check.status !== 'pass')).toEqual([
      expect.objectContaining({
        check: 'Alarm wired to its actions',
        status: 'skip',
        detail: expect.stringContaining('not configured (restart-only)'),
      }),
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ outcome: 'ok', failed: '0' });
    expect(result.stdout).toContain('⏭ Alarm wired to its actions: not configured (restart-only)');
    expect(result.summary).toContain('## ✅ Doctor: a recovery has what it needs');
    expect(aws.actions('cloudwatch')).not.toContain('DescribeAlarms');
  }, 30_000);

  it('doctor with alarm settings provision would refuse says so, rather than "run provision"', async () => {
    const aws = await withFake();
    const result = await run(aws, {
      inputs: { command: 'doctor', ...SINGLE, target: 'web', 'alarm-system-recovery': 'true' },
    });

    expect(result.exitCode).toBe(1);
    const checks = JSON.parse(result.outputs.checks ?? '[]') as {
      check: string;
      status: string;
      detail: string;
      fix?: string;
    }[];
    const alarm = checks.find((check) => check.check === 'Alarm wired to its actions');
    expect(alarm).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('the CPU alarm of web would do nothing'),
    });
    expect(alarm?.fix).not.toContain('Run the provision command');
    expect(result.outputs).toMatchObject({ outcome: 'failed', failed: '1' });
  }, 30_000);

  it("doctor: a cancelled run stops waiting for the doctor's command at once, and the check says why", async () => {
    const aws = await withFake({ hangingCommands: true });
    const started = performance.now();
    const result = await run(aws, {
      inputs: { command: 'doctor', config: 'domtory.yml' },
      files: { 'domtory.yml': CONFIG },
      interruptAfterMs: 3_000,
    });
    // The wait for the command lasts 45 s unless the cancellation ends it.
    expect(performance.now() - started).toBeLessThan(7_500);
    expect(result.exitCode).toBe(1);
    const checks = JSON.parse(result.outputs.checks ?? '[]') as {
      check: string;
      status: string;
      detail: string;
    }[];
    const ssm = checks.find((check) => check.check === 'SSM agent reachable');
    expect(ssm).toMatchObject({ status: 'fail' });
    expect(ssm?.detail).toContain("the workflow run was cancelled while the doctor's command");
  }, 30_000);

  it("doctor: timeout-minutes ends the wait for the doctor's command too, and the check names it", async () => {
    const aws = await withFake({ hangingCommands: true });
    const result = await run(aws, {
      inputs: { command: 'doctor', config: 'domtory.yml', 'timeout-minutes': '0.05' },
      files: { 'domtory.yml': CONFIG },
    });
    expect(result.exitCode).toBe(1);
    const checks = JSON.parse(result.outputs.checks ?? '[]') as { check: string; detail: string }[];
    expect(checks.find((check) => check.check === 'SSM agent reachable')?.detail).toContain(
      "the action's timeout-minutes (0.05) ran out while the doctor's command",
    );
  }, 30_000);
});

describe('secrets of a health URL never reach the log', () => {
  // A base64 token's `+` and a `%2F` are what a parsed URL would have decoded; the log prints the URL as written.
  const TOKEN = 'Zm9v+YmFy/cXV4';
  const SIGNATURE = 'c2ln%2Fc2ln';
  const PASSWORD = 'pa%24%24word';
  const HEALTH_URL = `https://probe:${PASSWORD}@app.example/health?api_key=${TOKEN}&sig=${SIGNATURE}&page=2`;

  const expectMasked = (result: Awaited<ReturnType<typeof run>>) => {
    expect(result.exitCode).toBe(0);
    // The core shows where it would probe without the query or password; the runner's masks are a second line.
    expect(result.stdout).toContain('would check docker compose ps and https://app.example/health?…');
    const printed = result.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    for (const secret of [TOKEN, SIGNATURE, PASSWORD, 'Zm9v YmFy', 'c2ln/c2ln', 'pa$$word']) {
      expect(printed).not.toContain(secret);
      expect(result.log).not.toContain(secret);
    }
  };

  it('a token in health-url, as written and decoded, never shows in the log', async () => {
    const aws = await withFake();
    expectMasked(
      await run(aws, {
        inputs: { command: 'restart', ...SINGLE, 'health-url': HEALTH_URL, 'dry-run': 'true' },
      }),
    );
  }, 30_000);

  it("the config file's healthCheck.url is masked the same way", async () => {
    const aws = await withFake();
    const config = CONFIG.replace(
      '      user: ubuntu\n',
      `      user: ubuntu\n    healthCheck:\n      url: "${HEALTH_URL}"\n`,
    );
    expect(config).toContain(HEALTH_URL);
    expectMasked(
      await run(aws, {
        inputs: { command: 'restart', config: 'domtory.yml', 'dry-run': 'true' },
        files: { 'domtory.yml': config },
      }),
    );
  }, 30_000);
});

describe('bad inputs: a clear error, exit 1 and no AWS call', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['unknown command', { command: 'reboot', ...SINGLE }, 'command: unknown command "reboot"'],
    [
      'malformed instance id',
      { command: 'restart', ...SINGLE, 'instance-id': 'i-12345' },
      'instance-id: must be an EC2 instance id',
    ],
    [
      'target missing from the config',
      { command: 'restart', config: 'domtory.yml', target: 'db' },
      'target: "db" is not a target in domtory.yml: use one of web',
    ],
    [
      'invalid threshold',
      { command: 'provision', ...SINGLE, 'alarm-topic-arn': TOPIC, 'alarm-threshold': '250' },
      'alarm-threshold: CPUUtilization is a percentage',
    ],
    [
      'invalid statistic',
      { command: 'provision', ...SINGLE, 'alarm-topic-arn': TOPIC, 'alarm-statistic': 'Median' },
      'alarm-statistic: "Median" is not one of Average, Minimum, Maximum, Sum, SampleCount',
    ],
    [
      'timeout-minutes of 0',
      { command: 'status', ...SINGLE, 'timeout-minutes': '0' },
      'timeout-minutes: must be more than 0 and at most 360',
    ],
    [
      'timeout-minutes over 6 hours',
      { command: 'status', ...SINGLE, 'timeout-minutes': '361' },
      'timeout-minutes: must be more than 0 and at most 360',
    ],
    [
      'timeout-minutes not a number',
      { command: 'status', ...SINGLE, 'timeout-minutes': '35m' },
      'timeout-minutes: must be a number, got "35m"',
    ],
    [
      'contradictory inputs',
      { command: 'restart', config: 'domtory.yml', 'instance-id': DEFAULT_INSTANCE_ID },
      'instance-id: cannot be combined with config',
    ],
  ];

  it.each(cases)(
    '%s',
    async (_name, inputs, message) => {
      const aws = await withFake();
      const result = await run(aws, { inputs, files: { 'domtory.yml': CONFIG } });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toContain('Invalid inputs, nothing was done:');
      expect(result.errors[0]).toContain(message);
      expect(result.outputs).toEqual({ outcome: 'invalid-inputs' });
      expect(result.summary).toContain('## ❌ Invalid inputs: nothing was done');
      expect(aws.calls).toEqual([]);
    },
    20_000,
  );
});
