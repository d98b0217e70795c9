import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type EvaluatedTemplate, evaluateTemplate, loadTemplate, type Template } from './cfn-template.js';
import { compareActions, grantedActions, type RoleGrants, roleGrants } from './iam-policies.js';
import { deriveSdkCommands, iamActionOf, iamActionsOf } from './sdk-commands.js';

/**
 * The permissions in template.yaml against the AWS calls the code can make: derived from each front end's import
 * graph, never listed by hand. A command added to the code without its permission fails here (it would fail
 * with AccessDenied in production); a permission no code needs fails here too (it would only widen the blast
 * radius of a leaked credential).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Actions a role needs although no SDK command of ours sends them, each with its reason. */
const FUNCTION_ROLE_ALLOWED: Record<string, string> = {
  'logs:CreateLogStream': 'the Lambda runtime writes the function output to its log group',
  'logs:PutLogEvents': 'the Lambda runtime writes the function output to its log group',
};
const GITHUB_ROLE_ALLOWED: Record<string, string> = {
  'cloudwatch:TagResource':
    'PutMetricAlarm with Tags (alarm-provisioner.ts) is also authorised as TagResource',
  'sns:TagResource': 'CreateTopic with Tags (sns-topics.ts) is also authorised as TagResource',
  'iam:CreateServiceLinkedRole':
    "PutMetricAlarm with an EC2 action creates CloudWatch's service-linked role the first time (rebootAction, systemRecovery)",
};

const INSTANCES = ['i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2', 'i-0ccccccccccccccc3'];
const REQUIRED = {
  InstanceId: INSTANCES[0] as string,
  ConfigYaml: 'targets: {}',
  SlackBotToken: 'xoxb-test',
  SlackSigningSecret: '0123456789abcdef0123',
};

function evaluated(
  overrides: Record<string, string> = {},
  template: Template = loadTemplate(),
): EvaluatedTemplate {
  return evaluateTemplate(template, {
    parameters: { ...REQUIRED, GitHubRepository: 'acme/domtory', ...overrides },
  });
}

const derivations = {
  action: deriveSdkCommands(ROOT, 'action/index.ts'),
  lambda: deriveSdkCommands(ROOT, 'bot/lambda/index.ts'),
  server: deriveSdkCommands(ROOT, 'bot/server.ts'),
};
const derived = {
  action: iamActionsOf(derivations.action),
  lambda: iamActionsOf(derivations.lambda),
  server: iamActionsOf(derivations.server),
};

describe("the derivation of each front end's AWS calls", () => {
  it("walks the lazily loaded code too: the action's commands, the adapters behind the bot's ports, the hand-off", () => {
    expect(derivations.action.files).toEqual(
      expect.arrayContaining(['action/commands/provision.ts', 'shared/alarm/sns-topics.ts']),
    );
    expect(derivations.lambda.files).toEqual(
      expect.arrayContaining(['bot/lambda/lambda-invoker.ts', 'shared/aws/ec2-adapter.ts']),
    );
    expect(derived.lambda).toEqual(
      expect.arrayContaining(['lambda:InvokeFunction', 'ec2:RebootInstances', 'ssm:SendCommand']),
    );
    // The bot never provisions alarms; the action never hands work over.
    expect(
      derived.lambda.some((action) => action.startsWith('sns:') || action === 'cloudwatch:PutMetricAlarm'),
    ).toBe(false);
    expect(derived.action).not.toContain('lambda:InvokeFunction');
  });

  it('names the IAM action, which is not always the operation', () => {
    expect(iamActionOf({ client: 'lambda', operation: 'Invoke' })).toBe('lambda:InvokeFunction');
    expect(iamActionOf({ client: 'ssm', operation: 'GetCommandInvocation' })).toBe(
      'ssm:GetCommandInvocation',
    );
    expect(iamActionOf({ client: 'cloudwatch', operation: 'PutMetricAlarm' })).toBe(
      'cloudwatch:PutMetricAlarm',
    );
    expect(() => iamActionOf({ client: 'ecs', operation: 'RunTask' })).toThrow(/no IAM mapping/);
  });

  describe('on code it has never seen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'domtory-derive-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };

    it('counts commands that are constructed, through static and dynamic imports, and nothing else', () => {
      write(
        'entry.ts',
        "export { x } from './reexported.js';\nexport const load = () => import('./lazy/reboot.js');\n",
      );
      write(
        'reexported.ts',
        "import type { StopInstancesCommand } from '@aws-sdk/client-ec2';\nexport type x = StopInstancesCommand;\n",
      );
      write(
        'lazy/reboot.ts',
        "import { EC2Client, RebootInstancesCommand as Reboot, StartInstancesCommand, type TerminateInstancesCommandInput } from '@aws-sdk/client-ec2';\n" +
          "import { PutParameterCommand } from '@aws-sdk/client-ssm';\n" +
          'export const go = (c: EC2Client, i: TerminateInstancesCommandInput) => c.send(new Reboot({ InstanceIds: [] }));\n' +
          'export const unused = StartInstancesCommand;\nexport const put = () => new PutParameterCommand({ Name: "x", Value: "y" });\n',
      );
      const result = deriveSdkCommands(dir, 'entry.ts');
      // Type-only imports, imports that are never constructed and Input types are not calls.
      expect(iamActionsOf(result)).toEqual(['ec2:RebootInstances', 'ssm:PutParameter']);
      expect(result.files).toEqual(['entry.ts', 'lazy/reboot.ts', 'reexported.ts']);
    });

    it('refuses what it cannot see through instead of under-counting', () => {
      write(
        'namespace.ts',
        "import * as ec2 from '@aws-sdk/client-ec2';\nexport const go = () => new ec2.RebootInstancesCommand({});\n",
      );
      expect(() => deriveSdkCommands(dir, 'namespace.ts')).toThrow(/namespace import/);
      write('computed.ts', "const name = './lazy/reboot.js';\nexport const go = () => import(name);\n");
      expect(() => deriveSdkCommands(dir, 'computed.ts')).toThrow(/computed path/);
      write('missing.ts', "export * from './nowhere.js';\n");
      expect(() => deriveSdkCommands(dir, 'missing.ts')).toThrow(/cannot resolve/);
    });
  });
});

