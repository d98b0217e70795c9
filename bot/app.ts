import { App, type Logger as BoltLogger, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { register as registerActions } from './actions/index.js';
import { register as registerCommands } from './commands/index.js';
import type { BotDeps } from './deps.js';
import { type Route, routeListener } from './http/routes.js';
import { boltLogger, type Level, type Logger } from './logger.js';
import { createNodeFetch } from './slack/node-fetch.js';

/**
 * Builds the Bolt app for either transport and registers one module per Slack surface. Nothing here knows about
 * SNS or recoveries: the bot's own HTTP routes arrive ready-made, and the listeners get their dependencies from
 * `register(app, deps)`.
 */
export type SlackMode = 'http' | 'socket';

export interface BoltAppOptions {
  mode: SlackMode;
  botToken: string;
  /** HTTP mode: verifies every Slack request. */
  signingSecret?: string;
  /** Socket Mode: the app-level token (`xapp-…`) with `connections:write`. */
  appToken?: string;
  /** HTTP mode serves them ahead of `/slack/events` on Bolt's server; Socket Mode on its own (see start-bot). */
  routes: Route[];
  /** Another Slack API base URL (a test's fake Slack); the default is Slack's. */
  slackApiUrl?: string;
  /** Retries per Web API call (rate limits included); default 3. */
  slackRetries?: number;
  logger: Logger;
  logLevel: Level;
}

export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack's interactive payloads carry the whole message; anything this large is not from Slack. */
const SLACK_BODY_LIMIT = 512 * 1024;

export function createBoltApp(options: BoltAppOptions): App {
  const logger = boltLogger(options.logger, options.logLevel);
  const clientOptions: WebClientOptions = {
    ...slackClientOptions({
      logger,
      retries: options.slackRetries,
      apiUrl: options.slackApiUrl,
      timeoutMs: 15_000,
    }),
    // Also what Bolt's `respond()` posts with (see node-fetch.ts for why not the built-in fetch).
    fetch: createNodeFetch(),
  };
  let receiver: HTTPReceiver | SocketModeReceiver;
  if (options.mode === 'http') {
    if (options.signingSecret === undefined) throw new Error('HTTP mode needs the signing secret');
    const http = new HTTPReceiver({
      signingSecret: options.signingSecret,
      endpoints: [SLACK_EVENTS_PATH],
      logger,
      bodyLimit: SLACK_BODY_LIMIT,
    });
    // Bolt's server calls this property for every request (inside its own error handling), so the bot's routes
    // are answered first and everything else goes on to Bolt as before.
    http.requestListener = routeListener(options.routes, options.logger, http.requestListener);
    receiver = http;
  } else {
    if (options.appToken === undefined) throw new Error('Socket Mode needs the app-level token');
    receiver = new SocketModeReceiver({
      appToken: options.appToken,
      logger,
      installerOptions: { clientOptions },
    });
  }
  return boltAppOn(receiver, { botToken: options.botToken, logger, clientOptions });
}

/**
 * The Web API client's settings wherever the bot runs: rate limits and failures are retried with backoff, each
 * wait and each call bounded by `timeoutMs` (the server can afford more than a Lambda invocation).
 */
export function slackClientOptions(options: {
  logger: BoltLogger;
  /** Retries per Web API call (rate limits included); default 3. */
  retries: number | undefined;
  apiUrl: string | undefined;
  timeoutMs: number;
}): WebClientOptions {
  return {
    logger: options.logger,
    retryConfig: {
      retries: options.retries ?? 3,
      factor: 2,
      minTimeout: 500,
      maxTimeout: options.timeoutMs,
      randomize: true,
    },
    timeout: options.timeoutMs,
    ...(options.apiUrl === undefined ? {} : { slackApiUrl: options.apiUrl }),
  };
}

/** The Bolt app around a receiver (HTTP, Socket Mode or Lambda). */
export function boltAppOn(
  receiver: Receiver,
  options: { botToken: string; logger: BoltLogger; clientOptions: WebClientOptions },
): App {
  return new App({
    token: options.botToken,
    receiver,
    logger: options.logger,
    clientOptions: options.clientOptions,
    // Initialised by an explicit `app.init()`, which calls auth.test once: at start on a server, on the first
    // signed Slack request of a Lambda container. With the bot's ids known from then on, Bolt never calls it
    // per request (as it would with `tokenVerificationEnabled: false`).
    deferInitialization: true,
    // No conversation state is used; skipping its store saves a lookup per request.
    convoStore: false,
  });
}

/** One `register` per Slack surface, as in Slack's Bolt starter template. */
export function registerListeners(app: App, deps: BotDeps): void {
  registerCommands(app, deps);
  registerActions(app, deps);
  app.error(async (error) => {
    deps.logger.error('slack.listener-error', { error });
  });
}
