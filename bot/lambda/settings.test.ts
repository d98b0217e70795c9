import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig, resolveTarget, worstCaseDurationSeconds } from '../../shared/index.js';
import { lambdaFitProblems, loadLambdaSettings, MARGIN_SECONDS } from './settings.js';

const BASE_ENV = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'secret-0123456789',
  AWS_REGION: 'ap-northeast-2',
  DOMTORY_FUNCTION_TIMEOUT_SECONDS: '900',
};
const config = (target: string) =>
  `region: ap-northeast-2\ntargets:\n  web:\n    instanceId: i-0aaaaaaaaaaaaaaa1\n    compose: { directory: /srv/web }\n${target}slack: { channel: C0OPS }\n`;

/** The Lambda-fit timeouts docs/lambda.md tells people to use, read from the guide itself. */
function documentedFitConfig(): string {
  const guide = readFileSync(new URL('../../docs/lambda.md', import.meta.url), 'utf8');
  const block = /<!-- lambda-fit-config -->\s*```yaml\n([\s\S]*?)```/.exec(guide)?.[1];
  if (block === undefined) throw new Error('docs/lambda.md has no lambda-fit-config block');
  return block;
}

describe('the cold-start check', () => {
  it('rejects the default deadlines: a recovery could outlive the 15-minute invocation', () => {
    const loaded = loadLambdaSettings({ ...BASE_ENV, DOMTORY_CONFIG_YAML: config('') });
    expect(loaded.ok).toBe(false);
    const [problem] = loaded.ok ? [] : loaded.problems;
    expect(problem).toContain('target "web": its deadlines add up to 2420 s');
    expect(problem).toContain('minus 30 s (870 s)');
    // The breakdown in the message adds up to the core's own worst case.
    const terms =
      /\(([^)]*margin 60)\)/
        .exec(problem ?? '')?.[1]
        ?.match(/\d+/g)
        ?.map(Number) ?? [];
    expect(terms.reduce((sum, n) => sum + n, 0)).toBe(2420);
  });

  it('accepts the Lambda-fit timeouts of the deploy guide, with the margin to spare', () => {
    const text = documentedFitConfig();
    const loaded = loadLambdaSettings({ ...BASE_ENV, DOMTORY_CONFIG_YAML: text });
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    for (const name of Object.keys(parseConfig(text).targets)) {
      expect(worstCaseDurationSeconds(resolveTarget(parseConfig(text), name))).toBeLessThanOrEqual(
        900 - MARGIN_SECONDS,
      );
    }
  });

  it('fits an escalating target only with short waits, and names the target and its total when it does not', () => {
    const limits = { timeoutSeconds: 900, marginSeconds: MARGIN_SECONDS, region: 'ap-northeast-2' };
    const escalating = (reboot: number) =>
      parseConfig(
        config(
          `    timeouts: { start: 90, evidence: 10, reboot: ${reboot}, stop: 60, forceStop: 30, compose: 120, verify: 60 }\n`,
        ),
      );
    // 90 + 10 + 300 + (60 + 30 + 90) + 120 + 60 + 60
    expect(worstCaseDurationSeconds(resolveTarget(escalating(300), 'web'))).toBe(820);
    expect(lambdaFitProblems(escalating(300), limits)).toEqual([]);
    expect(lambdaFitProblems(escalating(360), limits)).toEqual([
      expect.stringContaining('target "web": its deadlines add up to 880 s'),
    ]);
  });

  it('refuses a config that asks for what the stack did not grant', () => {
    const parsed = parseConfig(
      config(
        '    escalate: false\n    timeouts: { start: 120, evidence: 15, reboot: 330, compose: 180, verify: 120 }\n',
      ),
    );
    expect(
      lambdaFitProblems(parsed, {
        timeoutSeconds: 900,
        marginSeconds: 30,
        region: 'us-east-1',
        instanceIds: ['i-0bbbbbbbbbbbbbbb2'],
        parameterPrefix: '/acme',
      }),
    ).toEqual([
      expect.stringContaining('parameterPrefix is /domtory-recovery, but the function may only use /acme'),
      expect.stringContaining('target "web" is in ap-northeast-2, but the function runs in us-east-1'),
      expect.stringContaining(
        'target "web" (i-0aaaaaaaaaaaaaaa1) is not one of the stack\'s instances (i-0bbbbbbbbbbbbbbb2)',
      ),
    ]);
  });

  it('names every missing or malformed setting at once', () => {
    const loaded = loadLambdaSettings({
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      DOMTORY_FUNCTION_TIMEOUT_SECONDS: '1200',
    });
    expect(loaded.ok ? [] : loaded.problems).toEqual([
      'SLACK_BOT_TOKEN must be a bot token (xoxb-…)',
      'SLACK_SIGNING_SECRET is not set (Basic Information page of the Slack app)',
      'AWS_REGION is not set (Lambda sets it; set it by hand elsewhere)',
      'DOMTORY_FUNCTION_TIMEOUT_SECONDS must be the function\'s timeout in whole seconds (1 to 900), not "1200"',
      'DOMTORY_CONFIG_YAML is not set (the config YAML shared with the GitHub Action)',
    ]);
    const invalid = loadLambdaSettings({
      ...BASE_ENV,
      DOMTORY_CONFIG_YAML: 'targets: { web: { instanceId: nope } }',
    });
    expect(invalid.ok ? '' : invalid.problems.join('\n')).toContain('targets.web.instanceId');
  });

  it("accepts the stack's own topic besides the config's", () => {
    const text = `${documentedFitConfig()}sns: { topicArns: ["arn:aws:sns:ap-northeast-2:123456789012:legacy"] }\n`;
    const loaded = loadLambdaSettings({
      ...BASE_ENV,
      DOMTORY_CONFIG_YAML: text,
      DOMTORY_ALARM_TOPIC_ARN: 'arn:aws:sns:ap-northeast-2:123456789012:domtory-recovery-alarms',
    });
    expect(loaded.ok && loaded.settings.topicArns).toEqual([
      'arn:aws:sns:ap-northeast-2:123456789012:legacy',
      'arn:aws:sns:ap-northeast-2:123456789012:domtory-recovery-alarms',
    ]);
  });
});
