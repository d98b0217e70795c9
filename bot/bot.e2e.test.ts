import { describe, expect, it } from 'vitest';
import { ACTION, encodeValue } from './slack/ids.js';
import type { ApiCall } from './test-support/fake-slack.js';
import { INSTANCES, OPS_CHANNEL, type TestBot, TOPIC_ARN, testBotEachTest } from './test-support/test-bot.js';

/** The real bot on a loopback port: SNS deliveries in, Slack Web API calls out (to a fake that records them). */

const start = testBotEachTest();

const blocksText = (call: ApiCall | undefined): string => JSON.stringify(call?.args.blocks ?? []);
const hasButtons = (call: ApiCall | undefined): boolean => blocksText(call).includes(ACTION.alarmRestart);

describe('alarms over SNS', () => {
  it('recovers on a valid ALARM and shows the progress in one message that updates in place', async () => {
    const t = await start();
    const answer = await t.postSns(t.alarm({ instanceId: INSTANCES.web }));
    expect(answer.status).toBe(200);
    await t.idle();

    const facts = t.cloud('web').facts();
    expect(facts.rebootRequestedAt).toHaveLength(1);
    expect(facts.appUp).toBe(true);

    const posts = t.fake.callsOf('chat.postMessage');
    const progress = posts.find((p) => p.args.thread_ts === undefined);
    expect(progress?.args.channel).toBe(OPS_CHANNEL);
    expect(blocksText(progress)).toContain('domtory-cpu-high');
    expect(blocksText(progress)).toContain('Preflight');
    // Every later state is an update of that same message, never a new one.
    const progressTs = progress?.result.ts;
    const updates = t.fake.callsOf('chat.update');
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((u) => u.args.ts === progressTs)).toBe(true);
    const final = blocksText(updates.at(-1));
    expect(final).toContain('Recovered');
    for (const step of [
      'Collect evidence',
      'Restart instance',
      'Wait for a new boot',
      'Start the compose app',
      'Verify the app',
    ]) {
      expect(final).toContain(`✅ *${step}*`);
    }
    const thread = posts.filter((p) => p.args.thread_ts !== undefined);
    expect(thread.every((p) => p.args.thread_ts === progressTs)).toBe(true);
    expect(thread.map((p) => String(p.args.text))).toEqual(
      expect.arrayContaining(['Evidence before the restart', 'docker compose up -d: exit 0']),
    );
    expect(t.logsOf('recovery.finished')[0]).toMatchObject({ outcome: 'recovered', target: 'web' });
  });

  it("maps metric-math alarms and CloudWatch's +0000 timestamps to the target", async () => {
    const t = await start();
    expect((await t.postSns(t.alarm({ instanceId: INSTANCES.web, metricMath: true }))).status).toBe(200);
    await t.idle();
    expect(t.cloud('web').facts().rebootRequestedAt).toHaveLength(1);
  });

  it('starts nothing new for duplicate deliveries, sequential or concurrent', async () => {
    const t = await start();
    const alarm = t.alarm({ instanceId: INSTANCES.web });
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.postSns(alarm)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await t.idle();
    expect((await t.postSns(alarm)).status).toBe(200);
    await t.idle();
    expect(t.logsOf('recovery.started')).toHaveLength(1);
    expect(t.logsOf('sns.duplicate')).toHaveLength(20);
    expect(t.cloud('web').facts().rebootRequestedAt).toHaveLength(1);
  });

  it('posts "resolved" in the alarm\'s thread when the alarm returns to OK', async () => {
    const t = await start();
    await t.postSns(t.alarm({ instanceId: INSTANCES.web }));
    await t.idle();
    const progressTs = t.fake.callsOf('chat.postMessage')[0]?.result.ts;
    expect(progressTs).toBeDefined();
    expect((await t.postSns(t.alarm({ instanceId: INSTANCES.web, state: 'OK' }))).status).toBe(200);
    const resolved = await t.fake.waitFor(() =>
      t.fake.callsOf('chat.postMessage').find((p) => String(p.args.text).startsWith('Resolved')),
    );
    expect(resolved.args.thread_ts).toBe(progressTs);
    expect(t.cloud('web').facts().rebootRequestedAt).toHaveLength(1);
  });

  it('past the cooldown, asks a person instead of rebooting again', async () => {
    const t = await start();
    await t.postSns(t.alarm({ instanceId: INSTANCES.web }));
    await t.idle();
    // The alarm fires again a few (simulated) minutes after the first recovery: inside the 15 min cooldown.
    await t.postSns(t.alarm({ instanceId: INSTANCES.web }));
    const asked = await t.fake.waitFor(() =>
      t.fake.callsOf('chat.postMessage').find((p) => blocksText(p).includes('will not restart it again')),
    );
    expect(hasButtons(asked)).toBe(true);
    await t.idle();
    expect(t.cloud('web').facts().rebootRequestedAt).toHaveLength(1);
    expect(t.logsOf('alarm.routed').at(-1)).toMatchObject({ action: 'asked', reason: 'cooldown' });
  });

  it('notify policy only posts', async () => {
    const t = await start();
    await t.postSns(t.alarm({ instanceId: INSTANCES.docs }));
    const post = await t.fake.waitFor(() => t.fake.callsOf('chat.postMessage')[0]);
    expect(hasButtons(post)).toBe(false);
    expect(blocksText(post)).toContain('Policy *notify*');
    await t.idle();
    expect(t.cloud('docs').calls().total).toBe(0);
    expect(t.logsOf('recovery.started')).toEqual([]);
  });

  it('keeps recovering when Slack fails: a Slack outage never fails the recovery', async () => {
    const t = await start();
    t.fake.fail('chat.postMessage', { error: 'channel_not_found' });
    t.fake.fail('chat.update', { status: 500 });
    await t.postSns(t.alarm({ instanceId: INSTANCES.web }));
    await t.idle();
    expect(t.logsOf('recovery.finished')[0]).toMatchObject({ outcome: 'recovered' });
    expect(t.cloud('web').facts().appUp).toBe(true);
    expect(t.logsOf('slack.call-failed').length).toBeGreaterThan(0);
  });
});

