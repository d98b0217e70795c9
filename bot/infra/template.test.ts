// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are CloudFormation's own ${} syntax, not JavaScript's.
import { describe, expect, it } from 'vitest';
import { desiredAlarms } from '../../shared/alarm/alarm-spec.js';
import { ALARM_STATISTICS, parseConfig, resolveTarget } from '../../shared/index.js';
import { ENV, loadLambdaSettings } from '../lambda/settings.js';
import {
  type EvaluatedTemplate,
  evaluateTemplate,
  type Json,
  loadTemplate,
  parseTemplate,
  unresolvedReferences,
} from './cfn-template.js';

const REQUIRED = {
  InstanceId: 'i-0aaaaaaaaaaaaaaa1',
  ConfigYaml: 'targets: {}',
  SlackBotToken: 'xoxb-test',
  SlackSigningSecret: '0123456789abcdef0123',
};
const template = loadTemplate();
const stack = (overrides: Record<string, string> = {}): EvaluatedTemplate =>
  evaluateTemplate(template, { parameters: { ...REQUIRED, ...overrides } });
const props = (evaluated: EvaluatedTemplate, name: string): Record<string, Json> => {
  const resource = evaluated.resources[name];
  if (resource === undefined) throw new Error(`${name} does not exist`);
  return resource.Properties;
};