describe('the comparison', () => {
  it('reports an action the code sends but the role lacks, and one the role grants but no code sends', () => {
    const result = compareActions(
      ['ec2:RebootInstances', 'ssm:SendCommand'],
      ['ec2:RebootInstances', 'ec2:TerminateInstances', 'logs:PutLogEvents'],
      { 'logs:PutLogEvents': 'runtime', 'sns:TagResource': 'tag on create' },
    );
    expect(result).toEqual({
      missing: ['ssm:SendCommand'],
      extra: ['ec2:TerminateInstances'],
      staleAllowances: ['sns:TagResource'],
    });
  });

  it('catches a policy edited in the template, in both directions', () => {
    const template = loadTemplate();
    const core = template.Resources.RecoveryCorePolicy?.Properties?.PolicyDocument as {
      Statement: { Sid: string; Action: string[] }[];
    };
    const restart = core.Statement.find((statement) => statement.Sid === 'RestartListedInstances');
    if (restart === undefined) throw new Error('no RestartListedInstances statement');
    restart.Action = ['ec2:RebootInstances', 'ec2:StartInstances', 'ec2:TerminateInstances'];
    const edited = evaluated({}, template);
    for (const [role, front, allowed] of [
      ['FunctionRole', derived.lambda, FUNCTION_ROLE_ALLOWED],
      ['GitHubRole', derived.action, GITHUB_ROLE_ALLOWED],
    ] as const) {
      const result = compareActions(front, grantedActions(roleGrants(edited, role)), allowed);
      expect(result.missing, role).toEqual(['ec2:StopInstances']);
      expect(result.extra, role).toEqual(['ec2:TerminateInstances']);
    }
  });
});

describe('template.yaml grants exactly what the code sends', () => {
  const stack = evaluated();

  it("function role = the Lambda entry's commands (+ its own logs)", () => {
    const result = compareActions(
      derived.lambda,
      grantedActions(roleGrants(stack, 'FunctionRole')),
      FUNCTION_ROLE_ALLOWED,
    );
    expect(result).toEqual({ missing: [], extra: [], staleAllowances: [] });
    expect(roleGrants(stack, 'FunctionRole').awsManagedPolicies).toEqual([]);
  });

  it("GitHub role = the action's commands (+ what tag-on-create and EC2 alarm actions need)", () => {
    const result = compareActions(
      derived.action,
      grantedActions(roleGrants(stack, 'GitHubRole')),
      GITHUB_ROLE_ALLOWED,
    );
    expect(result).toEqual({ missing: [], extra: [], staleAllowances: [] });
    expect(roleGrants(stack, 'GitHubRole').awsManagedPolicies).toEqual([]);
  });

  it('the shared core policy = what the bot in server mode sends, so either front end can run a recovery', () => {
    const core = stack.resources.RecoveryCorePolicy;
    if (core === undefined) throw new Error('no RecoveryCorePolicy');
    const document = core.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] };
    const actions = document.Statement.flatMap((statement) => [statement.Action].flat());
    expect([...new Set(actions)].sort()).toEqual(derived.server);
  });

  it("the instance role has SSM's managed policy and nothing else", () => {
    const role = roleGrants(stack, 'InstanceRole');
    expect(role.statements).toEqual([]);
    expect(role.awsManagedPolicies).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
  });
});

