import { afterEach } from 'vitest';
import { type Config, parseConfig, type RecoveryPorts, type Target } from '../../shared/index.js';
import { createSimulatedCloud, type ScenarioName, type SimulatedCloud } from '../../shared/sim/index.js';
import type { SlackMode } from '../app.js';
import { createMemoryLogger, type LogRecord } from '../logger.js';
import { customPortsProvider } from '../recovery/ports-provider.js';
import type { SnsEnvelope } from '../sns/envelope.js';
import { type RunningBot, startBot } from '../start-bot.js';
import { type AlarmPayloadOptions, alarmPayload } from './alarm-payloads.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { type FakeSocketMode, startFakeSocketMode } from './fake-socket-mode.js';
import { createSelfSignedCertificate, type TestCertificate } from './self-signed-cert.js';
import { blockActionBody, signedHeaders, slashCommandBody } from './slack-requests.js';
import { createSnsSigner, loopbackCertificateSource, type SnsSigner, TEST_CERT_PATH } from './sns-signer.js';

/**
 * The real bot on a loopback port, with a fake Slack, a test SNS signing key and the core's simulator, for
 * tests that talk to it over HTTP exactly as Slack and SNS would (or, in Socket Mode, over a fake WebSocket).
 */

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
/** Socket Mode's app-level token, which the bot sends to `apps.connections.open`. */
export const APP_TOKEN = 'xapp-test';
export const TOPIC_ARN = 'arn:aws:sns:ap-northeast-2:123456789012:domtory-alarms';
export const OPS_CHANNEL = 'C0OPS';
export const ALLOWED_USER = 'U0ALLOWED';
export const SECOND_USER = 'U0SECOND';
export const OTHER_USER = 'U0STRANGER';

export const INSTANCES = {
  web: 'i-0aaaaaaaaaaaaaaa1',
  api: 'i-0bbbbbbbbbbbbbbb2',
  docs: 'i-0ccccccccccccccc3',
} as const;

export const TEST_CONFIG = `
region: ap-northeast-2
parameterPrefix: /domtory-test
targets:
  web:
    instanceId: ${INSTANCES.web}
    compose: { directory: /srv/web }
    policy: auto
    guard: { cooldownMinutes: 15, maxAutomaticRecoveries: 3, windowHours: 6 }
  api:
    instanceId: ${INSTANCES.api}
    compose: { directory: /srv/api }
    policy: confirm
  docs:
    instanceId: ${INSTANCES.docs}
    compose: { directory: /srv/docs }
    policy: notify
slack:
  channel: ${OPS_CHANNEL}
  allowedUsers: [${ALLOWED_USER}, ${SECOND_USER}]
  allowedChannels: [${OPS_CHANNEL}, C0DEV]
sns:
  topicArns: [${TOPIC_ARN}]
`;

// One key for the whole test run: RSA key generation is the slowest part of a bot start.
let sharedCertificate: TestCertificate | undefined;

