import type { SlackMode } from './app.js';
import { type Level, parseLevel } from './logger.js';

/**
 * The bot's settings from the environment. Secrets live only here (never in the config file, which is shared
 * with the GitHub Action and usually committed); everything about targets lives only in the config file.
 */
export interface BotEnv {
  configPath: string;
  mode: SlackMode;
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  host: string;
  port: number;
  simulate?: string;
  simulatePace?: number;
  slackApiUrl?: string;
  logLevel: Level;
}

export const ENV_HELP = `Environment:
  DOMTORY_CONFIG          path of the config file (YAML or JSON)                 default: domtory.yml
  SLACK_BOT_TOKEN         bot token, xoxb-…                                      required
  SLACK_SIGNING_SECRET    signing secret (Basic Information page)                required in HTTP mode
  SLACK_APP_TOKEN         app-level token xapp-… with connections:write          required in Socket Mode
  DOMTORY_SLACK_MODE      http | socket                  default: socket when SLACK_APP_TOKEN is set, else http
  HOST, PORT              where the HTTP server listens (Slack in HTTP mode, SNS and /healthz always)
                                                                                 default: 0.0.0.0, 3000
  DOMTORY_SIMULATE        a simulator scenario (clean, hung, …): no AWS at all, for a try-out
  DOMTORY_SIMULATE_PACE   real ms per simulated second (25: a recovery plays in seconds)   default: 0
  SLACK_API_URL           another Slack Web API base URL (a local fake or emulator)
  LOG_LEVEL               debug | info | warn | error                            default: info`;

export type EnvParse = { ok: true; env: BotEnv } | { ok: false; problems: string[] };

type EnvVars = Readonly<Record<string, string | undefined>>;

/** Blank counts as unset: an empty `NAME=` line in an env file or a stack parameter means "not given". */
export function envValue(vars: EnvVars, name: string): string | undefined {
  const v = vars[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** Checked before the first call: a user token (xoxp-) would act as that person rather than as the bot. */
export function botTokenProblem(token: string | undefined, name: string): string | undefined {
  if (token === undefined) return `${name} is not set (the bot token, xoxb-…)`;
  if (!token.startsWith('xoxb-')) return `${name} must be a bot token (xoxb-…)`;
  return undefined;
}

/** Ends in exactly one slash, however the setting ends: the Web API client appends method names to it. */
export function slackApiBaseUrl(
  value: string,
  name: string,
): { ok: true; url: string } | { ok: false; problem: string } {
  if (!/^https?:\/\//.test(value)) return { ok: false, problem: `${name} must be an http(s) URL` };
  return { ok: true, url: `${value.replace(/\/+$/, '')}/` };
}

/** Shared so that the server and the Lambda function name this problem in the same words. */
export const NO_SLACK_SECTION = 'the config has no `slack` section: the bot needs at least `slack.channel`';

export function parseEnv(vars: EnvVars): EnvParse {
  const problems: string[] = [];
  const value = (name: string) => envValue(vars, name);
  const botToken = value('SLACK_BOT_TOKEN');
  const signingSecret = value('SLACK_SIGNING_SECRET');
  const appToken = value('SLACK_APP_TOKEN');
  const rawMode = value('DOMTORY_SLACK_MODE');
  let mode: SlackMode = appToken === undefined ? 'http' : 'socket';
  if (rawMode !== undefined) {
    if (rawMode === 'http' || rawMode === 'socket') mode = rawMode;
    else problems.push(`DOMTORY_SLACK_MODE must be "http" or "socket", not "${rawMode}"`);
  }
  const botTokenWrong = botTokenProblem(botToken, 'SLACK_BOT_TOKEN');
  if (botTokenWrong !== undefined) problems.push(botTokenWrong);
  if (mode === 'http' && signingSecret === undefined)
    problems.push('SLACK_SIGNING_SECRET is not set (needed in HTTP mode)');
  if (mode === 'socket') {
    if (appToken === undefined) problems.push('SLACK_APP_TOKEN is not set (needed in Socket Mode)');
    else if (!appToken.startsWith('xapp-'))
      problems.push('SLACK_APP_TOKEN must be an app-level token (xapp-…)');
  }
  const port = Number(value('PORT') ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) problems.push('PORT must be a port number');
  let simulatePace: number | undefined;
  const pace = value('DOMTORY_SIMULATE_PACE');
  if (pace !== undefined) {
    simulatePace = Number(pace);
    if (!Number.isFinite(simulatePace) || simulatePace < 0)
      problems.push('DOMTORY_SIMULATE_PACE must be a number of ms, 0 or more');
  }
  const rawSlackApiUrl = value('SLACK_API_URL');
  const slackApiUrl =
    rawSlackApiUrl === undefined ? undefined : slackApiBaseUrl(rawSlackApiUrl, 'SLACK_API_URL');
  if (slackApiUrl?.ok === false) problems.push(slackApiUrl.problem);
  if (problems.length > 0 || botToken === undefined) return { ok: false, problems };

  const env: BotEnv = {
    configPath: value('DOMTORY_CONFIG') ?? 'domtory.yml',
    mode,
    botToken,
    host: value('HOST') ?? '0.0.0.0',
    port,
    logLevel: parseLevel(value('LOG_LEVEL')),
  };
  if (signingSecret !== undefined) env.signingSecret = signingSecret;
  if (appToken !== undefined) env.appToken = appToken;
  const simulate = value('DOMTORY_SIMULATE');
  if (simulate !== undefined) env.simulate = simulate;
  if (simulatePace !== undefined) env.simulatePace = simulatePace;
  if (slackApiUrl?.ok === true) env.slackApiUrl = slackApiUrl.url;
  return { ok: true, env };
}
