import { AwsLambdaReceiver, isValidSlackRequest } from '@slack/bolt';
import { readHistory, requestKey, type Target, worstCaseDurationSeconds } from '../../shared/index.js';
import { type AlarmRouter, createAlarmRouter } from '../alarms/alarm-router.js';
import { createParameterThreadStore } from '../alarms/alarm-threads.js';
import { boltAppOn, registerListeners, slackClientOptions } from '../app.js';
import { answerDeferredCommand, type DeferCommand } from '../commands/domtory-command.js';
import { lookupTarget } from '../config/targets.js';
import { boltLogger, type Logger } from '../logger.js';
import type { PortsProvider } from '../recovery/ports-provider.js';
import { RecoveryService } from '../recovery/recovery-service.js';
import { escapeText, slackDate } from '../slack/format.js';
import { alreadyRunning, closedAlarmNote } from '../slack/messages.js';
import { createSlackPoster } from '../slack/slack-poster.js';
import { MessageDedupe } from '../sns/dedupe.js';
import { accountAndRegionOf, alarmMessageOf, unqualifiedFunctionArn } from './cloudwatch-action.js';
import { DispatchingRecoveryService, type HandOff } from './dispatching-service.js';
import {
  type ClassifiedEvent,
  type CloudWatchActionEvent,
  classifyEvent,
  type FunctionUrlRequest,
  type SnsRecord,
} from './events.js';
import { responder, responseUrlAllowed } from './response-url.js';
import { type CommandEvent, commandEventOf, type RunEvent } from './run-event.js';
import { type LambdaSettings, MARGIN_SECONDS } from './settings.js';

/**
 * The function's single handler. Each invocation is one of four kinds (see `events.ts`):
 *
 * - Function URL → Slack, through Bolt's `AwsLambdaReceiver`, behind our own signature check: an unsigned
 *   request is answered 401 before anything else happens (no Slack call, no AWS call). A recovery a listener
 *   starts is handed to an asynchronous invocation, so the answer goes back within Slack's 3 seconds.
 * - SNS and a CloudWatch alarm's direct action → the bot's alarm router. Both are asynchronous invocations
 *   already, so an `auto` recovery runs right here, and the handler returns only when it has finished.
 * - The internal run event → the recovery the Slack invocation handed over.
 * - The internal command event → the rest of a slash command the Slack invocation acknowledged: Bolt's Lambda
 *   receiver answers only once the listener has returned, so `/domtory status|history|restart` hand their AWS
 *   reads over too, and the worker answers through the command's `response_url`.
 *
 * Locks, cooldowns and history live in Parameter Store and progress in Slack, exactly as in server mode, so any
 * number of concurrent invocations still run at most one recovery per target.
 */

/** Bolt does not export its event type; the normalised request is a payload-2.0 event with fewer fields. */
type BoltLambdaEvent = Parameters<ReturnType<AwsLambdaReceiver['toHandler']>>[0];

export interface LambdaContextLike {
  invokedFunctionArn: string;
  awsRequestId?: string;
  getRemainingTimeInMillis(): number;
}

export interface FunctionUrlResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

export type LambdaHandler = (event: unknown, context: LambdaContextLike) => Promise<unknown>;

export interface LambdaHandlerOptions {
  settings: LambdaSettings;
  ports: PortsProvider;
  /** Builds the hand-off for the ARN of the invocation that hands over. */
  handOff: (functionArn: () => string) => HandOff;
  logger: Logger;
  slackRetries?: number;
  minUpdateIntervalMs?: number;
  now?: () => number;
}

/**
 * A handed-over restart (or command) that reaches its worker later than this is not started. A restart someone asked
 * for minutes ago and that Lambda could not start since (throttling) is no longer what they asked for; they are told
 * instead, and can ask again.
 */
export const DEFAULT_MAX_RUN_AGE_MS = 5 * 60_000;

