import {
  type Config,
  parseConfig,
  resolveTarget,
  summarizeError,
  type Target,
  worstCaseDurationSeconds,
  worstCaseDurationTerms,
} from '../../shared/index.js';
import { botTokenProblem, envValue, NO_SLACK_SECTION, slackApiBaseUrl } from '../env.js';
import { type Level, parseLevel } from '../logger.js';

/**
 * The function's settings, read once at cold start and validated as a whole: a config that cannot work on Lambda
 * is rejected before any event is handled, with every problem named, rather than discovered mid-recovery.
 *
 * Besides the config's own rules, the Lambda home adds its own: each target's deadlines must fit in the
 * function's timeout (Lambda ends an invocation at 15 minutes, lock held and instance half-restarted), and the
 * config must agree with what the stack granted (its region, instances and Parameter Store prefix), since the
 * function role can do nothing else.
 */

export interface LambdaSettings {
  config: Config;
  slack: NonNullable<Config['slack']>;
  botToken: string;
  signingSecret: string;
  /** The function's configured timeout; Lambda does not expose it, so the stack passes the same value in. */
  functionTimeoutSeconds: number;
  region: string;
  /** SNS topics whose notifications are accepted: the config's, plus the stack's own topic. */
  topicArns: string[];
  logLevel: Level;
  slackApiUrl?: string;
}

/**
 * Kept free after a recovery's worst case: the final progress update and its thread. The lock release and the
 * history entry happen inside the worst case already, so a slow Slack costs only the last message.
 */
export const MARGIN_SECONDS = 30;

export const ENV = {
  config: 'DOMTORY_CONFIG_YAML',
  botToken: 'SLACK_BOT_TOKEN',
  signingSecret: 'SLACK_SIGNING_SECRET',
  timeout: 'DOMTORY_FUNCTION_TIMEOUT_SECONDS',
  topicArn: 'DOMTORY_ALARM_TOPIC_ARN',
  parameterPrefix: 'DOMTORY_PARAMETER_PREFIX',
  instanceIds: 'DOMTORY_INSTANCE_IDS',
  region: 'AWS_REGION',
  logLevel: 'LOG_LEVEL',
  slackApiUrl: 'SLACK_API_URL',
} as const;

export type SettingsLoad = { ok: true; settings: LambdaSettings } | { ok: false; problems: string[] };

export function loadLambdaSettings(env: Readonly<Record<string, string | undefined>>): SettingsLoad {
  const problems: string[] = [];
  const value = (name: string) => envValue(env, name);

  const botToken = value(ENV.botToken);
  const botTokenWrong = botTokenProblem(botToken, ENV.botToken);
  if (botTokenWrong !== undefined) problems.push(botTokenWrong);
  const signingSecret = value(ENV.signingSecret);
  if (signingSecret === undefined)
    problems.push(`${ENV.signingSecret} is not set (Basic Information page of the Slack app)`);

  const region = value(ENV.region);
  if (region === undefined)
    problems.push(`${ENV.region} is not set (Lambda sets it; set it by hand elsewhere)`);

  const timeoutText = value(ENV.timeout);
  const timeout = Number(timeoutText);
  if (timeoutText === undefined || !Number.isInteger(timeout) || timeout < 1 || timeout > 900) {
    problems.push(
      `${ENV.timeout} must be the function's timeout in whole seconds (1 to 900), not "${timeoutText ?? ''}"`,
    );
  }

  const rawSlackApiUrl = value(ENV.slackApiUrl);
  const slackApiUrl =
    rawSlackApiUrl === undefined ? undefined : slackApiBaseUrl(rawSlackApiUrl, ENV.slackApiUrl);
  if (slackApiUrl?.ok === false) problems.push(slackApiUrl.problem);

  let config: Config | undefined;
  const configText = value(ENV.config);
  if (configText === undefined) {
    problems.push(`${ENV.config} is not set (the config YAML shared with the GitHub Action)`);
  } else {
    try {
      config = parseConfig(configText, ENV.config);
    } catch (error) {
      problems.push(summarizeError(error).message);
    }
  }
  if (config !== undefined && config.slack === undefined) {
    problems.push(NO_SLACK_SECTION);
  }
  if (config !== undefined && region !== undefined && problems.length === 0) {
    const instanceIds = value(ENV.instanceIds)
      ?.split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    const prefix = value(ENV.parameterPrefix);
    problems.push(
      ...lambdaFitProblems(config, {
        timeoutSeconds: timeout,
        marginSeconds: MARGIN_SECONDS,
        region,
        ...(instanceIds === undefined ? {} : { instanceIds }),
        ...(prefix === undefined ? {} : { parameterPrefix: prefix }),
      }),
    );
  }
  if (
    problems.length > 0 ||
    config?.slack === undefined ||
    botToken === undefined ||
    signingSecret === undefined ||
    region === undefined
  ) {
    return { ok: false, problems };
  }

  const topicArn = value(ENV.topicArn);
  const settings: LambdaSettings = {
    config,
    slack: config.slack,
    botToken,
    signingSecret,
    functionTimeoutSeconds: timeout,
    region,
    topicArns: [
      ...new Set([...(config.sns?.topicArns ?? []), ...(topicArn === undefined ? [] : [topicArn])]),
    ],
    logLevel: parseLevel(value(ENV.logLevel)),
  };
  if (slackApiUrl?.ok === true) settings.slackApiUrl = slackApiUrl.url;
  return { ok: true, settings };
}