describe('least privilege: what each permission is scoped to', () => {
  const arn = (id: string) => `arn:aws:ec2:ap-northeast-2:123456789012:instance/${id}`;
  const statementsFor = (grants: RoleGrants, action: string) =>
    grants.statements.filter((s) => s.actions.includes(action));
  /** Read-only actions without resource-level permissions, plus the one documented write: CancelCommand. */
  const MAY_USE_STAR = /^(ec2|ssm|cloudwatch):(Describe|Get|List)[A-Za-z]+$|^ssm:CancelCommand$/;

  for (const count of [1, 3]) {
    it(`restarts and runs commands only on the ${count} listed instance(s), and only AWS-RunShellScript`, () => {
      const stack = evaluated({
        ...(count > 1
          ? { SecondInstanceId: INSTANCES[1] as string, ThirdInstanceId: INSTANCES[2] as string }
          : {}),
      });
      const instanceArns = INSTANCES.slice(0, count).map(arn);
      for (const role of ['FunctionRole', 'GitHubRole']) {
        const grants = roleGrants(stack, role);
        for (const action of ['ec2:RebootInstances', 'ec2:StopInstances', 'ec2:StartInstances']) {
          expect(
            statementsFor(grants, action).flatMap((s) => s.resources),
            `${role} ${action}`,
          ).toEqual(instanceArns);
        }
        expect(statementsFor(grants, 'ssm:SendCommand').flatMap((s) => s.resources)).toEqual([
          'arn:aws:ssm:ap-northeast-2::document/AWS-RunShellScript',
          ...instanceArns,
        ]);
      }
    });
  }

  it('keeps Parameter Store under the prefix', () => {
    const stack = evaluated({ ParameterPrefix: '/acme/recovery' });
    for (const role of ['FunctionRole', 'GitHubRole']) {
      const grants = roleGrants(stack, role);
      for (const action of ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter']) {
        expect(statementsFor(grants, action).flatMap((s) => s.resources)).toEqual([
          'arn:aws:ssm:ap-northeast-2:123456789012:parameter/acme/recovery/*',
        ]);
      }
    }
    expect(stack.resources.Function?.Properties.Environment).toMatchObject({
      Variables: { DOMTORY_PARAMETER_PREFIX: '/acme/recovery' },
    });
  });

  it('uses "*" only for reads that support no narrower resource, and never a wildcard action', () => {
    const stack = evaluated();
    // The only partial wildcards: everything under the Parameter Store prefix, and alarms named as provision names them.
    const PREFIXES = [
      'arn:aws:ssm:ap-northeast-2:123456789012:parameter/domtory-recovery/*',
      'arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:domtory-recovery-*',
    ];
    for (const role of ['FunctionRole', 'GitHubRole']) {
      for (const statement of roleGrants(stack, role).statements) {
        for (const action of statement.actions)
          expect(action, statement.source).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
        for (const resource of statement.resources) {
          if (resource === '*') {
            for (const action of statement.actions) expect(action, statement.source).toMatch(MAY_USE_STAR);
          } else if (resource.includes('*')) {
            expect(PREFIXES, `${statement.source}: ${resource}`).toContain(resource);
          }
        }
      }
    }
  });

  it('lets the function invoke only itself and write only its own log group', () => {
    const grants = roleGrants(evaluated(), 'FunctionRole');
    expect(statementsFor(grants, 'lambda:InvokeFunction').flatMap((s) => s.resources)).toEqual([
      '«Function.Arn»',
    ]);
    expect(statementsFor(grants, 'logs:PutLogEvents').flatMap((s) => s.resources)).toEqual([
      '«FunctionLogGroup.Arn»',
    ]);
  });

  it("lets the GitHub role touch only this stack's topic and domtory-recovery alarms", () => {
    const grants = roleGrants(evaluated(), 'GitHubRole');
    for (const action of [
      'sns:CreateTopic',
      'sns:Subscribe',
      'sns:GetTopicAttributes',
      'sns:ListSubscriptionsByTopic',
    ]) {
      expect(statementsFor(grants, action).flatMap((s) => s.resources)).toEqual(['«AlarmTopic»']);
    }
    for (const action of ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource']) {
      expect(statementsFor(grants, action).flatMap((s) => s.resources)).toEqual([
        'arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:domtory-recovery-*',
      ]);
    }
    // Alarm reads are authorised against alarm:*, so they may only read.
    expect(statementsFor(grants, 'cloudwatch:DescribeAlarms').map((s) => s.actions)).toEqual([
      ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmsForMetric'],
    ]);
    const [serviceLinked] = statementsFor(grants, 'iam:CreateServiceLinkedRole');
    expect(serviceLinked?.condition).toEqual({
      StringEquals: { 'iam:AWSServiceName': 'events.amazonaws.com' },
    });
  });

  it("trusts only GitHub's OIDC tokens for this repository, minted for STS", () => {
    for (const [overrides, provider] of [
      [{}, '«GitHubOidcProvider»'],
      [
        {
          GitHubOidcProviderArn:
            'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
        },
        'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      ],
    ] as const) {
      const stack = evaluated(overrides);
      expect(stack.resources.GitHubOidcProvider === undefined).toBe(provider !== '«GitHubOidcProvider»');
      expect(stack.resources.GitHubRole?.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: provider },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
              StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/domtory:*' },
            },
          },
        ],
      });
    }
    expect(evaluated({ GitHubRepository: '' }).resources.GitHubRole).toBeUndefined();
  });
});
