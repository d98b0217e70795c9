import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../shared/index.js';
import { createSimulatedCloud } from '../shared/sim/index.js';
import { createMemoryLogger } from './logger.js';
import { customPortsProvider } from './recovery/ports-provider.js';
import { startBot } from './start-bot.js';
import { alarmPayload } from './test-support/alarm-payloads.js';
import { type FakeSlack, startFakeSlack } from './test-support/fake-slack.js';
import { type FakeSocketMode, startFakeSocketMode } from './test-support/fake-socket-mode.js';
import { rawGetStatusLine } from './test-support/raw-request.js';
import {
  ALLOWED_USER,
  APP_TOKEN,
  INSTANCES,
  OPS_CHANNEL,
  TEST_CONFIG,
  TOPIC_ARN,
  testBotEachTest,
} from './test-support/test-bot.js';

/** Socket Mode: Slack over a WebSocket the bot opens (no public URL), SNS still over the bot's own HTTP server. */

const start = testBotEachTest();
const startSocketBot = () => start({ mode: 'socket' });

describe('Socket Mode', () => {
  it('takes /domtory over the WebSocket and acks each envelope', async () => {
    const { fake, socket } = await startSocketBot();
    expect(fake.callsOf('apps.connections.open')[0]?.token).toBe(APP_TOKEN);
    const payload = {
      token: 'x',
      team_id: 'T0TEST',
      team_domain: 'test',
      channel_id: OPS_CHANNEL,
      channel_name: 'ops',
      user_id: ALLOWED_USER,
      user_name: 'someone',
      command: '/domtory',
      api_app_id: 'A0TEST',
      response_url: fake.responseUrl('socket'),
      trigger_id: '1.2.3',
    };
    socket.deliver({
      envelope_id: 'e-help',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { ...payload, text: 'help' },
    });
    const help = await socket.waitForAck('e-help');
    expect(JSON.stringify(help.payload)).toContain('/domtory restart [target]');

    socket.deliver({
      envelope_id: 'e-restart',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { ...payload, text: 'restart web' },
    });
    await socket.waitForAck('e-restart');
    const prompt = await fake.waitFor(() => fake.responses.find((r) => r.id === 'socket'));
    expect(JSON.stringify(prompt.body.blocks)).toContain('domtory_restart_confirm');
  });

  it('still serves SNS and the health check on its own HTTP server', async () => {
    const { bot, fake, signer } = await startSocketBot();
    const health = await (await fetch(`${bot.url}/healthz`)).json();
    expect(health).toMatchObject({ ok: true, mode: 'socket' });
    const alarm = signer.notification({
      topicArn: TOPIC_ARN,
      message: alarmPayload({ instanceId: INSTANCES.web }),
    });
    const answer = await fetch(`${bot.url}/sns`, {
      method: 'POST',
      body: JSON.stringify(alarm),
      headers: signer.headers(alarm),
    });
    expect(answer.status).toBe(200);
    await fake.waitFor(
      () => fake.callsOf('chat.update').some((c) => JSON.stringify(c.args.blocks).includes('Recovered')),
      10_000,
    );
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('answers a request target no URL parser accepts with 404, and goes on serving', async () => {
    const { bot } = await startSocketBot();
    const statusLine = await rawGetStatusLine(bot.url, 'http://[bad/sns');
    expect(statusLine).toBe('HTTP/1.1 404 Not Found');
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });
});

describe('Socket Mode: a start that fails leaves nothing running', () => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  const listening = async (port = 0): Promise<Server> => {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return server;
  };
  const portOf = (server: Server) => (server.address() as { port: number }).port;
  const closing = (server: Server) => () => new Promise<void>((resolve) => server.close(() => resolve()));

  /** A fake Socket Mode server, and a fake Slack whose `apps.connections.open` answers `connectionsOpen`. */
  const fakes = async (connectionsOpen?: Record<string, unknown>) => {
    const socket = await startFakeSocketMode();
    const fake = await startFakeSlack({
      answers: { 'apps.connections.open': connectionsOpen ?? { ok: true, url: socket.url } },
    });
    cleanup.push(socket.close, fake.close);
    return { socket, fake };
  };
  const start = (fake: FakeSlack, port: number) =>
    startBot({
      config: parseConfig(TEST_CONFIG, 'test config'),
      mode: 'socket',
      appToken: APP_TOKEN,
      botToken: 'xoxb-test-token',
      host: '127.0.0.1',
      port,
      ports: customPortsProvider(
        (target) => createSimulatedCloud({ scenario: 'clean', instanceId: target.instanceId }).ports,
      ),
      slackApiUrl: fake.apiUrl,
      slackRetries: 0,
      logger: createMemoryLogger('debug').logger,
    });
  const noSocketOpen = (fake: FakeSlack, socket: FakeSocketMode) =>
    fake.waitFor(() => socket.openConnections === 0, 2_000);

  it('a port in use fails the start before a Slack socket is opened', async () => {
    const taken = await listening();
    cleanup.push(closing(taken));
    const { socket, fake } = await fakes();
    await expect(start(fake, portOf(taken))).rejects.toThrow(/EADDRINUSE/);
    // A bot with a socket but no /sns would answer /domtory, never hear an alarm, and keep its process alive.
    await noSocketOpen(fake, socket);
    expect(fake.callsOf('apps.connections.open')).toEqual([]);
  });

  it('a socket Slack refuses fails the start and frees the HTTP port it had taken', async () => {
    const probe = await listening();
    const port = portOf(probe);
    await closing(probe)();
    const { socket, fake } = await fakes({ ok: false, error: 'invalid_auth' });
    await expect(start(fake, port)).rejects.toThrow(/invalid_auth/);
    expect(fake.callsOf('apps.connections.open')).toHaveLength(1);
    await noSocketOpen(fake, socket);
    // The port is free again: the SNS server that listened on it before the socket was asked for is closed.
    cleanup.push(closing(await listening(port)));
  });
});
