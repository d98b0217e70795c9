import { describe, expect, it } from 'vitest';
import {
  InputError,
  type InputName,
  type Inputs,
  parseInputs,
  type RunnerEnvironment,
  secretsOf,
  targetSecrets,
  urlSecrets,
} from './inputs.js';

const CONFIG = `
version: 1
region: ap-northeast-2
targets:
  web:
    instanceId: i-0123456789abcdef0
    compose:
      directory: /srv/app
    alarm:
      topicArn: arn:aws:sns:ap-northeast-2:123456789012:domtory-recovery
  api:
    instanceId: i-0fedcba9876543210
    region: us-east-1
    compose:
      directory: /srv/api
    alarm:
      rebootAction: true
`;

const ENV: RunnerEnvironment = { workspace: '/ws', actor: 'octocat', repository: 'octo/app', runId: '7' };

function parse(
  inputs: Partial<Record<InputName, string>>,
  options: { env?: RunnerEnvironment; files?: Record<string, string> } = {},
) {
  return parseInputs({
    read: (name) => inputs[name] ?? '',
    env: options.env ?? ENV,
    readFile: (path) => {
      const content = options.files?.[path];
      if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return content;
    },
  });
}

async function problemsOf(inputs: Partial<Record<InputName, string>>, options?: Parameters<typeof parse>[1]) {
  const error = await parse(inputs, options).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof InputError)) throw new Error(`expected an InputError, got ${String(error)}`);
  return error.problems;
}

const SINGLE = {
  'instance-id': 'i-0123456789abcdef0',
  'aws-region': 'ap-northeast-2',
  'compose-directory': '/srv/app',
};

describe('parseInputs: a single target from inputs', () => {
  it('builds a restart with the config defaults and the run context', async () => {
    const inputs = await parse({ command: 'restart', ...SINGLE });
    expect(inputs.command).toBe('restart');
    if (inputs.command !== 'restart') return;
    expect(inputs.target).toMatchObject({
      name: 'i-0123456789abcdef0',
      instanceId: 'i-0123456789abcdef0',
      region: 'ap-northeast-2',
      compose: { directory: '/srv/app', command: 'auto' },
      escalate: true,
      timeouts: { reboot: 420 },
      alarm: { threshold: 95, statistic: 'Average', periodSeconds: 300 },
    });
    expect(inputs.dryRun).toBe(false);
    expect(inputs.parameterPrefix).toBe('/domtory-recovery');
    expect(inputs.context).toEqual({
      owner: 'github:octo/app#7',
      trigger: { kind: 'github', actor: 'octocat', detail: 'https://github.com/octo/app/actions/runs/7' },
      runUrl: 'https://github.com/octo/app/actions/runs/7',
    });
  });

  it('takes the region from AWS_REGION when the input is empty', async () => {
    const inputs = await parse(
      { command: 'status', 'instance-id': 'i-0123456789abcdef0' },
      { env: { ...ENV, awsRegion: 'eu-west-1' } },
    );
    expect(inputs.command === 'status' && inputs.targets[0]?.region).toBe('eu-west-1');
  });

  it('accepts a statistic in any case and spells it as CloudWatch does', async () => {
    const inputs = await parse({
      command: 'provision',
      ...SINGLE,
      'alarm-statistic': 'maximum',
      'alarm-reboot-action': 'true',
    });
    expect(inputs.command === 'provision' && inputs.targets[0]?.alarm.statistic).toBe('Maximum');
  });

  it('masks the subscription endpoint and a health URL password before anything else', () => {
    const read = (name: InputName) =>
      ({
        'subscription-endpoint': 'https://bot.example.com/sns?token=abc',
        'health-url': 'https://user:p%40ss@app.example.com/health?api_key=k123&page=2',
      })[name as string] ?? '';
    expect(secretsOf(read)).toEqual(['https://bot.example.com/sns?token=abc', 'p%40ss', 'p@ss', 'k123']);
  });

  it('masks a URL token as written, not only as a parsed URL decodes it', () => {
    // searchParams reads `+` as a space and `%2F` as `/`; the log prints what was written.
    expect(urlSecrets('https://app.example/health?api_key=Zm9v+YmFy/cXV4&page=2')).toEqual([
      'Zm9v+YmFy/cXV4',
      'Zm9v YmFy/cXV4',
    ]);
    expect(urlSecrets('https://app.example/health?Token=a%2Fb%2Bc#token=not-sent')).toEqual([
      'a%2Fb%2Bc',
      'a/b+c',
    ]);
    // A password written with characters the URL parser percent-encodes: both spellings.
    expect(urlSecrets('https://probe:p@ss w@app.example/')).toEqual(['p@ss w', 'p%40ss%20w']);
    expect(urlSecrets('https://app.example/health?page=2')).toEqual([]);
    expect(urlSecrets('not a url?token=abc')).toEqual([]);
  });

  it("masks the config file's health URLs, which are no input", async () => {
    const config = `${CONFIG}    healthCheck:\n      url: https://api.example/health?token=t0k+en\n`;
    const inputs = await parse(
      { command: 'status', config: 'domtory.yml' },
      { files: { '/ws/domtory.yml': config } },
    );
    if (inputs.command !== 'status') throw new Error(inputs.command);
    expect(targetSecrets(inputs.targets)).toEqual(['t0k+en', 't0k en']);
  });
});