describe('confirm policy and its buttons', () => {
  async function alarmWithButtons(t: TestBot) {
    await t.postSns(t.alarm({ instanceId: INSTANCES.api }));
    const post = await t.fake.waitFor(() => t.fake.callsOf('chat.postMessage')[0]);
    expect(hasButtons(post)).toBe(true);
    const blocks = post.args.blocks as Array<{
      type: string;
      elements?: Array<{ action_id?: string; value?: string }>;
    }>;
    const value = blocks
      .find((b) => b.type === 'actions')
      ?.elements?.find((e) => e.action_id === ACTION.alarmRestart)?.value;
    return {
      post,
      value: value ?? '',
      message: { ts: String(post.result.ts), text: String(post.args.text), blocks },
    };
  }

  it('posts Restart / Ignore and restarts nothing until an allowed user presses Restart', async () => {
    const t = await start();
    const { value, message } = await alarmWithButtons(t);
    await t.idle();
    expect(t.cloud('api').facts().rebootRequestedAt).toEqual([]);

    expect(
      (await t.press(ACTION.alarmRestart, value, { user: 'U0STRANGER', message, responseId: 'stranger' }))
        .status,
    ).toBe(200);
    const refusal = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'stranger'));
    expect(refusal.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(refusal.body.text)).toContain('not allowed');
    await t.idle();
    expect(t.cloud('api').facts().rebootRequestedAt).toEqual([]);

    expect((await t.press(ACTION.alarmRestart, value, { message })).status).toBe(200);
    await t.waitForLog('recovery.started');
    await t.idle();
    expect(t.cloud('api').facts().rebootRequestedAt).toHaveLength(1);
    // The alarm message itself became the progress message.
    const updates = t.fake.callsOf('chat.update');
    expect(updates.every((u) => u.args.ts === message.ts)).toBe(true);
    expect(blocksText(updates.at(-1))).toContain('Recovered');
    expect(blocksText(updates.at(-1))).toContain('restart approved by <@U0ALLOWED>');
  });

  it('refuses every button pressed in a channel that is not allowed, even by an allowed user', async () => {
    const t = await start();
    const { value, message } = await alarmWithButtons(t);
    const presses = [
      [ACTION.alarmRestart, value],
      [ACTION.alarmIgnore, value],
      [ACTION.restartConfirm, encodeValue({ target: 'api' })],
    ] as const;
    for (const [actionId, pressed] of presses) {
      const responseId = `elsewhere-${actionId}`;
      const answer = await t.press(actionId, pressed, { channel: 'C0RANDOM', message, responseId });
      expect(answer.status).toBe(200);
      const refusal = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === responseId));
      expect(refusal.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(String(refusal.body.text)).toContain('not enabled in this channel');
      expect(String(refusal.body.text)).toContain(`<#${OPS_CHANNEL}>`);
    }
    await t.idle();
    expect(t.logsOf('slack.refused')).toEqual(
      presses.map(([actionId]) =>
        expect.objectContaining({ reason: 'channel-not-allowed', channel: 'C0RANDOM', action: actionId }),
      ),
    );
    // Nothing restarted, and the alarm message kept its buttons for someone in the right channel.
    expect(t.logsOf('recovery.started')).toEqual([]);
    expect(t.cloud('api').facts().rebootRequestedAt).toEqual([]);
    expect(t.fake.callsOf('chat.update')).toEqual([]);
  });

  it('Ignore removes the buttons and says who decided', async () => {
    const t = await start();
    const { value, message } = await alarmWithButtons(t);
    await t.press(ACTION.alarmIgnore, value, { message });
    const update = await t.fake.waitFor(() => t.fake.callsOf('chat.update')[0]);
    expect(update.args.ts).toBe(message.ts);
    expect(blocksText(update)).toContain('Ignored by <@U0ALLOWED>');
    expect(hasButtons(update)).toBe(false);
    await t.idle();
    expect(t.cloud('api').facts().rebootRequestedAt).toEqual([]);
  });
});