/** Objects that are still intrinsic functions; IAM's own `Condition` blocks are objects, not condition names. */
function leftoverIntrinsics(value: unknown, where = ''): string[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => leftoverIntrinsics(item, `${where}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first !== undefined) {
    const [key, arg] = first;
    if (key === 'Ref' || key.startsWith('Fn::') || (key === 'Condition' && typeof arg === 'string'))
      return [where];
  }
  return entries.flatMap(([key, item]) => leftoverIntrinsics(item, `${where}.${key}`));
}

describe('template.yaml parses as CloudFormation reads it', () => {
  it('turns the short-form tags into intrinsic functions, ${} references in !Sub included', () => {
    const parsed = parseTemplate(
      [
        'Parameters: { P: { Type: String } }',
        'Conditions: { C: !Equals [!Ref P, x], D: !And [!Condition C, !Not [!Equals [!Ref P, y]]] }',
        'Resources:',
        '  R:',
        '    Type: AWS::SNS::Topic',
        '    Properties:',
        '      A: !GetAtt R.TopicName',
        "      B: !Sub 'arn:${AWS::Partition}:x:${P}'",
        '      C: !If [C, !Select [0, !Split [",", !Join [",", [a, b]]]], !Ref AWS::NoValue]',
      ].join('\n'),
    );
    expect(parsed.Resources.R?.Properties).toEqual({
      A: { 'Fn::GetAtt': ['R', 'TopicName'] },
      B: { 'Fn::Sub': 'arn:${AWS::Partition}:x:${P}' },
      C: {
        'Fn::If': [
          'C',
          { 'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::Join': [',', ['a', 'b']] }] }] },
          { Ref: 'AWS::NoValue' },
        ],
      },
    });
    expect(parsed.Conditions?.D).toEqual({
      'Fn::And': [{ Condition: 'C' }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'P' }, 'y'] }] }],
    });
  });

  it('refuses a tag CloudFormation does not know, and broken YAML', () => {
    expect(() => parseTemplate('Resources: { R: { Type: X, Properties: { A: !Reff P } } }')).toThrow(
      /does not parse/,
    );
    expect(() => parseTemplate('Resources:\n  R: [a\n')).toThrow(/does not parse/);
  });

  it('resolves every Ref, GetAtt, Sub variable, DependsOn and Condition', () => {
    expect(unresolvedReferences(template)).toEqual([]);
  });

  it('would notice a reference that resolves to nothing', () => {
    const broken = parseTemplate(
      [
        'Parameters: { P: { Type: String } }',
        'Conditions: { C: !Equals [!Ref P, x] }',
        'Resources:',
        '  R:',
        '    Type: AWS::SNS::Topic',
        '    Condition: Missing',
        '    DependsOn: [Ghost]',
        '    Properties:',
        '      A: !Ref Nope',
        '      B: !GetAtt P.Arn',
        "      C: !Sub 'x-${Undefined}-${!Escaped}-${AWS::Region}-${R.TopicName}-${Var}'",
        "      D: !Sub ['${Var}', { Var: !Ref P }]",
        '      E: !If [NoSuchCondition, a, b]',
      ].join('\n'),
    );
    expect(unresolvedReferences(broken)).toEqual([
      'Resources.R.Condition: Missing is not defined',
      'Resources.R.DependsOn: Ghost is no resource',
      'Resources.R.Properties.A.Ref: Ref "Nope" names nothing',
      'Resources.R.Properties.B.Fn::GetAtt: GetAtt ["P","Arn"] names no resource',
      'Resources.R.Properties.C.Fn::Sub: Sub variable ${Undefined} names nothing',
      'Resources.R.Properties.C.Fn::Sub: Sub variable ${Var} names nothing',
      'Resources.R.Properties.E.Fn::If: Fn::If names no condition ("NoSuchCondition")',
    ]);
  });

  it('deploys under every combination of its optional parts: no reference to a resource that a condition removed', () => {
    const choices: Record<string, [string, string]> = {
      SecondInstanceId: ['', 'i-0bbbbbbbbbbbbbbb2'],
      ThirdInstanceId: ['', 'i-0ccccccccccccccc3'],
      TargetName: ['', 'web'],
      AlarmRebootsInstance: ['false', 'true'],
      LegacyAlarmName: ['', 'old-cpu-alarm'],
      GitHubRepository: ['', 'acme/domtory'],
      GitHubOidcProviderArn: [
        '',
        'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      ],
    };
    const names = Object.keys(choices);
    let combinations = 0;
    for (let mask = 0; mask < 2 ** names.length; mask++) {
      const overrides = Object.fromEntries(
        names.map((name, bit) => [name, (choices[name] as [string, string])[(mask >> bit) & 1] as string]),
      );
      const evaluated = stack(overrides);
      // Nothing left unevaluated: every value is plain data CloudFormation would send to the service.
      expect(leftoverIntrinsics(evaluated.resources)).toEqual([]);
      expect(leftoverIntrinsics(evaluated.outputs)).toEqual([]);
      combinations++;
    }
    expect(combinations).toBe(128);
  });
});

describe('the function', () => {
  const evaluated = stack({ FunctionTimeout: '840' });
  const fn = props(evaluated, 'Function');

  it('runs the bundle on Node 24, arm64, with the timeout it is told about', () => {
    expect(fn).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: '840',
    });
    expect(Number(fn.MemorySize)).toBeGreaterThanOrEqual(256);
    expect(Number(fn.MemorySize)).toBeLessThanOrEqual(1024);
    // The cold-start check reads the timeout from the environment: both come from the same parameter.
    expect((fn.Environment as { Variables: Record<string, string> }).Variables[ENV.timeout]).toBe('840');
    expect(template.Parameters?.FunctionTimeout).toMatchObject({ MaxValue: 900 });
  });

  it('sets exactly the environment the function reads', () => {
    const variables = (fn.Environment as { Variables: Record<string, string> }).Variables;
    const read = new Set<string>(Object.values(ENV));
    for (const name of Object.keys(variables)) expect(read.has(name), name).toBe(true);
    for (const name of [
      ENV.config,
      ENV.botToken,
      ENV.signingSecret,
      ENV.timeout,
      ENV.topicArn,
      ENV.parameterPrefix,
      ENV.instanceIds,
    ]) {
      expect(variables[name], name).toBeDefined();
    }
    expect(template.Parameters?.SlackBotToken?.NoEcho).toBe(true);
    expect(template.Parameters?.SlackSigningSecret?.NoEcho).toBe(true);
  });

  it('starts with that environment and a config that fits, and refuses one the stack did not grant', () => {
    const config = [
      'region: ap-northeast-2',
      'targets:',
      '  web:',
      '    instanceId: i-0aaaaaaaaaaaaaaa1',
      '    compose: { directory: /srv/web }',
      '    escalate: false',
      '    timeouts: { start: 120, evidence: 15, reboot: 330, compose: 180, verify: 120 }',
      'slack: { channel: C0OPS }',
    ].join('\n');
    const env = (overrides: Record<string, string>) => {
      const variables = (
        props(stack({ ConfigYaml: config, ...overrides }), 'Function').Environment as {
          Variables: Record<string, string>;
        }
      ).Variables;
      return { ...variables, AWS_REGION: 'ap-northeast-2' };
    };
    const loaded = loadLambdaSettings(env({}));
    expect(loaded.ok && loaded.settings.topicArns).toEqual(['«AlarmTopic»']);
    const other = loadLambdaSettings(env({ InstanceId: 'i-0ddddddddddddddd4' }));
    expect(other.ok ? [] : other.problems).toEqual([
      expect.stringContaining("is not one of the stack's instances (i-0ddddddddddddddd4)"),
    ]);
  });

  it('does not retry asynchronous invocations: a retried recovery would restart the instance again', () => {
    expect(props(evaluated, 'FunctionAsyncConfig')).toMatchObject({
      FunctionName: '«Function»',
      MaximumRetryAttempts: 0,
    });
  });

  it('is reachable by Slack through a public URL, and by nobody directly', () => {
    expect(props(evaluated, 'FunctionUrl')).toEqual({
      TargetFunctionArn: '«Function.Arn»',
      AuthType: 'NONE',
      InvokeMode: 'BUFFERED',
    });
    const permissions = Object.values(evaluated.resources)
      .filter((resource) => resource.Type === 'AWS::Lambda::Permission')
      .map((resource) => resource.Properties);
    const publicOnes = permissions.filter((permission) => permission.Principal === '*');
    expect(publicOnes).toEqual([
      {
        FunctionName: '«Function»',
        Action: 'lambda:InvokeFunctionUrl',
        Principal: '*',
        FunctionUrlAuthType: 'NONE',
      },
      // Without this condition anyone could invoke the function with a forged internal run event.
      {
        FunctionName: '«Function»',
        Action: 'lambda:InvokeFunction',
        Principal: '*',
        InvokedViaFunctionUrl: true,
      },
    ]);
    expect(permissions.filter((permission) => permission.Principal !== '*')).toEqual([
      {
        FunctionName: '«Function»',
        Action: 'lambda:InvokeFunction',
        Principal: 'sns.amazonaws.com',
        SourceArn: '«AlarmTopic»',
      },
    ]);
    expect(props(stack({ LegacyAlarmName: 'old-cpu' }), 'LegacyAlarmInvokePermission')).toEqual({
      FunctionName: '«Function»',
      Action: 'lambda:InvokeFunction',
      Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
      SourceAccount: '123456789012',
      SourceArn: 'arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:old-cpu',
    });
  });

  it('keeps its logs in its own group with a bounded retention', () => {
    expect(props(evaluated, 'FunctionLogGroup')).toEqual({
      LogGroupName: '/aws/lambda/domtory-recovery-bot',
      RetentionInDays: '30',
    });
    expect(fn.LoggingConfig).toEqual({ LogGroup: '«FunctionLogGroup»', LogFormat: 'Text' });
    expect(fn.FunctionName).toBe('domtory-recovery-bot');
  });
});

describe('the alarm wiring', () => {
  const evaluated = stack({ TargetName: 'web' });

  it('subscribes the function to the topic, which only domtory-recovery alarms of this account may publish to', () => {
    expect(props(evaluated, 'AlarmSubscription')).toEqual({
      TopicArn: '«AlarmTopic»',
      Protocol: 'lambda',
      Endpoint: '«Function.Arn»',
    });
    const policy = props(evaluated, 'AlarmTopicPolicy');
    expect(policy.Topics).toEqual(['«AlarmTopic»']);
    expect((policy.PolicyDocument as { Statement: Json[] }).Statement).toEqual([
      {
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: '«AlarmTopic»',
        Condition: {
          ArnLike: {
            'aws:SourceArn': 'arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:domtory-recovery-*',
          },
          StringEquals: { 'aws:SourceAccount': '123456789012' },
        },
      },
    ]);
  });

  it("creates the same CPU alarm the action's provision command would, so provision finds nothing to change", () => {
    const target = resolveTarget(
      parseConfig(
        'region: ap-northeast-2\ntargets:\n  web:\n    instanceId: i-0aaaaaaaaaaaaaaa1\n    compose: { directory: /srv }\n    alarm: { topicArn: "arn:aws:sns:ap-northeast-2:123456789012:domtory-recovery-alarms" }\n',
      ),
      'web',
    );
    const [desired] = desiredAlarms(target).alarms;
    const spec = desired?.spec;
    if (spec === undefined) throw new Error('no desired alarm');
    const alarm = props(evaluated, 'CpuAlarm');
    expect(alarm).toMatchObject({
      AlarmName: spec.AlarmName,
      Namespace: spec.Namespace,
      MetricName: spec.MetricName,
      Dimensions: spec.Dimensions,
      Statistic: spec.Statistic,
      ComparisonOperator: spec.ComparisonOperator,
      TreatMissingData: spec.TreatMissingData,
      AlarmActions: ['«AlarmTopic»'],
      OKActions: ['«AlarmTopic»'],
    });
    expect(
      [alarm.Period, alarm.EvaluationPeriods, alarm.DatapointsToAlarm, alarm.Threshold].map(Number),
    ).toEqual([spec.Period, spec.EvaluationPeriods, spec.DatapointsToAlarm, spec.Threshold]);
    expect(template.Parameters?.AlarmStatistic?.AllowedValues).toEqual([...ALARM_STATISTICS]);
  });

  it('adds the EC2 reboot action only when asked, and no alarm at all without a target name', () => {
    expect(
      props(stack({ TargetName: 'web', AlarmRebootsInstance: 'true' }), 'CpuAlarm').AlarmActions,
    ).toEqual(['«AlarmTopic»', 'arn:aws:automate:ap-northeast-2:ec2:reboot']);
    expect(stack().resources.CpuAlarm).toBeUndefined();
  });

  it("gives the instance a profile with SSM's managed policy", () => {
    expect(props(evaluated, 'InstanceProfile')).toEqual({ Roles: ['«InstanceRole»'] });
    expect(props(evaluated, 'InstanceRole').AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });

  it('prints what the deploy guide needs', () => {
    expect(Object.keys(stack({ GitHubRepository: 'acme/domtory' }).outputs).sort()).toEqual([
      'AlarmTopicArn',
      'FunctionName',
      'FunctionUrl',
      'GitHubRoleArn',
      'InstanceProfileName',
    ]);
  });
});
