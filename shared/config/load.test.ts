import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isRecoveryError } from '../errors.js';
import { findTargetByInstanceId, parseConfig, resolveTarget } from './load.js';

const VALID = `
region: ap-northeast-2
targets:
  domtory:
    instanceId: i-0123456789abcdef0
    compose:
      directory: /home/ubuntu
      user: ubuntu
    healthCheck:
      url: https://api.domtory.site/health
    policy: auto
`;

function configError(text: string): string {
  try {
    parseConfig(text, 'domtory.yml');
  } catch (error) {
    if (isRecoveryError(error, 'config-invalid')) return error.message;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseConfig', () => {
  it('fills in the defaults that follow the original setup', () => {
    const config = parseConfig(VALID);
    const target = resolveTarget(config, 'domtory');
    expect(target.region).toBe('ap-northeast-2');
    expect(target.compose.command).toBe('auto');
    expect(target.alarm).toMatchObject({ threshold: 95, statistic: 'Average', periodSeconds: 300 });
    expect(target.timeouts.reboot).toBeGreaterThan(240);
    expect(config.parameterPrefix).toBe('/domtory-recovery');
  });

  it('accepts JSON, a subset of YAML', () => {
    const json = JSON.stringify({
      targets: { web: { instanceId: 'i-0123abcd', region: 'us-east-1', compose: { directory: '/srv/app' } } },
    });
    expect(resolveTarget(parseConfig(json), 'web').instanceId).toBe('i-0123abcd');
  });

  it.each([
    [
      'a malformed instance id',
      VALID.replace('i-0123456789abcdef0', 'i-xyz'),
      'targets.domtory.instanceId: must be an EC2 instance id',
    ],
    [
      'a relative compose directory',
      VALID.replace('/home/ubuntu', 'home/ubuntu'),
      'targets.domtory.compose.directory: must be an absolute path',
    ],
    [
      'shell metacharacters in the directory',
      VALID.replace('/home/ubuntu', '/home/ubuntu;reboot'),
      'targets.domtory.compose.directory',
    ],
    [
      'a user name with a space',
      VALID.replace('user: ubuntu', 'user: "ubuntu root"'),
      'targets.domtory.compose.user: must be a POSIX user name',
    ],
    ['an unknown policy', VALID.replace('policy: auto', 'policy: always'), 'targets.domtory.policy'],
    [
      'a misspelt field',
      VALID.replace('policy: auto', 'polcy: auto'),
      'targets.domtory: unknown field(s) "polcy"',
    ],
    [
      'a threshold above 100',
      `${VALID}    alarm:\n      threshold: 120\n`,
      'targets.domtory.alarm.threshold: CPUUtilization is a percentage',
    ],
    [
      'an unknown statistic',
      `${VALID}    alarm:\n      statistic: Median\n`,
      'targets.domtory.alarm.statistic',
    ],
    [
      'a period basic monitoring cannot serve',
      `${VALID}    alarm:\n      periodSeconds: 90\n`,
      'targets.domtory.alarm.periodSeconds',
    ],
    ['no targets', 'region: ap-northeast-2\ntargets: {}\n', 'targets: at least one target is required'],
    ['an upper-case target name', VALID.replace('  domtory:', '  Domtory:'), 'target names are lower-case'],
    [
      'a threshold that is not a number',
      `${VALID}    alarm:\n      threshold: high\n`,
      'targets.domtory.alarm.threshold: must be a number',
    ],
    [
      'a missing compose section',
      VALID.replace(/ {4}compose:\n.*\n.*\n/, ''),
      'targets.domtory.compose: is required',
    ],
  ])('rejects %s, naming the field', (_case, text, expected) => {
    expect(configError(text)).toContain(expected);
  });

  it('accepts the example config the docs and workflows point to', () => {
    const example = readFileSync(new URL('../../.github/domtory-recovery.yml', import.meta.url), 'utf8');
    const config = parseConfig(example, '.github/domtory-recovery.yml');
    expect(resolveTarget(config, 'domtory').instanceId).toMatch(/^i-/);
    expect(config.sns?.topicArns).toContain(config.targets.domtory?.alarm.topicArn);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(configError('targets:\n  a: [1, 2\n')).toMatch(/not valid YAML at line \d/);
  });

  it('lists every problem at once, not only the first', () => {
    const message = configError(
      VALID.replace('i-0123456789abcdef0', 'nope').replace('policy: auto', 'policy: x'),
    );
    expect(message).toContain('instanceId');
    expect(message).toContain('policy');
  });
});

describe('targets', () => {
  const config = parseConfig(VALID);

  it('refuses two targets on one instance, a reserved parameter prefix and a loop guard the history cannot count', () => {
    const twice = `${VALID}  second:\n    instanceId: i-0123456789abcdef0\n    compose: { directory: /srv }\n`;
    expect(configError(twice)).toMatch(
      /targets\.second\.instanceId.*is already the instance of target domtory/,
    );
    expect(configError(`parameterPrefix: /aws/domtory\n${VALID}`)).toMatch(/parameterPrefix.*reserves/);
    expect(configError(`parameterPrefix: /SSM-locks\n${VALID}`)).toMatch(/parameterPrefix.*reserves/);
    expect(configError(`${VALID}    guard: { maxAutomaticRecoveries: 11 }\n`)).toMatch(
      /maxAutomaticRecoveries.*from 1 to 10/,
    );
  });

  it('refuses unknown target names and lists the known ones', () => {
    expect(() => resolveTarget(config, 'prod')).toThrow(/unknown target "prod"/);
    try {
      resolveTarget(config, 'prod');
    } catch (error) {
      expect(isRecoveryError(error) && error.fix).toContain('domtory');
    }
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'never resolves the inherited name %s',
    (name) => {
      expect(() => resolveTarget(config, name)).toThrow(`unknown target "${name}"`);
    },
  );

  it('maps only configured instance ids', () => {
    expect(findTargetByInstanceId(config, 'i-0123456789abcdef0')?.name).toBe('domtory');
    expect(findTargetByInstanceId(config, 'i-0fffffffffffffff0')).toBeUndefined();
  });

  it('needs a region from the target or the top level', () => {
    const noRegion = parseConfig(VALID.replace('region: ap-northeast-2\n', ''));
    expect(() => resolveTarget(noRegion, 'domtory')).toThrow(/has no region/);
  });
});
