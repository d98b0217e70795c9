import { describe, expect, it } from 'vitest';
import { alarmPayload } from './test-support/alarm-payloads.js';
import {
  ALLOWED_USER,
  APP_TOKEN,
  INSTANCES,
  OPS_CHANNEL,
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
});
