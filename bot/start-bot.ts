import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { type Config, DOMTORY_VERSION } from '../shared/index.js';
import { createAlarmRouter } from './alarms/alarm-router.js';
import { createBoltApp, registerListeners, SLACK_EVENTS_PATH, type SlackMode } from './app.js';
import type { BotDeps } from './deps.js';
import { NO_SLACK_SECTION } from './env.js';
import { healthRoute, type Route, routeListener, snsRoute } from './http/routes.js';
import { createLogger, type Level, type Logger } from './logger.js';
import type { PortsProvider } from './recovery/ports-provider.js';
import { RecoveryService } from './recovery/recovery-service.js';
import { createSlackPoster } from './slack/slack-poster.js';
import { awsCertificateSource, type CertificateSource } from './sns/certificates.js';
import { createSnsIntake, httpsSubscriptionConfirmer, type SnsIntake } from './sns/intake.js';
import { WorkTracker } from './work-tracker.js';

/**
 * Starts the whole bot: Bolt (HTTP or Socket Mode), the SNS and health routes, the recovery service. The
 * server entry (`server.ts`), the tests and the benchmark all start it through here.
 */
export interface StartBotOptions {
  config: Config;
  mode: SlackMode;
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  /** Interface and port of the HTTP server (Slack and SNS in HTTP mode, SNS and health in Socket Mode). */
  host?: string;
  port?: number;
  ports: PortsProvider;
  slackApiUrl?: string;
  slackRetries?: number;
  /** Production: certificates from `sns.<region>.amazonaws.com` over https; tests inject their own. */
  certificates?: CertificateSource;
  confirmSubscription?: (url: URL) => Promise<void>;
  logger?: Logger;
  logLevel?: Level;
  minUpdateIntervalMs?: number;
  snsMaxBodyBytes?: number;
  /** Wall clock for SNS timestamps; tests move it to replay old messages. */
  now?: () => number;
}

/**
 * What a recovery stopped at shutdown gets for its cleanup: the core's cancels (2 s at most), the lock's release,
 * the history entry and the final Slack update, each one call.
 */
export const STOP_CLEANUP_MS = 5_000;

export interface RunningBot {
  url: string;
  port: number;
  app: App;
  deps: BotDeps;
  server: Server;
  /**
   * Stops taking requests, waits up to `drainMs` for running recoveries to finish and report, then stops the ones
   * still running and gives them `STOP_CLEANUP_MS` to release their locks and say so.
   */
  stop(options?: { drainMs?: number }): Promise<void>;
}