describe('parseInputs: bad inputs are refused with every problem named after its input', () => {
  it('an unknown command', async () => {
    expect(await problemsOf({ command: 'reboot', ...SINGLE })).toEqual([
      {
        input: 'command',
        message: 'unknown command "reboot": use one of restart, provision, status, doctor',
      },
    ]);
    expect(await problemsOf({ ...SINGLE })).toEqual([
      { input: 'command', message: 'is required: one of restart, provision, status, doctor' },
    ]);
  });

  it('a malformed instance id', async () => {
    expect(await problemsOf({ command: 'restart', ...SINGLE, 'instance-id': 'i-123' })).toEqual([
      { input: 'instance-id', message: 'must be an EC2 instance id like i-0123456789abcdef0' },
    ]);
  });

  it('missing instance id and region without a config', async () => {
    expect(await problemsOf({ command: 'restart', 'compose-directory': '/srv/app' })).toEqual([
      { input: 'instance-id', message: 'is required without a config file (or give config and target)' },
      {
        input: 'aws-region',
        message:
          'is required without a config file (or set AWS_REGION, as aws-actions/configure-aws-credentials does)',
      },
    ]);
  });

  it('an invalid threshold, statistic, period and a non-number, all at once', async () => {
    const problems = await problemsOf({
      command: 'provision',
      ...SINGLE,
      'alarm-reboot-action': 'true',
      'alarm-threshold': '150',
      'alarm-statistic': 'p99',
      'alarm-period-seconds': '45',
      'alarm-evaluation-periods': 'two',
    });
    expect(problems).toEqual([
      { input: 'alarm-evaluation-periods', message: 'must be a number, got "two"' },
      { input: 'alarm-threshold', message: 'CPUUtilization is a percentage: use a value up to 100' },
      {
        input: 'alarm-statistic',
        message: '"p99" is not one of Average, Minimum, Maximum, Sum, SampleCount',
      },
      { input: 'alarm-period-seconds', message: 'must be 10, 30 or a multiple of 60 seconds' },
    ]);
  });

  it('a threshold of zero and datapoints beyond the evaluation periods', async () => {
    const problems = await problemsOf({
      command: 'provision',
      ...SINGLE,
      'alarm-reboot-action': 'true',
      'alarm-threshold': '0',
      'alarm-evaluation-periods': '2',
      'alarm-datapoints-to-alarm': '3',
    });
    expect(problems).toEqual([
      { input: 'alarm-threshold', message: 'must be more than 0' },
      { input: 'alarm-datapoints-to-alarm', message: 'datapointsToAlarm cannot exceed evaluationPeriods' },
    ]);
  });

  it('a boolean that is not true or false', async () => {
    expect(await problemsOf({ command: 'restart', ...SINGLE, 'dry-run': 'yes' })).toEqual([
      { input: 'dry-run', message: 'must be true or false, got "yes"' },
    ]);
  });

  it('a target that is not in the config', async () => {
    const problems = await problemsOf(
      { command: 'restart', config: 'domtory.yml', target: 'db' },
      { files: { '/ws/domtory.yml': CONFIG } },
    );
    expect(problems).toEqual([
      { input: 'target', message: '"db" is not a target in domtory.yml: use one of web, api' },
    ]);
  });

  it('a config file that is missing or invalid', async () => {
    expect(await problemsOf({ command: 'status', config: 'nope.yml' })).toEqual([
      {
        input: 'config',
        message:
          'nope.yml does not exist in the workspace: check out the repository first (actions/checkout) and give the path relative to its root',
      },
    ]);
    const problems = await problemsOf(
      { command: 'status', config: 'bad.yml' },
      { files: { '/ws/bad.yml': 'targets:\n  web:\n    instanceId: i-1\n' } },
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.input).toBe('config');
    expect(problems[0]?.message).toContain('targets.web.instanceId: must be an EC2 instance id');
  });

  it('restart without a target when the config has several', async () => {
    expect(
      await problemsOf({ command: 'restart', config: 'c.yml' }, { files: { '/ws/c.yml': CONFIG } }),
    ).toEqual([
      { input: 'target', message: 'is required for restart: c.yml has several targets (web, api)' },
    ]);
  });

  describe('contradictory inputs', () => {
    it('a config file and inputs that describe a target', async () => {
      const problems = await problemsOf(
        {
          command: 'restart',
          config: 'c.yml',
          target: 'web',
          'instance-id': 'i-0123456789abcdef0',
          'alarm-threshold': '90',
        },
        { files: { '/ws/c.yml': CONFIG } },
      );
      expect(problems).toEqual([
        {
          input: 'instance-id',
          message:
            'cannot be combined with config: the config file describes the targets, set targets.<name>.instanceId there',
        },
        {
          input: 'alarm-threshold',
          message:
            'cannot be combined with config: the config file describes the targets, set targets.<name>.alarm.threshold there',
        },
      ]);
    });

    it('a region that disagrees with the config', async () => {
      const problems = await problemsOf(
        { command: 'status', config: 'c.yml', target: 'api', 'aws-region': 'ap-northeast-2' },
        { files: { '/ws/c.yml': CONFIG } },
      );
      expect(problems).toEqual([
        {
          input: 'aws-region',
          message:
            'is ap-northeast-2 but c.yml puts target api in us-east-1: drop aws-region or correct the config',
        },
      ]);
    });

    it('provision-only inputs on another command', async () => {
      expect(await problemsOf({ command: 'restart', ...SINGLE, 'create-topic': 'true' })).toEqual([
        { input: 'create-topic', message: 'only the provision command uses it, not restart' },
      ]);
    });

    it('a topic to create or subscribe to without a topic', async () => {
      const problems = await problemsOf({
        command: 'provision',
        ...SINGLE,
        'alarm-reboot-action': 'true',
        'create-topic': 'true',
        'subscription-endpoint': 'https://bot.example.com/sns',
      });
      expect(problems.map((problem) => problem.input)).toEqual(['create-topic', 'subscription-endpoint']);
    });

    it('an alarm that would do nothing, a topic in another region, an expected status without a URL', async () => {
      const problems = await problemsOf({
        command: 'provision',
        ...SINGLE,
        'health-expect-status': '200',
      });
      expect(problems).toEqual([
        {
          input: 'health-expect-status',
          message: 'needs health-url: there is nothing to expect a status from',
        },
      ]);
      const more = await problemsOf({
        command: 'provision',
        ...SINGLE,
        'alarm-topic-arn': 'arn:aws:sns:us-east-1:123456789012:t',
      });
      expect(more).toEqual([
        {
          input: 'alarm-topic-arn',
          message:
            "the topic of i-0123456789abcdef0 is in us-east-1 but the instance is in ap-northeast-2: CloudWatch only notifies topics in the alarm's own region",
        },
      ]);
      const nothing = await problemsOf({ command: 'provision', ...SINGLE });
      expect(nothing[0]?.input).toBe('alarm-reboot-action');
      expect(nothing[0]?.message).toContain('would do nothing');
    });

    it('a subscription endpoint that is not https, without echoing it', async () => {
      const problems = await problemsOf({
        command: 'provision',
        ...SINGLE,
        'alarm-topic-arn': 'arn:aws:sns:ap-northeast-2:123456789012:t',
        'subscription-endpoint': 'http://bot.example.com/sns?token=s3cret',
      });
      expect(problems).toEqual([
        {
          input: 'subscription-endpoint',
          message: "must be the bot's https:// URL (SNS delivers to HTTPS endpoints only)",
        },
      ]);
      expect(JSON.stringify(problems)).not.toContain('s3cret');
    });
  });
});

