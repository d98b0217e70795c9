import type { AlarmSettings, Target } from '../../config/schema.js';

/** A complete target as the config loader would produce it, with the alarm settings overridable. */
export function target(alarm: Partial<AlarmSettings> = {}, overrides: Partial<Target> = {}): Target {
  return {
    name: 'web',
    instanceId: 'i-0123456789abcdef0',
    region: 'ap-northeast-2',
    compose: { directory: '/srv/app', command: 'auto' },
    policy: 'confirm',
    escalate: true,
    waitForStatusChecks: false,
    timeouts: { evidence: 20, reboot: 420, stop: 300, forceStop: 300, start: 420, compose: 300, verify: 180 },
    guard: { cooldownMinutes: 15, maxAutomaticRecoveries: 3, windowHours: 6 },
    alarm: {
      enabled: true,
      threshold: 95,
      statistic: 'Average',
      periodSeconds: 300,
      evaluationPeriods: 2,
      rebootAction: false,
      systemRecovery: false,
      ...alarm,
    },
    ...overrides,
  };
}

export const TOPIC = 'arn:aws:sns:ap-northeast-2:123456789012:domtory-recovery';