export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const logLevel = options.logLevel ?? 'info';
  const logger = options.logger ?? createLogger({ level: logLevel });
  const { config } = options;
  const slackSettings = config.slack;
  if (slackSettings === undefined) {
    throw new Error(NO_SLACK_SECTION);
  }
  const topicArns = config.sns?.topicArns ?? [];
  if (topicArns.length === 0) logger.warn('bot.no-sns-topics', { note: 'every SNS message will be refused' });

  // The routes exist before the app (HTTP mode hands them to Bolt's receiver); the intake behind them needs the
  // app's Web API client, so it is bound once everything is built.
  let intake: SnsIntake | undefined;
  let deps: BotDeps | undefined;
  // Each job catches its own failures (the SNS route logs them with the message id); this catches the rest.
  const work = new WorkTracker({
    onError: (error, name) => logger.error('work.failed', { job: name, error }),
  });
  const routes: Route[] = [
    snsRoute({
      intake: {
        handle: (request) => {
          // Bound below, before the server listens: no request can arrive earlier.
          if (intake === undefined) throw new Error('the SNS intake was used before it was bound');
          return intake.handle(request);
        },
      },
      logger,
      work,
      ...(options.snsMaxBodyBytes === undefined ? {} : { maxBodyBytes: options.snsMaxBodyBytes }),
    }),
    healthRoute(() => ({
      mode: options.mode,
      backend: options.ports.kind,
      recoveriesRunning: deps?.service.runningCount ?? 0,
      pendingWork: work.pending,
    })),
  ];

  const app = createBoltApp({
    mode: options.mode,
    botToken: options.botToken,
    routes,
    logger,
    logLevel,
    ...(options.signingSecret === undefined ? {} : { signingSecret: options.signingSecret }),
    ...(options.appToken === undefined ? {} : { appToken: options.appToken }),
    ...(options.slackApiUrl === undefined ? {} : { slackApiUrl: options.slackApiUrl }),
    ...(options.slackRetries === undefined ? {} : { slackRetries: options.slackRetries }),
  });

  const slack = createSlackPoster(app.client, logger);
  let alarms: ReturnType<typeof createAlarmRouter> | undefined;
  const service = new RecoveryService({
    config,
    ports: options.ports,
    slack,
    channel: slackSettings.channel,
    logger,
    onFinished: (run, result) => alarms?.afterRecovery(run, result),
    ...(options.minUpdateIntervalMs === undefined
      ? {}
      : { minUpdateIntervalMs: options.minUpdateIntervalMs }),
  });
  alarms = createAlarmRouter({
    service,
    slack,
    channel: slackSettings.channel,
    logger,
    // A digest waiting for Slack's budget is work in flight: the health endpoint counts it, a drain waits for it.
    pace: { track: (digest) => void work.run(digest) },
  });
  const router = alarms;
  deps = { config, slackSettings, service, slack, alarms: router, logger, work };
  registerListeners(app, deps);

  // One auth.test for the life of the process: it checks the token now rather than at the first alarm.
  await app.init();

  intake = createSnsIntake({
    topicArns,
    certificates: options.certificates ?? awsCertificateSource(),
    confirmSubscription: options.confirmSubscription ?? httpsSubscriptionConfirmer(),
    onNotification: (notification) =>
      router.handle(notification.Message, { messageId: notification.MessageId }),
    logger,
    ...(options.now === undefined ? {} : { now: options.now }),
  });

  const host = options.host ?? '0.0.0.0';
  const port = options.port ?? 3000;
  // What has started so far, undone in reverse order if a later step fails: a half-started bot must not linger
  // (an open Slack socket alone keeps the process alive, answering /domtory with no /sns behind it).
  const undo: Array<() => Promise<unknown>> = [];
  let server: Server;
  let address: AddressInfo;
  let url: string;
  try {
    if (options.mode === 'http') {
      server = (await app.start({ port, host })) as Server;
      undo.push(() => app.stop());
    } else {
      // The SNS and health server listens first, so a port in use fails the start before any socket is open.
      const ownServer = createServer(routeListener(routes, logger));
      await listen(ownServer, port, host);
      undo.push(() => new Promise<void>((resolve) => ownServer.close(() => resolve())));
      server = ownServer;
      undo.push(() => app.stop());
      await app.start();
    }
    hardenServer(server, logger);
    address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    url = `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${address.port}`;
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => {});
    throw error;
  }
  logger.info('bot.started', {
    version: DOMTORY_VERSION,
    mode: options.mode,
    backend: options.ports.kind,
    url,
    targets: Object.keys(config.targets),
    topics: topicArns.length,
    channel: slackSettings.channel,
  });

  let stopping: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    app,
    deps,
    server,
    stop(stopOptions = {}) {
      stopping ??= (async () => {
        const drainMs = stopOptions.drainMs ?? 0;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (options.mode === 'socket') await app.stop().catch(() => {});
        if (drainMs > 0 && (service.runningCount > 0 || work.pending > 0)) {
          logger.info('bot.draining', { running: service.runningCount, pendingWork: work.pending, drainMs });
          await Promise.race([
            Promise.all([service.idle(), work.idle()]),
            new Promise((resolve) => setTimeout(resolve, drainMs).unref()),
          ]);
        }
        const stopped = service.stopAll('the bot was shut down');
        if (stopped > 0)
          logger.warn('bot.recoveries-stopped', { count: stopped, cleanupMs: STOP_CLEANUP_MS });
        // Also for work still in flight, and a recovery it starts now: that one stops at once, and says so.
        await Promise.race([
          work.idle().then(() => service.idle()),
          new Promise((resolve) => setTimeout(resolve, STOP_CLEANUP_MS).unref()),
        ]);
        server.closeAllConnections();
        await closed;
        logger.info('bot.stopped', { running: service.runningCount });
      })();
      return stopping;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Server-wide limits, and one log line for every Slack request Bolt refuses (a bad or stale signature is
 * answered 401 inside Bolt, which only says so in its own words).
 */
function hardenServer(server: Server, logger: Logger): void {
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  // One listener for every response, rather than a closure per request: this runs on every Slack request.
  function onSlackResponseFinished(this: ServerResponse): void {
    if (this.statusCode < 400) return;
    const reason =
      this.statusCode === 401
        ? 'bad-or-stale-signature'
        : this.statusCode === 413
          ? 'body-too-large'
          : this.statusCode === 400
            ? 'malformed'
            : 'refused';
    logger.warn('slack.rejected', { status: this.statusCode, reason });
  }
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith(SLACK_EVENTS_PATH)) res.on('finish', onSlackResponseFinished);
  });
}