describe('parseInputs: targets from the config file', () => {
  it('provision, status and doctor act on every target when none is named', async () => {
    const inputs: Inputs = await parse(
      { command: 'provision', config: 'c.yml' },
      { files: { '/ws/c.yml': CONFIG } },
    );
    expect(
      inputs.command === 'provision' && inputs.targets.map((target) => [target.name, target.region]),
    ).toEqual([
      ['web', 'ap-northeast-2'],
      ['api', 'us-east-1'],
    ]);
  });

  it('the only target of a config is the restart target', async () => {
    const single =
      'region: eu-west-1\ntargets:\n  web:\n    instanceId: i-0123456789abcdef0\n    compose:\n      directory: /srv\n';
    const inputs = await parse(
      { command: 'restart', config: '/abs/c.yml' },
      { files: { '/abs/c.yml': single } },
    );
    expect(inputs.command === 'restart' && inputs.target.name).toBe('web');
  });

  it('notes the detailed-monitoring cost of a short period and a dry run that does nothing', async () => {
    const short = CONFIG.replace(
      '    alarm:\n      rebootAction: true',
      '    alarm:\n      rebootAction: true\n      periodSeconds: 60',
    );
    const inputs = await parse({ command: 'provision', config: 'c.yml' }, { files: { '/ws/c.yml': short } });
    expect(inputs.notes.join('\n')).toContain('needs detailed monitoring');
    const status = await parse(
      { command: 'status', config: 'c.yml', 'dry-run': 'true' },
      { files: { '/ws/c.yml': CONFIG } },
    );
    expect(status.notes).toEqual(['dry-run has no effect on status: it changes nothing anyway']);
  });
});