export interface TestBotOptions {
  config?: string;
  scenario?: ScenarioName;
  /** Wrap a target's simulated ports (to hold a recovery mid-way, or break a port). */
  wrapPorts?: (target: Target, ports: RecoveryPorts) => RecoveryPorts;
  now?: () => number;
  minUpdateIntervalMs?: number;
  snsMaxBodyBytes?: number;
  /**
   * How Slack reaches the bot; default `http`. In `socket` mode Slack's requests come over `socket` (a fake Socket
   * Mode server the bot connects to before `startTestBot` returns), SNS still over the bot's HTTP server, and
   * `command`, `press` and `slackRequest` meet the 404 of a bot that serves no Slack route.
   */
  mode?: SlackMode;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

export interface TestBot {
  bot: RunningBot;
  config: Config;
  fake: FakeSlack;
  signer: SnsSigner;
  logs: LogRecord[];
  confirmed: string[];
  cloud(target: string): SimulatedCloud;
  /** POST a body to /sns as SNS would (text/plain). */
  postSns(body: string | SnsEnvelope, headers?: Record<string, string>): Promise<HttpAnswer>;
  /** A signed notification carrying a CloudWatch alarm for a configured instance. */
  alarm(options: AlarmPayloadOptions & { messageId?: string }): SnsEnvelope;
  command(
    text: string,
    options?: { user?: string; channel?: string; responseId?: string },
  ): Promise<HttpAnswer & { json: unknown }>;
  press(
    actionId: string,
    value: string,
    options?: {
      user?: string;
      channel?: string;
      responseId?: string;
      message?: { ts: string; thread_ts?: string; text?: string; blocks?: unknown[] };
    },
  ): Promise<HttpAnswer>;
  slackRequest(body: string, headers: Record<string, string>): Promise<HttpAnswer>;
  logsOf(event: string): LogRecord[];
  waitForLog(event: string, predicate?: (record: LogRecord) => boolean): Promise<LogRecord>;
  /** Every recovery started so far has finished and its messages are sent. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface SocketTestBot extends TestBot {
  socket: FakeSocketMode;
}

export function startTestBot(options: TestBotOptions & { mode: 'socket' }): Promise<SocketTestBot>;
export function startTestBot(options?: TestBotOptions): Promise<TestBot>;
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot | SocketTestBot> {
  const config = parseConfig(options.config ?? TEST_CONFIG, 'test config');
  const socket = options.mode === 'socket' ? await startFakeSocketMode() : undefined;
  // In Socket Mode the bot asks Slack for the WebSocket's URL first: the fake Slack names the fake server.
  const fake = await startFakeSlack(
    socket === undefined ? {} : { answers: { 'apps.connections.open': { ok: true, url: socket.url } } },
  );
  sharedCertificate ??= createSelfSignedCertificate();
  const signer = createSnsSigner(sharedCertificate);
  fake.serveFile(TEST_CERT_PATH, signer.certificate.certificatePem);
  const { logger, records } = createMemoryLogger('debug');
  const confirmed: string[] = [];
  const clouds = new Map<string, SimulatedCloud>();
  const cloud = (target: Target): SimulatedCloud => {
    let found = clouds.get(target.name);
    if (found === undefined) {
      found = createSimulatedCloud({ scenario: options.scenario ?? 'clean', instanceId: target.instanceId });
      clouds.set(target.name, found);
    }
    return found;
  };
  const bot = await startBot({
    config,
    // Each mode with only its own credential, as the bot is deployed: Socket Mode has no signing secret.
    ...(socket === undefined
      ? { mode: 'http', signingSecret: SIGNING_SECRET }
      : { mode: 'socket', appToken: APP_TOKEN }),
    botToken: 'xoxb-test-token',
    host: '127.0.0.1',
    port: 0,
    ports: customPortsProvider((target) => {
      const ports = cloud(target).ports;
      return options.wrapPorts === undefined ? ports : options.wrapPorts(target, ports);
    }),
    slackApiUrl: fake.apiUrl,
    slackRetries: 0,
    certificates: loopbackCertificateSource(fake.url),
    confirmSubscription: async (url) => {
      confirmed.push(url.href);
    },
    logger,
    logLevel: 'debug',
    minUpdateIntervalMs: options.minUpdateIntervalMs ?? 10,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.snsMaxBodyBytes === undefined ? {} : { snsMaxBodyBytes: options.snsMaxBodyBytes }),
  });
  // Started means able to take Slack's requests, which in Socket Mode come only once the socket is open.
  await socket?.connected;

  let responses = 0;
  const request = async (
    path: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<HttpAnswer> => {
    const response = await fetch(`${bot.url}${path}`, { method: 'POST', body, headers });
    return { status: response.status, text: await response.text() };
  };
  const logsOf = (event: string) => records.filter((r) => r.event === event);

  const testBot: TestBot = {
    bot,
    config,
    fake,
    signer,
    logs: records,
    confirmed,
    cloud(name) {
      const target = config.targets[name];
      if (target === undefined) throw new Error(`no target ${name}`);
      return cloud({ ...target, name, region: target.region ?? 'ap-northeast-2' });
    },
    postSns(body, headers) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const base =
        typeof body === 'string' ? { 'content-type': 'text/plain; charset=UTF-8' } : signer.headers(body);
      return request('/sns', text, { ...base, ...headers });
    },
    alarm(alarmOptions) {
      return signer.notification({
        topicArn: TOPIC_ARN,
        message: alarmPayload(alarmOptions),
        subject: `ALARM: "${alarmOptions.name ?? 'domtory-cpu-high'}" in Asia Pacific (Seoul)`,
        ...(alarmOptions.messageId === undefined ? {} : { messageId: alarmOptions.messageId }),
      });
    },
    async command(text, commandOptions = {}) {
      const responseId = commandOptions.responseId ?? `cmd-${++responses}`;
      const body = slashCommandBody({
        text,
        userId: commandOptions.user ?? ALLOWED_USER,
        channelId: commandOptions.channel ?? OPS_CHANNEL,
        responseUrl: fake.responseUrl(responseId),
      });
      const answer = await request('/slack/events', body, signedHeaders(SIGNING_SECRET, body));
      let json: unknown;
      try {
        json = answer.text === '' ? undefined : JSON.parse(answer.text);
      } catch {
        json = undefined;
      }
      return { ...answer, json };
    },
    press(actionId, value, pressOptions = {}) {
      const body = blockActionBody({
        actionId,
        value,
        userId: pressOptions.user ?? ALLOWED_USER,
        channelId: pressOptions.channel ?? OPS_CHANNEL,
        responseUrl: fake.responseUrl(pressOptions.responseId ?? `press-${++responses}`),
        ...(pressOptions.message === undefined ? {} : { message: pressOptions.message }),
      });
      return request('/slack/events', body, signedHeaders(SIGNING_SECRET, body));
    },
    slackRequest: (body, headers) => request('/slack/events', body, headers),
    logsOf,
    async waitForLog(event, predicate = () => true) {
      return fake.waitFor(() => records.find((r) => r.event === event && predicate(r)));
    },
    async idle() {
      // Work runs after each answer: give it a turn to start before waiting for what it started.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await bot.deps.work?.idle();
      await bot.deps.service.idle();
    },
    async stop() {
      await bot.stop();
      await socket?.close();
      await fake.close();
    },
  };
  return socket === undefined ? testBot : { ...testBot, socket };
}

/**
 * For a test file whose tests each start a bot: registers the `afterEach` that stops every bot the test started
 * (so a failed assertion never leaves a server or a socket open for the next test), and returns the start.
 */
export function testBotEachTest(): typeof startTestBot {
  let running: TestBot[] = [];
  afterEach(async () => {
    const stopping = running;
    running = [];
    for (const testBot of stopping) await testBot.stop();
  });
  function start(options: TestBotOptions & { mode: 'socket' }): Promise<SocketTestBot>;
  function start(options?: TestBotOptions): Promise<TestBot>;
  async function start(options: TestBotOptions = {}): Promise<TestBot> {
    const testBot = await startTestBot(options);
    running.push(testBot);
    return testBot;
  }
  return start;
}