describe('SNS subscriptions', () => {
  it('confirms a signed SubscriptionConfirmation for a configured topic by visiting its SubscribeURL', async () => {
    const t = await start();
    const confirmation = t.signer.confirmation({ topicArn: TOPIC_ARN });
    const answer = await t.postSns(confirmation);
    expect(answer).toEqual({ status: 200, text: 'confirmation' });
    const confirmed = await t.waitForLog('sns.subscription-confirmed');
    expect(confirmed).toMatchObject({ level: 'info', topicArn: TOPIC_ARN });
    // Visited once, exactly the link SNS signed: SNS's own ConfirmSubscription for this topic, with its token.
    expect(t.confirmed).toEqual([new URL(confirmation.SubscribeURL).href]);
    const visited = new URL(t.confirmed[0] ?? '');
    expect(visited.host).toBe('sns.ap-northeast-2.amazonaws.com');
    expect(Object.fromEntries(visited.searchParams)).toEqual({
      Action: 'ConfirmSubscription',
      TopicArn: TOPIC_ARN,
      Token: confirmation.Token,
    });
    expect(t.logsOf('sns.received')).toEqual([
      expect.objectContaining({ type: 'SubscriptionConfirmation', messageId: confirmation.MessageId }),
    ]);
    expect(t.logsOf('sns.subscription-failed')).toEqual([]);
    await t.idle();
    // Nothing said in Slack: the only call is the start's auth.test.
    expect(t.fake.calls.map((c) => c.method)).toEqual(['auth.test']);
  });
});
