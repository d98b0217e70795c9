import { describe, expect, it } from 'vitest';
import { ACTION, encodeValue } from '../slack/ids.js';
import { alarmPayload } from '../test-support/alarm-payloads.js';
import { createFakeDeps } from '../test-support/fake-deps.js';
import { ALLOWED_USER, INSTANCES, OPS_CHANNEL, OTHER_USER, SECOND_USER } from '../test-support/test-bot.js';
import { alarmIgnore, alarmRestart, type ButtonArgs, restartConfirm } from './button-actions.js';

function press(
  actionId: string,
  value: string,
  user = ALLOWED_USER,
  message = { ts: '1700000000.000042', text: 'alarm', blocks: [{ type: 'section' }, { type: 'actions' }] },
) {
  const events: string[] = [];
  const responses: unknown[] = [];
  const args: ButtonArgs = {
    ack: async () => {
      events.push('ack');
    },
    respond: async (body) => {
      events.push('respond');
      responses.push(body);
    },
    action: { action_id: actionId, value },
    body: { user: { id: user }, channel: { id: OPS_CHANNEL }, message },
  };
  return { args, events, responses };
}

describe('button listeners', () => {
  it('ack first, then refuse a user who is not allowed, and start nothing', async () => {
    const fake = createFakeDeps();
    for (const listener of [alarmRestart, alarmIgnore, restartConfirm]) {
      const { args, events, responses } = press(
        ACTION.alarmRestart,
        encodeValue({ target: 'api', alarm: 'cpu' }),
        OTHER_USER,
      );
      await listener(fake.deps)(args);
      expect(events).toEqual(['ack', 'respond']);
      expect(JSON.stringify(responses[0])).toContain('not allowed');
    }
    expect(fake.deps.service.runningCount).toBe(0);
    expect(fake.slack.updates).toEqual([]);
  });

  it('refuses a value naming a target that is not configured', async () => {
    const fake = createFakeDeps();
    const { args, responses } = press(ACTION.restartConfirm, encodeValue({ target: 'constructor' }));
    await restartConfirm(fake.deps)(args);
    expect(JSON.stringify(responses[0])).toContain('no longer configured');
    const garbage = press(ACTION.restartConfirm, '{not json');
    await restartConfirm(fake.deps)(garbage.args);
    expect(JSON.stringify(garbage.responses[0])).toContain('no longer configured');
    expect(fake.deps.service.runningCount).toBe(0);
  });

  /** Posts an `ALARM` (or its `OK`) for api (policy confirm) through the router; returns the alarm message's ts. */
  async function alarmOnApi(fake: ReturnType<typeof createFakeDeps>, state: 'ALARM' | 'OK' = 'ALARM') {
    const payload = alarmPayload({ instanceId: INSTANCES.api, name: 'cpu-high', state });
    await fake.deps.alarms.handle(payload, { messageId: `m-${state}-${fake.slack.posts.length}` });
    await fake.deps.alarms.idle();
    return fake.slack.posts.find((p) => p.message.threadTs === undefined)?.ts ?? '';
  }
  const alarmMessage = (ts: string) => ({
    ts,
    text: 'alarm',
    blocks: [{ type: 'section' }, { type: 'actions' }],
  });
  /** An allowed user presses Restart under the alarm message `ts`; returns what the bot answered them. */
  async function restartUnder(fake: ReturnType<typeof createFakeDeps>, ts: string): Promise<unknown[]> {
    const value = encodeValue({ target: 'api', alarm: 'cpu-high' });
    const { args, responses } = press(ACTION.alarmRestart, value, ALLOWED_USER, alarmMessage(ts));
    await alarmRestart(fake.deps)(args);
    return responses;
  }

  it('Restart under an alarm renders the recovery into that alarm message', async () => {
    const fake = createFakeDeps();
    const ts = await alarmOnApi(fake);
    const posted = fake.slack.posts.length;
    expect(await restartUnder(fake, ts)).toEqual([]);
    await fake.deps.service.idle();
    expect(fake.slack.posts.slice(posted).filter((p) => p.message.threadTs === undefined)).toEqual([]);
    expect(fake.slack.updates.at(-1)?.message).toEqual({ channel: OPS_CHANNEL, ts });
    expect(JSON.stringify(fake.slack.updates.at(-1)?.content.blocks)).toContain('Recovered');
    expect(fake.cloud('api').facts().rebootRequestedAt).toHaveLength(1);
  });

  it('Restart under an alarm the bot knows nothing of (it restarted since) restarts as asked', async () => {
    const fake = createFakeDeps();
    expect(await restartUnder(fake, '1700000000.000042')).toEqual([]);
    await fake.deps.service.idle();
    expect(fake.cloud('api').facts().rebootRequestedAt).toHaveLength(1);
  });

  it('Restart in the thread of an open alarm restarts; once the alarm is over, it asks again', async () => {
    const fake = createFakeDeps();
    const ts = await alarmOnApi(fake);
    const value = encodeValue({ target: 'api', alarm: 'cpu-high' });
    const inThread = { ...alarmMessage('1700000000.000999'), thread_ts: ts };
    await alarmRestart(fake.deps)(press(ACTION.alarmRestart, value, ALLOWED_USER, inThread).args);
    await fake.deps.service.idle();
    expect(fake.cloud('api').facts().rebootRequestedAt).toHaveLength(1);

    await alarmOnApi(fake, 'OK');
    const again = press(ACTION.alarmRestart, value, ALLOWED_USER, inThread);
    await alarmRestart(fake.deps)(again.args);
    await fake.deps.service.idle();
    expect(fake.cloud('api').facts().rebootRequestedAt).toHaveLength(1);
    expect(JSON.stringify(again.responses[0])).toContain('no longer open');
  });

  it('Restart under an alarm that has returned to OK restarts nothing and asks again', async () => {
    const fake = createFakeDeps();
    const ts = await alarmOnApi(fake);
    await alarmOnApi(fake, 'OK');
    const responses = await restartUnder(fake, ts);
    await fake.deps.service.idle();
    expect(fake.cloud('api').facts().rebootRequestedAt).toEqual([]);
    expect(fake.deps.service.runningCount).toBe(0);
    expect(responses).toHaveLength(1);
    const answer = JSON.stringify(responses[0]);
    expect(answer).toContain('no longer open');
    expect(answer).toContain(ACTION.restartConfirm);
    expect(responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  });

  it('Restart under several alarms gathered into one message is not checked: its button names only the first', async () => {
    const fake = createFakeDeps();
    const ts = await alarmOnApi(fake);
    await alarmOnApi(fake, 'OK');
    const value = encodeValue({ target: 'api', alarm: 'cpu-high', gathered: true });
    const { args, responses } = press(ACTION.alarmRestart, value, ALLOWED_USER, alarmMessage(ts));
    await alarmRestart(fake.deps)(args);
    await fake.deps.service.idle();
    expect(responses).toEqual([]);
    expect(fake.cloud('api').facts().rebootRequestedAt).toHaveLength(1);
  });

  it('Restart under an older message of an alarm that fired again asks again too', async () => {
    const fake = createFakeDeps();
    const first = await alarmOnApi(fake);
    await alarmOnApi(fake, 'OK');
    await fake.deps.alarms.handle(alarmPayload({ instanceId: INSTANCES.api, name: 'cpu-high' }), {
      messageId: 'm-again',
    });
    await fake.deps.alarms.idle();
    const responses = await restartUnder(fake, first);
    expect(JSON.stringify(responses[0])).toContain('no longer open');
    expect(fake.deps.service.runningCount).toBe(0);
  });

  it('Ignore keeps the message but drops its buttons', async () => {
    const fake = createFakeDeps();
    const { args } = press(ACTION.alarmIgnore, encodeValue({ target: 'api', alarm: 'cpu-high' }));
    await alarmIgnore(fake.deps)(args);
    const blocks = fake.slack.updates[0]?.content.blocks as Array<{ type: string }>;
    expect(blocks.map((b) => b.type)).toEqual(['section', 'context']);
    expect(fake.deps.service.runningCount).toBe(0);
  });

  it('Ignore pressed after a Restart leaves the progress message alone and says who restarts', async () => {
    const fake = createFakeDeps();
    const ts = await alarmOnApi(fake);
    await restartUnder(fake, ts);
    expect(fake.deps.service.running('api')).toBeDefined();

    const value = encodeValue({ target: 'api', alarm: 'cpu-high' });
    const ignore = press(ACTION.alarmIgnore, value, SECOND_USER, alarmMessage(ts));
    await alarmIgnore(fake.deps)(ignore.args);
    await fake.deps.service.idle();
    expect(JSON.stringify(ignore.responses[0])).toContain('Nothing to ignore');
    expect(JSON.stringify(ignore.responses[0])).toContain(`<@${ALLOWED_USER}>`);
    expect(JSON.stringify(fake.slack.updates)).not.toContain('Ignored by');
    expect(JSON.stringify(fake.slack.updates.at(-1)?.content.blocks)).toContain('Recovered');
  });
});
