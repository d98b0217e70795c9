// zod/mini, not classic zod: the same checks in a twentieth of the code, which the action loads before its first
// AWS request and the Lambda function at every cold start.
import * as z from 'zod/mini';

/**
 * One config file, shared by the action and the bot. Secrets never live here: Slack tokens and signing
 * secrets come from the environment of the front end that needs them, AWS credentials from the provider chain.
 */

const INSTANCE_ID = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const TARGET_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
// Compose directories and users end up inside a shell script on the instance: keep them to characters that need
// no quoting at all, so no value from the config can change the script's meaning.
const SAFE_PATH = /^\/[A-Za-z0-9._/-]*$/;
const POSIX_USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const PARAMETER_PREFIX = /^\/[A-Za-z0-9_.\-/]+[^/]$/;
export const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;

export const instanceIdSchema = z
  .string()
  .check(z.regex(INSTANCE_ID, 'must be an EC2 instance id like i-0123456789abcdef0'));

export const regionSchema = z.string().check(z.regex(REGION, 'must be an AWS region like ap-northeast-2'));

export const COMPOSE_COMMANDS = ['auto', 'docker compose', 'docker-compose'] as const;
export const RECOVERY_POLICIES = ['auto', 'confirm', 'notify'] as const;
export const ALARM_STATISTICS = ['Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount'] as const;