export interface LambdaLimits {
  timeoutSeconds: number;
  marginSeconds: number;
  /** The function's region: its role's ARNs name no other. */
  region: string;
  /** The instances the stack's policies name; absent: not checked. */
  instanceIds?: readonly string[];
  /** The Parameter Store prefix the stack's policies name; absent: not checked. */
  parameterPrefix?: string;
}

/** Every reason the config cannot run in this function, one line each with its fix. */
export function lambdaFitProblems(config: Config, limits: LambdaLimits): string[] {
  const problems: string[] = [];
  const budget = limits.timeoutSeconds - limits.marginSeconds;
  if (limits.parameterPrefix !== undefined && config.parameterPrefix !== limits.parameterPrefix) {
    problems.push(
      `parameterPrefix is ${config.parameterPrefix}, but the function may only use ${limits.parameterPrefix}: ` +
        'set the same prefix in the config and in the stack (ParameterPrefix).',
    );
  }
  for (const name of Object.keys(config.targets)) {
    let target: Target;
    try {
      target = resolveTarget(config, name);
    } catch (error) {
      problems.push(summarizeError(error).message);
      continue;
    }
    const worst = worstCaseDurationSeconds(target);
    if (worst > budget) {
      problems.push(
        `target "${name}": its deadlines add up to ${worst} s (${breakdown(target)}), more than the function's ` +
          `${limits.timeoutSeconds} s timeout minus ${limits.marginSeconds} s (${budget} s). Lambda would end the ` +
          'recovery half-way; use the Lambda timeouts in docs/lambda.md (escalate: false and shorter waits).',
      );
    }
    if (target.region !== limits.region) {
      problems.push(
        `target "${name}" is in ${target.region}, but the function runs in ${limits.region} and its role names ` +
          "only instances there: deploy the stack in the target's region.",
      );
    }
    if (limits.instanceIds !== undefined && !limits.instanceIds.includes(target.instanceId)) {
      problems.push(
        `target "${name}" (${target.instanceId}) is not one of the stack's instances (${limits.instanceIds.join(', ') || 'none'}): ` +
          'the function role may not touch it. Add it to the stack (InstanceId parameters) and deploy again.',
      );
    }
  }
  return problems;
}

function breakdown(target: Target): string {
  return worstCaseDurationTerms(target)
    .map((term) => `${term.name} ${term.seconds}`)
    .join(' + ');
}
