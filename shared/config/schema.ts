import { z } from 'zod';

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
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;

export const instanceIdSchema = z
  .string()
  .regex(INSTANCE_ID, 'must be an EC2 instance id like i-0123456789abcdef0');

export const regionSchema = z.string().regex(REGION, 'must be an AWS region like ap-northeast-2');

export const COMPOSE_COMMANDS = ['auto', 'docker compose', 'docker-compose'] as const;
export const RECOVERY_POLICIES = ['auto', 'confirm', 'notify'] as const;
export const ALARM_STATISTICS = ['Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount'] as const;

const wholeNumber = (min: number, max: number) =>
  z
    .number()
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be a whole number from ${min} to ${max}`)
    .max(max, `must be a whole number from ${min} to ${max}`);
const seconds = (min: number, max: number) =>
  z
    .number()
    .int(`must be a whole number of seconds`)
    .min(min, `must be at least ${min} seconds`)
    .max(max, `must be at most ${max} seconds`);

export const timeoutsSchema = z
  .object({
    /** Best-effort evidence before the restart; a hung instance must not delay its own reboot. */
    evidence: seconds(5, 120).default(20),
    /** Reboot request to proven new boot. EC2 forces a hard reboot after about 4 minutes, so keep this above ~300. */
    reboot: seconds(60, 1800).default(420),
    /** Stop request to `stopped`, before a forced stop is tried. */
    stop: seconds(30, 1800).default(300),
    /** Forced stop to `stopped`. */
    forceStop: seconds(30, 1800).default(300),
    /** Start request to a proven new boot. */
    start: seconds(60, 1800).default(420),
    /** `docker compose up -d` to its exit. */
    compose: seconds(30, 1800).default(300),
    /** Services running/healthy and the HTTP probe answering. */
    verify: seconds(10, 1800).default(180),
  })
  .strict();

export const guardSchema = z
  .object({
    cooldownMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(15),
    maxAutomaticRecoveries: z.number().int().min(1).max(100).default(3),
    windowHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 7)
      .default(6),
  })
  .strict();

export const alarmSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Defaults follow the original setup: CPUUtilization, static threshold, greater than 95 %. */
    threshold: z
      .number()
      .gt(0, 'must be more than 0')
      .max(100, 'CPUUtilization is a percentage: use a value up to 100')
      .default(95),
    statistic: z.enum(ALARM_STATISTICS).default('Average'),
    /** 300 s works on free basic monitoring; shorter periods need detailed monitoring. */
    periodSeconds: z
      .number()
      .refine(
        (period) =>
          period === 10 || period === 30 || (Number.isInteger(period) && period >= 60 && period % 60 === 0),
        'must be 10, 30 or a multiple of 60 seconds',
      )
      .default(300),
    evaluationPeriods: wholeNumber(1, 100).default(2),
    datapointsToAlarm: wholeNumber(1, 100).optional(),
    /** The bot's SNS topic; the alarm notifies it on ALARM and OK. */
    topicArn: z.string().regex(TOPIC_ARN, 'must be an SNS topic ARN').optional(),
    /** The no-Lambda path: the alarm itself reboots the instance (arn:aws:automate:<region>:ec2:reboot). */
    rebootAction: z.boolean().default(false),
    /** A second alarm on StatusCheckFailed_System with the EC2 recover action. */
    systemRecovery: z.boolean().default(false),
  })
  .strict()
  .refine(
    (alarm) => alarm.datapointsToAlarm === undefined || alarm.datapointsToAlarm <= alarm.evaluationPeriods,
    {
      message: 'datapointsToAlarm cannot exceed evaluationPeriods',
      path: ['datapointsToAlarm'],
    },
  );

export const targetSchema = z
  .object({
    instanceId: instanceIdSchema,
    region: regionSchema.optional(),
    compose: z
      .object({
        directory: z
          .string()
          .regex(SAFE_PATH, 'must be an absolute path of letters, digits, ".", "_", "-" and "/"'),
        command: z.enum(COMPOSE_COMMANDS).default('auto'),
        /** OS user that owns the compose project; commands run through `runuser`. Unset: root, as SSM runs them. */
        user: z.string().regex(POSIX_USER, 'must be a POSIX user name like ubuntu').optional(),
      })
      .strict(),
    healthCheck: z
      .object({
        url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
        expectStatus: wholeNumber(100, 599).optional(),
      })
      .strict()
      .optional(),
    policy: z.enum(RECOVERY_POLICIES).default('confirm'),
    /** Stop/start when no new boot is seen before the reboot deadline. */
    escalate: z.boolean().default(true),
    /** Also wait for EC2 status checks after the new boot (the original setup's signal; slow, never sufficient). */
    waitForStatusChecks: z.boolean().default(false),
    timeouts: timeoutsSchema.default(timeoutsSchema.parse({})),
    guard: guardSchema.default(guardSchema.parse({})),
    alarm: alarmSchema.default(alarmSchema.parse({})),
  })
  .strict();

export const slackSchema = z
  .object({
    /** Channel the bot posts alarms and automatic recoveries to. */
    channel: z.string().regex(SLACK_CHANNEL, 'must be a Slack channel id like C0123ABCD'),
    /** Users who may restart, drill and press buttons. Empty: nobody may act from Slack. */
    allowedUsers: z.array(z.string().regex(SLACK_USER, 'must be a Slack user id like U0123ABCD')).default([]),
    /** When set, commands are accepted only from these channels. */
    allowedChannels: z
      .array(z.string().regex(SLACK_CHANNEL, 'must be a Slack channel id like C0123ABCD'))
      .optional(),
  })
  .strict();

export const snsSchema = z
  .object({
    /** Only messages from these topics are accepted, and only their subscriptions are confirmed. */
    topicArns: z.array(z.string().regex(TOPIC_ARN, 'must be an SNS topic ARN')).min(1),
  })
  .strict();

export const configSchema = z
  .object({
    version: z.literal(1, { error: 'must be 1 (the only config version so far)' }).default(1),
    /** Default region for targets that do not name one. */
    region: regionSchema.optional(),
    /** Parameter Store namespace for locks and history. */
    parameterPrefix: z
      .string()
      .regex(PARAMETER_PREFIX, 'must start with "/" and not end with "/", like /domtory-recovery')
      .default('/domtory-recovery'),
    targets: z
      .record(
        z.string().regex(TARGET_NAME, 'target names are lower-case letters, digits and "-"'),
        targetSchema,
      )
      .refine((targets) => Object.keys(targets).length > 0, 'at least one target is required'),
    slack: slackSchema.optional(),
    sns: snsSchema.optional(),
  })
  .strict();

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