const matching = (pattern: RegExp, message: string) => z.string().check(z.regex(pattern, message));
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.map((value) => `"${value}"`).join(', ')}` });

const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.int({ error: message }).check(z.minimum(min, message), z.maximum(max, message));
};
const seconds = (min: number, max: number) =>
  z
    .int({ error: 'must be a whole number of seconds' })
    .check(
      z.minimum(min, `must be at least ${min} seconds`),
      z.maximum(max, `must be at most ${max} seconds`),
    );

export const timeoutsSchema = z.strictObject({
  /** Best-effort evidence before the restart; a hung instance must not delay its own reboot. */
  evidence: z._default(seconds(5, 120), 20),
  /** Reboot request to proven new boot. EC2 forces a hard reboot after about 4 minutes, so keep this above ~300. */
  reboot: z._default(seconds(60, 1800), 420),
  /** Stop request to `stopped`, before a forced stop is tried. */
  stop: z._default(seconds(30, 1800), 300),
  /** Forced stop to `stopped`. */
  forceStop: z._default(seconds(30, 1800), 300),
  /** Start request to a proven new boot. */
  start: z._default(seconds(60, 1800), 420),
  /** `docker compose up -d` to its exit. */
  compose: z._default(seconds(30, 1800), 300),
  /** Services running/healthy and the HTTP probe answering. */
  verify: z._default(seconds(10, 1800), 180),
});

export const guardSchema = z.strictObject({
  cooldownMinutes: z._default(wholeNumber(0, 24 * 60), 15),
  // The guard counts what the history keeps: 4 KB holds 10 automatic recoveries of the largest kind and 5 manual
  // ones in between (history.test.ts), so a limit above 10 could silently never trip.
  maxAutomaticRecoveries: z._default(wholeNumber(1, 10), 3),
  windowHours: z._default(wholeNumber(1, 24 * 7), 6),
});

export const alarmSchema = z
  .strictObject({
    enabled: z._default(z.boolean(), true),
    /** Defaults follow the original setup: CPUUtilization, static threshold, greater than 95 %. */
    threshold: z._default(
      z
        .number()
        .check(
          z.gt(0, 'must be more than 0'),
          z.maximum(100, 'CPUUtilization is a percentage: use a value up to 100'),
        ),
      95,
    ),
    statistic: z._default(oneOf(ALARM_STATISTICS), 'Average'),
    /** 300 s works on free basic monitoring; shorter periods need detailed monitoring. */
    periodSeconds: z._default(
      z
        .number()
        .check(
          z.refine(
            (period) =>
              period === 10 ||
              period === 30 ||
              (Number.isInteger(period) && period >= 60 && period % 60 === 0),
            'must be 10, 30 or a multiple of 60 seconds',
          ),
        ),
      300,
    ),
    evaluationPeriods: z._default(wholeNumber(1, 100), 2),
    datapointsToAlarm: z.optional(wholeNumber(1, 100)),
    /** The bot's SNS topic; the alarm notifies it on ALARM and OK. */
    topicArn: z.optional(matching(TOPIC_ARN, 'must be an SNS topic ARN')),
    /** The no-Lambda path: the alarm itself reboots the instance (arn:aws:automate:<region>:ec2:reboot). */
    rebootAction: z._default(z.boolean(), false),
    /** A second alarm on StatusCheckFailed_System with the EC2 recover action. */
    systemRecovery: z._default(z.boolean(), false),
  })
  .check(
    z.refine(
      (alarm) => alarm.datapointsToAlarm === undefined || alarm.datapointsToAlarm <= alarm.evaluationPeriods,
      {
        error: 'datapointsToAlarm cannot exceed evaluationPeriods',
        path: ['datapointsToAlarm'],
      },
    ),
  );

export const targetSchema = z.strictObject({
  instanceId: instanceIdSchema,
  region: z.optional(regionSchema),
  compose: z.strictObject({
    directory: matching(SAFE_PATH, 'must be an absolute path of letters, digits, ".", "_", "-" and "/"'),
    command: z._default(oneOf(COMPOSE_COMMANDS), 'auto'),
    /** OS user that owns the compose project; commands run through `runuser`. Unset: root, as SSM runs them. */
    user: z.optional(matching(POSIX_USER, 'must be a POSIX user name like ubuntu')),
  }),
  healthCheck: z.optional(
    z.strictObject({
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
      expectStatus: z.optional(wholeNumber(100, 599)),
    }),
  ),
  policy: z._default(oneOf(RECOVERY_POLICIES), 'confirm'),
  /** Stop/start when no new boot is seen before the reboot deadline. */
  escalate: z._default(z.boolean(), true),
  /** Also wait for EC2 status checks after the new boot (the original setup's signal; slow, never sufficient). */
  waitForStatusChecks: z._default(z.boolean(), false),
  timeouts: z._default(timeoutsSchema, () => timeoutsSchema.parse({})),
  guard: z._default(guardSchema, () => guardSchema.parse({})),
  alarm: z._default(alarmSchema, () => alarmSchema.parse({})),
});

export const slackSchema = z.strictObject({
  /** Channel the bot posts alarms and automatic recoveries to. */
  channel: matching(SLACK_CHANNEL, 'must be a Slack channel id like C0123ABCD'),
  /** Users who may restart, drill and press buttons. Empty: nobody may act from Slack. */
  allowedUsers: z._default(z.array(matching(SLACK_USER, 'must be a Slack user id like U0123ABCD')), []),
  /** When set, commands are accepted only from these channels. */
  allowedChannels: z.optional(z.array(matching(SLACK_CHANNEL, 'must be a Slack channel id like C0123ABCD'))),
});

export const snsSchema = z.strictObject({
  /** Only messages from these topics are accepted, and only their subscriptions are confirmed. */
  topicArns: z
    .array(matching(TOPIC_ARN, 'must be an SNS topic ARN'))
    .check(z.minLength(1, 'list at least one topic ARN')),
});

export const configSchema = z.strictObject({
  version: z._default(z.literal(1, { error: 'must be 1 (the only config version so far)' }), 1),
  /** Default region for targets that do not name one. */
  region: z.optional(regionSchema),
  /** Parameter Store namespace for locks and history. */
  parameterPrefix: z._default(
    matching(PARAMETER_PREFIX, 'must start with "/" and not end with "/", like /domtory-recovery').check(
      // Parameter Store reserves these; every lock call would fail in the middle of a recovery.
      z.refine(
        (prefix) => !/^\/(aws|ssm)/i.test(prefix),
        'must not start with /aws or /ssm, which Parameter Store reserves',
      ),
    ),
    '/domtory-recovery',
  ),
  targets: z
    .record(matching(TARGET_NAME, 'target names are lower-case letters, digits and "-"'), targetSchema)
    .check(
      z.refine((targets) => Object.keys(targets).length > 0, 'at least one target is required'),
      // An alarm names an instance: two targets on one would compete for its routing, its policy and its guard.
      z.superRefine((targets, context) => {
        const seen = new Map<string, string>();
        for (const [name, target] of Object.entries(targets)) {
          const first = seen.get(target.instanceId);
          if (first === undefined) seen.set(target.instanceId, name);
          else
            context.addIssue({
              code: 'custom',
              input: target.instanceId,
              path: [name, 'instanceId'],
              message: `is already the instance of target ${first}: give one instance one target`,
            });
        }
      }),
    ),
  slack: z.optional(slackSchema),
  sns: z.optional(snsSchema),
});

/**
 * Validates a parsed config object. zod/mini carries no message catalogue, so the few checks without a message of
 * their own (a missing field, a value of the wrong type) get theirs here.
 */
export function safeParseConfig(raw: unknown) {
  return configSchema.safeParse(raw, {
    error: (issue) => {
      if (issue.code !== 'invalid_type') return undefined;
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    },
  });
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type TargetSettings = z.output<typeof targetSchema>;
export type Timeouts = z.output<typeof timeoutsSchema>;
export type GuardSettings = z.output<typeof guardSchema>;
export type AlarmSettings = z.output<typeof alarmSchema>;
export type ComposeCommand = (typeof COMPOSE_COMMANDS)[number];
export type RecoveryPolicy = (typeof RECOVERY_POLICIES)[number];

/** A target with its name and a resolved region: what the sequence and the front ends work with. */
export interface Target extends TargetSettings {
  name: string;
  region: string;
}