/**
 * A recovery still running this long before the invocation's end is stopped, so that it can release its lock, write
 * its history and update its message. The cold-start check keeps `MARGIN_SECONDS` free after the worst case, so a
 * recovery within its timeouts never meets this.
 */
export const DEADLINE_CLEANUP_MS = 10_000;

export function createLambdaHandler(options: LambdaHandlerOptions): LambdaHandler {
  const { settings, logger, ports } = options;
  const { config } = settings;
  const now = options.now ?? Date.now;
  const channel = settings.slack.channel;
  const optional = {
    ...(options.minUpdateIntervalMs === undefined
      ? {}
      : { minUpdateIntervalMs: options.minUpdateIntervalMs }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };

  // One invocation at a time per container: the ARN of the current one is what a hand-off invokes.
  let functionArn = '';

  const boltLog = boltLogger(logger, settings.logLevel);
  const receiver = new AwsLambdaReceiver({
    signingSecret: settings.signingSecret,
    logger: boltLog,
    // `onSlack` is the receiver's only caller and has already checked the signature with this secret and the same
    // five-minute window (and at least as strictly: only `v0`), on the very body it passes on; a second HMAC adds
    // nothing.
    signatureVerification: false,
  });
  const app = boltAppOn(receiver, {
    botToken: settings.botToken,
    logger: boltLog,
    // Shorter than the server's: a Lambda invocation has a deadline of its own.
    clientOptions: slackClientOptions({
      logger: boltLog,
      retries: options.slackRetries,
      apiUrl: settings.slackApiUrl,
      timeoutMs: 10_000,
    }),
  });
  const slack = createSlackPoster(app.client, logger);

  let router: AlarmRouter | undefined;
  // Alarm and worker invocations run recoveries here, in the invocation that received them.
  const inline = new RecoveryService({
    config,
    ports,
    slack,
    channel,
    logger,
    onFinished: (run, result) => router?.afterRecovery(run, result),
    ...optional,
  });
  router = createAlarmRouter({
    service: inline,
    slack,
    channel,
    logger,
    // The `OK` usually reaches another container than its `ALARM`: the thread is kept where every one can read it.
    threads: createParameterThreadStore({ ports, prefix: config.parameterPrefix, logger, now }),
  });
  const alarms = router;
  const handOff = options.handOff(() => unqualifiedFunctionArn(functionArn));
  // Slack invocations hand recoveries over instead.
  const front = new DispatchingRecoveryService({
    config,
    ports,
    slack,
    channel,
    logger,
    handOff,
    ...optional,
  });
  const deferCommand: DeferCommand = async (command, work) => {
    const event = commandEventOf(command, now());
    if (event === undefined) {
      await work();
      return;
    }
    const log = logger.child({ runId: event.id, user: command.userId });
    try {
      // Awaited: Lambda freezes the container once the answer is returned, so the event must have reached Lambda.
      await handOff(event);
      log.info('lambda.handed-over', { trigger: 'slack-command' });
    } catch (error) {
      // The answer is late rather than lost: the work only reads, so it can be done here after all.
      log.error('lambda.hand-over-failed', { error });
      await work();
    }
  };
  registerListeners(app, {
    config,
    slackSettings: settings.slack,
    service: front,
    slack,
    // Bolt's Lambda receiver answers Slack only once a listener returns, so the Slack invocation reads nothing from
    // AWS: whether the alarm of a Restart button is still open is checked by the worker it hands the run to.
    alarms: { ...alarms, isOpen: async () => undefined },
    logger,
    deferCommand,
  });
  // What a command worker answers with: the recoveries of this container, no further hand-off.
  const workerDeps = { config, slackSettings: settings.slack, service: inline, slack, alarms, logger };
  const slackHandler = receiver.toHandler();

  // auth.test runs on the first signed Slack request of a container, not at cold start: an SNS invocation never
  // needs it, and an unsigned request must not cause it.
  let initialised: Promise<void> | undefined;
  const initialise = (): Promise<void> => {
    initialised ??= app.init().catch((error: unknown) => {
      initialised = undefined;
      throw error;
    });
    return initialised;
  };

  const topics = new Set(settings.topicArns);
  // Per container only: across containers the core's lock keeps a repeated delivery from running twice.
  const dedupe = new MessageDedupe({ ttlMs: 2 * 60 * 60_000, now });

  async function onSlack(
    request: FunctionUrlRequest,
    context: LambdaContextLike,
    log: Logger,
  ): Promise<FunctionUrlResponse> {
    const signature = request.headers['x-slack-signature'];
    const timestamp = Number(request.headers['x-slack-request-timestamp']);
    const signed =
      signature !== undefined &&
      isValidSlackRequest({
        signingSecret: settings.signingSecret,
        body: request.body,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      });
    if (!signed) {
      log.warn('slack.rejected', {
        status: 401,
        reason: 'bad-or-stale-signature',
        method: request.requestContext.http.method,
        path: request.rawPath.slice(0, 200),
      });
      return { statusCode: 401, body: '' };
    }
    try {
      await initialise();
    } catch (error) {
      log.error('slack.init-failed', { error });
      return { statusCode: 503, body: '' };
    }
    let response: FunctionUrlResponse;
    try {
      response = (await slackHandler(request as unknown as BoltLambdaEvent, context)) as FunctionUrlResponse;
    } catch (error) {
      log.error('slack.failed', { error });
      response = { statusCode: 500, body: '' };
    }
    // Lambda freezes the container once this returns: the hand-off must have reached Lambda by then.
    await front.handedOver();
    return response;
  }

  async function onSns(records: readonly SnsRecord[], log: Logger): Promise<Record<string, unknown>> {
    const outcomes: string[] = [];
    for (const record of records) {
      const recordLog = log.child({ messageId: record.messageId, topicArn: record.topicArn });
      if (!topics.has(record.topicArn)) {
        recordLog.warn('sns.rejected', { reason: 'unknown-topic' });
        outcomes.push('rejected');
        continue;
      }
      if (record.type !== 'Notification') {
        recordLog.info('sns.ignored', { reason: record.type });
        outcomes.push('ignored');
        continue;
      }
      if (!dedupe.claim(`sns:${record.messageId}`)) {
        recordLog.info('sns.duplicate');
        outcomes.push('duplicate');
        continue;
      }
      recordLog.info('sns.received', { via: 'lambda-subscription' });
      await alarms.handle(record.message, { messageId: record.messageId });
      outcomes.push('accepted');
    }
    await inline.idle();
    await alarms.idle();
    return { kind: 'sns', outcomes };
  }

  async function onCloudWatch(
    event: CloudWatchActionEvent,
    context: LambdaContextLike,
    log: Logger,
  ): Promise<Record<string, unknown>> {
    const alarmLog = log.child({ alarmArn: event.alarmArn });
    const own = accountAndRegionOf(context.invokedFunctionArn);
    if (own === undefined || event.accountId !== own.account) {
      alarmLog.warn('alarm.rejected', { reason: 'foreign-account', accountId: event.accountId });
      return { kind: 'cloudwatch-alarm', outcome: 'rejected' };
    }
    const alarmRegion = event.region ?? event.alarmArn.split(':')[3];
    if (alarmRegion !== own.region) {
      alarmLog.warn('alarm.rejected', { reason: 'foreign-region', region: alarmRegion });
      return { kind: 'cloudwatch-alarm', outcome: 'rejected' };
    }
    const converted = alarmMessageOf(event);
    if (!dedupe.claim(`alarm:${converted.dedupeKey}`)) {
      alarmLog.info('alarm.duplicate');
      return { kind: 'cloudwatch-alarm', outcome: 'duplicate' };
    }
    alarmLog.info('alarm.received', { via: 'cloudwatch-lambda-action' });
    await alarms.handle(converted.message, { messageId: converted.dedupeKey });
    await inline.idle();
    await alarms.idle();
    return { kind: 'cloudwatch-alarm', outcome: 'accepted' };
  }

  /** Whether the instance's history already holds this run; unreadable counts as no, and the core decides. */
  async function ranBefore(target: Target, runId: string, log: Logger): Promise<boolean> {
    try {
      const parameters = (await ports.portsFor(target)).parameters;
      const history = await readHistory(parameters, config.parameterPrefix, target.instanceId);
      return history.some((entry) => entry.requestId === requestKey(runId));
    } catch (error) {
      log.warn('lambda.history-unreadable', { error });
      return false;
    }
  }

  async function onRun(
    run: RunEvent,
    context: LambdaContextLike,
    log: Logger,
  ): Promise<Record<string, unknown>> {
    const runLog = log.child({
      runId: run.id,
      target: run.target,
      dryRun: run.dryRun,
      actor: run.trigger.actor,
    });
    const verb = run.dryRun ? 'drill' : 'restart';
    if (!dedupe.claim(`run:${run.id}`)) {
      runLog.info('lambda.run-duplicate');
      return { kind: 'internal-run', outcome: 'duplicate' };
    }
    const requestedAt = Date.parse(run.requestedAt);
    if (now() - requestedAt > DEFAULT_MAX_RUN_AGE_MS) {
      runLog.warn('lambda.run-refused', { reason: 'stale', requestedAt: run.requestedAt });
      await slack.post(channel, {
        text: `⏱️ The ${verb} of *${escapeText(run.target)}* that <@${run.trigger.actor}> asked for at ${slackDate(requestedAt)} reached the worker too late and was not started. Ask again if it is still needed.`,
      });
      return { kind: 'internal-run', outcome: 'stale' };
    }
    const target = lookupTarget(config, run.target);
    if (target === undefined) {
      runLog.warn('lambda.run-refused', { reason: 'unknown-target' });
      return { kind: 'internal-run', outcome: 'unknown-target' };
    }
    const neededMs = (worstCaseDurationSeconds(target) + MARGIN_SECONDS) * 1000;
    const remainingMs = context.getRemainingTimeInMillis();
    if (remainingMs < neededMs) {
      runLog.error('lambda.run-refused', { reason: 'not-enough-time', remainingMs, neededMs });
      await slack.post(channel, {
        text: `⚠️ The ${verb} of *${escapeText(run.target)}* was not started: this invocation has ${Math.floor(remainingMs / 1000)} s left and the recovery may need ${neededMs / 1000} s. Check the function's timeout.`,
      });
      return { kind: 'internal-run', outcome: 'not-enough-time' };
    }
    // This container's memory knows only the runs it saw. Lambda may deliver an async event twice, to another
    // container and after the first has finished: the instance's history, which keeps each run's id, knows.
    // (The core checks it again under the lock, which settles a copy that arrives while the first still runs.)
    if (await ranBefore(target, run.id, runLog)) {
      runLog.info('lambda.run-duplicate', { seenIn: 'history' });
      return { kind: 'internal-run', outcome: 'duplicate' };
    }
    // After the history: a copy of a run that already restarted is dropped quietly, not answered as too late.
    if (
      run.alarm !== undefined &&
      (await alarms.isOpen(run.alarm.name, target, run.alarm.threadTs)) === false
    ) {
      runLog.info('lambda.run-refused', { reason: 'alarm-closed', alarm: run.alarm.name });
      await slack.post(run.message?.channel ?? channel, {
        text: closedAlarmNote(run.alarm.name, target.name, run.trigger.actor),
        threadTs: run.alarm.threadTs,
      });
      return { kind: 'internal-run', outcome: 'alarm-closed' };
    }
    const attempt = inline.start({
      target,
      trigger: {
        kind: 'slack',
        actor: run.trigger.actor,
        ...(run.trigger.detail === undefined ? {} : { detail: run.trigger.detail }),
      },
      dryRun: run.dryRun,
      owner: run.owner,
      header: run.header,
      ...(run.message === undefined ? {} : { message: run.message }),
      requestId: run.id,
    });
    if (!attempt.started) {
      await slack.post(channel, {
        text: alreadyRunning(target.name, attempt.holder.owner, attempt.holder.startedAt),
      });
      return { kind: 'internal-run', outcome: 'already-running' };
    }
    const result = await attempt.run.result;
    await inline.idle();
    return { kind: 'internal-run', outcome: result?.outcome ?? 'crashed' };
  }

  async function onCommand(command: CommandEvent, log: Logger): Promise<Record<string, unknown>> {
    const commandLog = log.child({ runId: command.id, user: command.user, channel: command.channel });
    if (!dedupe.claim(`command:${command.id}`)) {
      commandLog.info('lambda.command-duplicate');
      return { kind: 'internal-command', outcome: 'duplicate' };
    }
    if (!responseUrlAllowed(command.responseUrl, settings.slackApiUrl)) {
      commandLog.warn('lambda.command-refused', { reason: 'foreign-response-url' });
      return { kind: 'internal-command', outcome: 'refused' };
    }
    const respond = responder(command.responseUrl);
    if (now() - Date.parse(command.requestedAt) > DEFAULT_MAX_RUN_AGE_MS) {
      commandLog.warn('lambda.command-refused', { reason: 'stale', requestedAt: command.requestedAt });
      await respond({
        response_type: 'ephemeral',
        text: `⏱️ \`/domtory ${escapeText(command.text)}\` reached the bot's worker too late to be answered. Ask again.`,
      });
      return { kind: 'internal-command', outcome: 'stale' };
    }
    await answerDeferredCommand(
      workerDeps,
      {
        text: command.text,
        userId: command.user,
        channelId: command.channel,
        responseUrl: command.responseUrl,
      },
      respond,
    );
    return { kind: 'internal-command', outcome: 'answered' };
  }

  return async (event, context) => {
    functionArn = context.invokedFunctionArn;
    const log = logger.child({ requestId: context.awsRequestId });
    // A deadline met by an earlier invocation of this container does not carry over.
    inline.resume();
    // Lambda ends a timed-out invocation without a word: a recovery still running would keep its lock until the
    // lock expires and its message would read "running" for good. Stopped a little earlier, it cleans up.
    const deadline = setTimeout(
      () => {
        const stopped = inline.stopAll('the Lambda invocation was about to reach its timeout');
        if (stopped > 0)
          log.error('lambda.deadline', { recoveriesStopped: stopped, cleanupMs: DEADLINE_CLEANUP_MS });
      },
      Math.max(0, context.getRemainingTimeInMillis() - DEADLINE_CLEANUP_MS),
    );
    try {
      return await handle(event, context, log);
    } finally {
      clearTimeout(deadline);
    }
  };

  async function handle(event: unknown, context: LambdaContextLike, log: Logger): Promise<unknown> {
    let classified: ClassifiedEvent;
    try {
      classified = classifyEvent(event);
    } catch (error) {
      log.error('lambda.unrecognised-event', { error });
      return { kind: 'unrecognised' };
    }
    try {
      switch (classified.kind) {
        case 'function-url':
          return await onSlack(classified.request, context, log);
        case 'sns':
          return await onSns(classified.records, log);
        case 'cloudwatch-alarm':
          return await onCloudWatch(classified.event, context, log);
        case 'internal-run':
          return await onRun(classified.run, context, log);
        case 'internal-command':
          return await onCommand(classified.command, log);
        case 'unrecognised':
          log.warn('lambda.unrecognised-event', { reason: classified.reason });
          return { kind: 'unrecognised' };
      }
    } catch (error) {
      // An asynchronous invocation that throws is retried by Lambda; a retry would repeat what already happened.
      log.error('lambda.failed', { kind: classified.kind, error });
      return classified.kind === 'function-url'
        ? { statusCode: 500, body: '' }
        : { kind: classified.kind, outcome: 'error' };
    }
  }
}
