import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { readHistory } from '../../shared/index.js';
import { ACTION, encodeValue } from '../slack/ids.js';
import { alarmPayload } from '../test-support/alarm-payloads.js';
import type { ApiCall } from '../test-support/fake-slack.js';
import { holdReboot } from '../test-support/held-recoveries.js';
import { slackSignature } from '../test-support/slack-requests.js';
import { DEADLINE_CLEANUP_MS, type FunctionUrlResponse } from './handler.js';
import { MARGIN_SECONDS } from './settings.js';
import {
  ACCOUNT,
  cloudWatchActionEvent,
  FUNCTION_ARN,
  functionUrlEvent,
  lambdaContext,
  signedSlackEvent,
  snsEvent,
} from './test-support/lambda-events.js';
import {
  ALLOWED_USER,
  CHANNEL,
  type HarnessOptions,
  INSTANCES,
  type LambdaHarness,
  OTHER_USER,
  SIGNING_SECRET,
  startLambdaHarness,
} from './test-support/lambda-harness.js';

/**
 * The handler invoked with events in the shapes AWS delivers, Slack as a local fake, the instances simulated, and
 * the Lambda API mocked: what each kind of invocation does, and what it must not do.
 */

let harness: LambdaHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});
async function start(options: HarnessOptions = {}): Promise<LambdaHarness> {
  harness = await startLambdaHarness(options);
  return harness;
}

const blocksText = (call: ApiCall | undefined): string => JSON.stringify(call?.args.blocks ?? []);
const asHttp = (value: unknown) => value as FunctionUrlResponse;
const ackJson = (value: unknown): Record<string, unknown> =>
  JSON.parse(asHttp(value).body || '{}') as Record<string, unknown>;

describe('Slack through the Function URL', () => {
  it('does nothing at all for a request Slack did not sign: 401, no Slack call, no AWS call', async () => {
    const t = await start();
    const handler = t.container();
    const body = 'command=%2Fdomtory&text=restart+web&user_id=U0ALLOWED&channel_id=C0OPS';
    const now = Math.floor(Date.now() / 1000);
    const attempts = [
      functionUrlEvent({ body }),
      functionUrlEvent({
        body,
        headers: { 'x-slack-request-timestamp': String(now), 'x-slack-signature': 'v0=deadbeef' },
      }),
      functionUrlEvent({
        body,
        headers: {
          'x-slack-request-timestamp': String(now),
          'x-slack-signature': slackSignature('wrong-secret', body, now),
        },
      }),
      // Correctly signed, but six minutes old: a replay.
      signedSlackEvent(SIGNING_SECRET, body, now - 360),
      // A GET of the URL with no body, as a curious browser would send.
      functionUrlEvent({ body: '', method: 'GET', path: '/' }),
    ];
    for (const event of attempts) {
      expect(asHttp(await handler(event, lambdaContext())).statusCode).toBe(401);
    }
    expect(t.fake.calls).toEqual([]);
    expect(t.fake.responses).toEqual([]);
    expect(t.lambda.calls()).toEqual([]);
    expect(t.cloud('web').calls().total).toBe(0);
    expect(t.logsOf('slack.rejected')).toHaveLength(attempts.length);
  });

  it('never treats an HTTP request as the internal run event, signed or not', async () => {
    const t = await start();
    const handler = t.container();
    const forged = JSON.stringify({
      kind: 'domtory-recovery/run',
      version: 1,
      id: '6f1c1f52-8a44-4d39-9a0c-1f6d6f0f7a11',
      requestedAt: new Date().toISOString(),
      target: 'web',
      dryRun: false,
      owner: 'slack:U0ALLOWED',
      trigger: { kind: 'slack', actor: 'U0ALLOWED' },
      header: 'forged',
    });
    const unsigned = functionUrlEvent({ body: forged, headers: { 'content-type': 'application/json' } });
    expect(asHttp(await handler(unsigned, lambdaContext())).statusCode).toBe(401);
    // Even signed (a leaked signing secret), the body only ever reaches Bolt, which knows no such request.
    const signed = signedSlackEvent(SIGNING_SECRET, forged);
    (signed.headers as Record<string, string>)['content-type'] = 'application/json';
    expect(asHttp(await handler(signed, lambdaContext())).statusCode).toBe(404);
    expect(t.cloud('web').calls().total).toBe(0);
    expect(t.lambda.calls()).toEqual([]);
    expect(t.logsOf('recovery.started')).toEqual([]);
  });

  it('answers a signed slash command from the acknowledgement itself, verifying the token once per container', async () => {
    const t = await start();
    const handler = t.container();
    const first = asHttp(await handler(t.slashCommand('help'), lambdaContext()));
    expect(first.statusCode).toBe(200);
    expect(String(ackJson(first).text)).toContain('/domtory restart');
    await handler(t.slashCommand('help'), lambdaContext());
    expect(t.fake.callsOf('auth.test')).toHaveLength(1);
  });

  it('decodes the base64 body as UTF-8, so a non-ASCII body keeps its signature', async () => {
    const t = await start();
    const handler = t.container();
    // Slack percent-encodes forms, but nothing guarantees that every byte Slack signs is ASCII.
    const body =
      'command=/domtory&text=상태 web&user_id=U0ALLOWED&channel_id=C0OPS&response_url=http://127.0.0.1:9/x';
    const response = asHttp(await handler(signedSlackEvent(SIGNING_SECRET, body), lambdaContext()));
    expect(response.statusCode).toBe(200);
  });

  it('hands a drill to an asynchronous invocation of itself, and the worker runs it', async () => {
    const t = await start();
    const front = t.container();
    const ack = asHttp(
      await front(t.slashCommand('drill web'), lambdaContext({ functionArn: `${FUNCTION_ARN}:$LATEST` })),
    );
    expect(ack.statusCode).toBe(200);
    expect(String(ackJson(ack).text)).toContain('Drill of *web* starting');

    // Handed over before the Slack invocation returned: an Event invocation of its own unqualified ARN.
    const [invoke] = t.lambda.commandCalls(InvokeCommand);
    expect(invoke?.args[0].input).toMatchObject({ FunctionName: FUNCTION_ARN, InvocationType: 'Event' });
    const [run] = t.handedOver();
    expect(run).toMatchObject({
      kind: 'domtory-recovery/run',
      target: 'web',
      dryRun: true,
      owner: `slack:${ALLOWED_USER}`,
      trigger: { kind: 'slack', actor: ALLOWED_USER },
    });
    // The Slack invocation itself touched no instance.
    expect(t.cloud('web').calls().total).toBe(0);

    const worker = t.container();
    const result = await worker(run, lambdaContext());
    expect(result).toEqual({ kind: 'internal-run', outcome: 'rehearsed' });
    expect(t.cloud('web').facts().rebootRequestedAt).toEqual([]);
    const progress = t.fake.callsOf('chat.postMessage').find((p) => p.args.thread_ts === undefined);
    expect(progress?.args.channel).toBe(CHANNEL);
    expect(blocksText(progress)).toContain('Drill');
  });

  it('answers /domtory restart right after the ack: the lock read and the prompt come from another invocation', async () => {
    const t = await start();
    const front = t.container();
    const ack = asHttp(await front(t.slashCommand('restart web', { responseId: 'prompt' }), lambdaContext()));
    // The Function URL's answer is the ack alone: when it was returned, nothing had read the lock and Slack had
    // no prompt; the only thing that happened after the ack is the hand-off of the command.
    expect(ack).toMatchObject({ statusCode: 200, body: '' });
    expect(t.fake.responses).toEqual([]);
    expect(t.cloud('web').calls().total).toBe(0);
    expect(t.fake.calls.map((c) => c.method)).toEqual(['auth.test']);
    const [command] = t.commandsHandedOver();
    expect(command).toMatchObject({
      kind: 'domtory-recovery/command',
      text: 'restart web',
      user: ALLOWED_USER,
      channel: CHANNEL,
      responseUrl: t.fake.responseUrl('prompt'),
    });
    expect(t.handedOver()).toEqual([]);

    // The worker (a fresh container) reads the lock and answers through the command's response_url.
    expect(await t.container()(command, lambdaContext())).toEqual({
      kind: 'internal-command',
      outcome: 'answered',
    });
    expect(t.fake.responses.map((r) => r.id)).toEqual(['prompt']);
    expect(JSON.stringify(t.fake.responses[0]?.body)).toContain(ACTION.restartConfirm);
    expect(t.cloud('web').calls()).toMatchObject({ total: 1, GetParameter: 1 });
    expect(t.logsOf('slack.command-resumed')).toHaveLength(1);
    // Lambda repeats an asynchronous delivery now and then: answered once per container.
    const worker = t.container();
    await worker(command, lambdaContext());
    expect(await worker(command, lambdaContext())).toEqual({
      kind: 'internal-command',
      outcome: 'duplicate',
    });
  });

  it('defers status and history the same way, and never posts a deferred answer outside Slack', async () => {
    const t = await start();
    const front = t.container();
    for (const [text, responseId] of [
      ['status', 'status'],
      ['history web', 'history'],
    ] as const) {
      const ack = asHttp(await front(t.slashCommand(text, { responseId }), lambdaContext()));
      expect(ack).toMatchObject({ statusCode: 200, body: '' });
    }
    expect(t.fake.responses).toEqual([]);
    const commands = t.commandsHandedOver();
    expect(commands.map((c) => c.text)).toEqual(['status', 'history web']);
    for (const command of commands) await t.container()(command, lambdaContext());
    expect(t.fake.responses.map((r) => r.id)).toEqual(['status', 'history']);
    expect(String(t.fake.responses[0]?.body.text)).toContain('web');

    // An event naming another host (only IAM principals can send one, but still) posts nowhere.
    const elsewhere = {
      ...commands[0],
      id: '0b4f9c55-3f5e-4d8a-9a45-2f7a1d3c9e10',
      responseUrl: 'https://example.com/x',
    };
    expect(await t.container()(elsewhere, lambdaContext())).toEqual({
      kind: 'internal-command',
      outcome: 'refused',
    });
    expect(t.fake.responses).toHaveLength(2);
    expect(t.logsOf('lambda.command-refused')).toEqual([
      expect.objectContaining({ reason: 'foreign-response-url' }),
    ]);
  });

  it('answers in place when the command cannot be handed over', async () => {
    const t = await start();
    t.lambda.on(InvokeCommand).rejects(new Error('AccessDeniedException'));
    const ack = asHttp(
      await t.container()(t.slashCommand('restart web', { responseId: 'prompt' }), lambdaContext()),
    );
    expect(ack.statusCode).toBe(200);
    expect(JSON.stringify(t.fake.responses.find((r) => r.id === 'prompt')?.body)).toContain(
      ACTION.restartConfirm,
    );
    expect(t.logsOf('lambda.hand-over-failed')).toHaveLength(1);
  });

  it('restarts after the confirmation button: the front only hands over, the worker recovers the instance', async () => {
    const t = await start();
    const front = t.container();
    await front(t.slashCommand('restart web', { responseId: 'prompt' }), lambdaContext());
    const [command] = t.commandsHandedOver();
    await t.container()(command, lambdaContext());
    const prompt = t.fake.responses.find((r) => r.id === 'prompt');
    expect(JSON.stringify(prompt?.body)).toContain(ACTION.restartConfirm);
    // Only the lock was read to answer the command.
    expect(t.cloud('web').calls().total).toBe(t.cloud('web').calls().GetParameter);

    const press = asHttp(
      await front(
        t.press(ACTION.restartConfirm, encodeValue({ target: 'web' }), { responseId: 'confirm' }),
        lambdaContext(),
      ),
    );
    expect(press.statusCode).toBe(200);
    expect(t.cloud('web').facts().rebootRequestedAt).toEqual([]);
    expect(JSON.stringify(t.fake.responses.find((r) => r.id === 'confirm')?.body)).toContain('started');

    const [run] = t.handedOver();
    const result = await t.container()(run, lambdaContext());
    expect(result).toEqual({ kind: 'internal-run', outcome: 'recovered' });
    const facts = t.cloud('web').facts();
    expect(facts.rebootRequestedAt).toHaveLength(1);
    expect(facts.appUp).toBe(true);
    const final = t.fake.callsOf('chat.update').at(-1);
    expect(blocksText(final)).toContain('Recovered');
  });

  it('hands a double click over once, and refuses users the config does not allow', async () => {
    const t = await start();
    const front = t.container();
    const value = encodeValue({ target: 'web' });
    await front(t.press(ACTION.restartConfirm, value), lambdaContext());
    await front(t.press(ACTION.restartConfirm, value, { responseId: 'second' }), lambdaContext());
    await front(
      t.press(ACTION.restartConfirm, value, { user: OTHER_USER, responseId: 'stranger' }),
      lambdaContext(),
    );
    expect(t.handedOver()).toHaveLength(1);
    expect(JSON.stringify(t.fake.responses.find((r) => r.id === 'second')?.body)).toContain(
      'already running',
    );
    expect(JSON.stringify(t.fake.responses.find((r) => r.id === 'stranger')?.body)).toContain('not allowed');
  });

  it('tells the channel when the hand-off fails, since the person was told it started', async () => {
    const t = await start();
    t.lambda
      .on(InvokeCommand)
      .rejects(new Error('AccessDeniedException: not authorized to perform lambda:InvokeFunction'));
    const front = t.container();
    await front(t.press(ACTION.restartConfirm, encodeValue({ target: 'web' })), lambdaContext());
    const warning = t.fake
      .callsOf('chat.postMessage')
      .find((p) => String(p.args.text).includes('could not be started'));
    expect(warning?.args.channel).toBe(CHANNEL);
    expect(t.logsOf('lambda.hand-over-failed')).toHaveLength(1);
  });
});

describe('the worker', () => {
  it('runs at most one recovery per target across concurrent invocations: the lock in Parameter Store decides', async () => {
    const t = await start({ scenario: 'slow-shutdown' });
    // Two people confirm within the same second, each reaching a different container.
    await t.container()(t.press(ACTION.restartConfirm, encodeValue({ target: 'web' })), lambdaContext());
    await t.container()(t.press(ACTION.restartConfirm, encodeValue({ target: 'web' })), lambdaContext());
    const runs = t.handedOver();
    expect(runs).toHaveLength(2);
    const outcomes = await Promise.all(runs.map((run) => t.container()(run, lambdaContext())));
    expect(outcomes.map((o) => (o as { outcome: string }).outcome).sort()).toEqual(['recovered', 'refused']);
    expect(t.cloud('web').facts().rebootRequestedAt).toHaveLength(1);
    const refused = t.logsOf('recovery.finished').find((r) => r.outcome === 'refused');
    expect(refused).toMatchObject({ error: 'lock-held' });
  });

  it('runs a repeated delivery of the same event once per container', async () => {
    const t = await start();
    await t.container()(t.press(ACTION.restartConfirm, encodeValue({ target: 'web' })), lambdaContext());
    const [run] = t.handedOver();
    const worker = t.container();
    await worker(run, lambdaContext());
    expect(await worker(run, lambdaContext())).toEqual({ kind: 'internal-run', outcome: 'duplicate' });
    expect(t.cloud('web').facts().rebootRequestedAt).toHaveLength(1);
  });

  it('runs a repeated delivery that reaches another container after the first run once: the history knows its id', async () => {
    const t = await start();
    await t.container()(t.press(ACTION.restartConfirm, encodeValue({ target: 'web' })), lambdaContext());
    const [run] = t.handedOver();
    expect(await t.container()(run, lambdaContext())).toMatchObject({ outcome: 'recovered' });
    const postsBefore = t.fake.callsOf('chat.postMessage').length + t.fake.callsOf('chat.update').length;
    expect(await t.container()(run, lambdaContext())).toEqual({ kind: 'internal-run', outcome: 'duplicate' });
    expect(t.cloud('web').facts().rebootRequestedAt).toHaveLength(1);
    // Nothing is posted or rewritten for the copy: the first run's message keeps its verdict.
    expect(t.fake.callsOf('chat.postMessage').length + t.fake.callsOf('chat.update').length).toBe(
      postsBefore,
    );
    expect(t.logsOf('lambda.run-duplicate')).toEqual([expect.objectContaining({ seenIn: 'history' })]);
  });

  it('does not start a restart that reached it minutes late, and says so', async () => {
    const t = await start();
    await t.container()(t.press(ACTION.restartConfirm, encodeValue({ target: 'web' })), lambdaContext());
    const [run] = t.handedOver();
    const late = { ...run, requestedAt: new Date(Date.now() - 10 * 60_000).toISOString() };
    expect(await t.container()(late, lambdaContext())).toEqual({ kind: 'internal-run', outcome: 'stale' });
    expect(t.cloud('web').calls().total).toBe(0);
    expect(t.fake.callsOf('chat.postMessage').some((p) => String(p.args.text).includes('too late'))).toBe(
      true,
    );
  });

  it('does not answer a command that reached it minutes late, and says so through its response_url', async () => {
    const t = await start();
    await t.container()(t.slashCommand('status web', { responseId: 'late' }), lambdaContext());
    const [command] = t.commandsHandedOver();
    const late = { ...command, requestedAt: new Date(Date.now() - 10 * 60_000).toISOString() };
    expect(await t.container()(late, lambdaContext())).toEqual({
      kind: 'internal-command',
      outcome: 'stale',
    });
    expect(t.cloud('web').calls().total).toBe(0);
    expect(t.fake.responses.map((r) => r.id)).toEqual(['late']);
    expect(JSON.stringify(t.fake.responses[0]?.body)).toContain('too late');
    expect(t.logsOf('lambda.command-refused')).toEqual([expect.objectContaining({ reason: 'stale' })]);
  });

  it('does not start what could not finish before the invocation ends', async () => {
    const t = await start();
    await t.container()(t.press(ACTION.restartConfirm, encodeValue({ target: 'web' })), lambdaContext());
    const [run] = t.handedOver();
    expect(await t.container()(run, lambdaContext({ remainingMs: 600_000 }))).toEqual({
      kind: 'internal-run',
      outcome: 'not-enough-time',
    });
    expect(t.cloud('web').calls().total).toBe(0);
  });

  it('trusts only the target name from the event, and refuses malformed events', async () => {
    const t = await start();
    const worker = t.container();
    const base = {
      kind: 'domtory-recovery/run',
      version: 1,
      id: '6f1c1f52-8a44-4d39-9a0c-1f6d6f0f7a11',
      requestedAt: new Date().toISOString(),
      dryRun: false,
      owner: 'slack:U0ALLOWED',
      trigger: { kind: 'slack', actor: 'U0ALLOWED' },
      header: 'restart',
    };
    expect(await worker({ ...base, target: 'not-configured' }, lambdaContext())).toEqual({
      kind: 'internal-run',
      outcome: 'unknown-target',
    });
    expect(
      await worker({ ...base, target: 'web', instanceId: 'i-0ffffffffffffffff' }, lambdaContext()),
    ).toEqual({ kind: 'unrecognised' });
    expect(
      await worker({ ...base, target: 'web', trigger: { kind: 'alarm', actor: 'x' } }, lambdaContext()),
    ).toEqual({ kind: 'unrecognised' });
    expect(t.cloud('web').calls().total).toBe(0);
  });
});

/**
 * Delivers an alarm notification for api (policy confirm) to a fresh container, as SNS would; returns the latest
 * message posted outside a thread, as a button press carries it.
 */
async function alarmOnApi(
  t: LambdaHarness,
  id: string,
  options: { name?: string; state?: 'ALARM' | 'OK' } = {},
): Promise<{ ts: string; text: string; blocks: unknown[] }> {
  await t.container()(
    snsEvent({
      message: alarmPayload({ instanceId: INSTANCES.api, ...options }),
      messageId: `a1b2c3d4-0000-4000-8000-0000000000${id}`,
    }),
    lambdaContext(),
  );
  const posted = t.fake.callsOf('chat.postMessage').filter((p) => p.args.thread_ts === undefined);
  return { ts: String(posted.at(-1)?.result.ts), text: 'alarm', blocks: [] };
}

/** An allowed user presses one of api's alarm buttons under `message`; a fresh container takes the press. */
async function pressUnder(
  t: LambdaHarness,
  actionId: string,
  alarm: string,
  message: { ts: string; text: string; blocks: unknown[] },
): Promise<void> {
  await t.container()(t.press(actionId, encodeValue({ target: 'api', alarm }), { message }), lambdaContext());
}

describe('alarms through the SNS subscription', () => {
  it('recovers an auto target within the invocation, and returns only once it has finished', async () => {
    const t = await start();
    const result = await t.container()(
      snsEvent({ message: alarmPayload({ instanceId: INSTANCES.web }) }),
      lambdaContext(),
    );
    expect(result).toEqual({ kind: 'sns', outcomes: ['accepted'] });
    const facts = t.cloud('web').facts();
    expect(facts.rebootRequestedAt).toHaveLength(1);
    expect(facts.appUp).toBe(true);
    expect(t.logsOf('recovery.finished')).toEqual([
      expect.objectContaining({ outcome: 'recovered', target: 'web' }),
    ]);
    expect(blocksText(t.fake.callsOf('chat.update').at(-1))).toContain('Recovered');
    expect(t.lambda.calls()).toEqual([]);
  });

  it('reboots once when SNS delivers the same alarm to two containers at the same time', async () => {
    const t = await start({ scenario: 'slow-shutdown' });
    const event = snsEvent({ message: alarmPayload({ instanceId: INSTANCES.web }) });
    await Promise.all([t.container()(event, lambdaContext()), t.container()(event, lambdaContext())]);
    expect(t.cloud('web').facts().rebootRequestedAt).toHaveLength(1);
    expect(
      t
        .logsOf('recovery.finished')
        .map((r) => r.outcome)
        .sort(),
    ).toEqual(['recovered', 'refused']);
  });

  it('checks the topic although SNS needs no signature check here, and drops repeated deliveries', async () => {
    const t = await start();
    const handler = t.container();
    const foreign = snsEvent({
      message: alarmPayload({ instanceId: INSTANCES.web }),
      topicArn: `arn:aws:sns:ap-northeast-2:${ACCOUNT}:someone-elses`,
    });
    expect(await handler(foreign, lambdaContext())).toEqual({ kind: 'sns', outcomes: ['rejected'] });
    expect(t.cloud('web').calls().total).toBe(0);

    const alarm = snsEvent({
      message: alarmPayload({ instanceId: INSTANCES.api }),
      messageId: 'a1b2c3d4-0000-4000-8000-000000000001',
    });
    await handler(alarm, lambdaContext());
    expect(await handler(alarm, lambdaContext())).toEqual({ kind: 'sns', outcomes: ['duplicate'] });
    expect(t.fake.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('asks a person for a confirm target, and the Restart button hands the recovery over into that message', async () => {
    const t = await start();
    await t.container()(snsEvent({ message: alarmPayload({ instanceId: INSTANCES.api }) }), lambdaContext());
    const alarmPost = t.fake.callsOf('chat.postMessage')[0];
    expect(blocksText(alarmPost)).toContain(ACTION.alarmRestart);
    // Nothing touched but the parameter that remembers the alarm's thread.
    expect(t.cloud('api').calls()).toMatchObject({ total: 1, PutParameter: 1 });

    const message = { ts: String(alarmPost?.result.ts), text: 'alarm', blocks: [] };
    await t.container()(
      t.press(ACTION.alarmRestart, encodeValue({ target: 'api', alarm: 'domtory-cpu-high' }), { message }),
      lambdaContext(),
    );
    const [run] = t.handedOver();
    expect(run?.message).toEqual({ channel: CHANNEL, ts: message.ts });
    await t.container()(run, lambdaContext());
    expect(t.cloud('api').facts().rebootRequestedAt).toHaveLength(1);
    // The alarm's own message became the progress message.
    expect(
      t.fake
        .callsOf('chat.update')
        .some((u) => u.args.ts === message.ts && blocksText(u).includes('Recovered')),
    ).toBe(true);
  });

  it('restarts nothing for a Restart pressed under an alarm another container has since resolved', async () => {
    const t = await start();
    const message = await alarmOnApi(t, 'b1');
    await alarmOnApi(t, 'b2', { state: 'OK' });

    // The Slack invocation answers without reading AWS; the worker it hands the run to checks the alarm.
    const awsCallsBefore = t.cloud('api').calls().total;
    await pressUnder(t, ACTION.alarmRestart, 'domtory-cpu-high', message);
    expect(t.cloud('api').calls().total).toBe(awsCallsBefore);
    const [run] = t.handedOver();
    expect(run?.alarm).toEqual({ name: 'domtory-cpu-high', threadTs: message.ts });
    expect(await t.container()(run, lambdaContext())).toEqual({
      kind: 'internal-run',
      outcome: 'alarm-closed',
    });
    expect(t.cloud('api').facts().rebootRequestedAt).toEqual([]);
    const note = t.fake.callsOf('chat.postMessage').at(-1);
    expect(note?.args).toMatchObject({ thread_ts: message.ts });
    expect(String(note?.args.text)).toContain('nothing was restarted');
  });

  it('drops quietly a repeated run that already restarted, even once the alarm is over', async () => {
    const t = await start();
    const message = await alarmOnApi(t, 'd1');
    await pressUnder(t, ACTION.alarmRestart, 'domtory-cpu-high', message);
    const [run] = t.handedOver();
    expect(await t.container()(run, lambdaContext())).toMatchObject({ outcome: 'recovered' });
    await alarmOnApi(t, 'd2', { state: 'OK' });
    const posts = t.fake.callsOf('chat.postMessage').length;

    expect(await t.container()(run, lambdaContext())).toEqual({ kind: 'internal-run', outcome: 'duplicate' });
    expect(t.fake.callsOf('chat.postMessage')).toHaveLength(posts);
    expect(t.cloud('api').facts().rebootRequestedAt).toHaveLength(1);
  });

  it('answers an Ignore without reading AWS', async () => {
    const t = await start();
    const message = await alarmOnApi(t, 'e1');
    const before = t.cloud('api').calls().total;
    await pressUnder(t, ACTION.alarmIgnore, 'domtory-cpu-high', message);
    expect(t.cloud('api').calls().total).toBe(before);
    expect(blocksText(t.fake.callsOf('chat.update').at(-1))).toContain('Ignored by');
  });

  it('still restarts for a Restart pressed under an alarm whose slot a second alarm of the target took', async () => {
    const t = await start();
    const first = await alarmOnApi(t, 'c1', { name: 'cpu-high' });
    await alarmOnApi(t, 'c2', { name: 'status-check-failed' });
    await pressUnder(t, ACTION.alarmRestart, 'cpu-high', first);
    const [run] = t.handedOver();
    expect(await t.container()(run, lambdaContext())).toMatchObject({ outcome: 'recovered' });
  });

  it.each([
    ['web', 'auto: the progress message'],
    ['api', 'confirm: the message with the buttons'],
    ['docs', 'notify: the alarm message'],
  ] as const)(
    "posts the OK in the ALARM's thread when another container handles it (%s, %s)",
    async (name, _policy) => {
      const t = await start();
      const instanceId = INSTANCES[name];
      await t.container()(
        snsEvent({
          message: alarmPayload({ instanceId }),
          messageId: 'a1b2c3d4-0000-4000-8000-0000000000a1',
        }),
        lambdaContext(),
      );
      const alarmPost = t.fake.callsOf('chat.postMessage').find((p) => p.args.thread_ts === undefined);
      const alarmTs = alarmPost?.result.ts;
      expect(alarmTs).toEqual(expect.any(String));

      // A new container: nothing in memory; only Parameter Store and Slack are shared.
      await t.container()(
        snsEvent({
          message: alarmPayload({ instanceId, state: 'OK' }),
          messageId: 'a1b2c3d4-0000-4000-8000-0000000000a2',
        }),
        lambdaContext(),
      );
      const resolved = t.fake
        .callsOf('chat.postMessage')
        .filter((p) => String(p.args.text).startsWith('Resolved'));
      expect(resolved).toHaveLength(1);
      expect(resolved[0]?.args).toMatchObject({ channel: CHANNEL, thread_ts: alarmTs });
      expect(t.logsOf('alarm.resolved')).toEqual([expect.objectContaining({ inThread: true })]);
      // The episode is closed: its thread is marked so, and a repeated OK would post on its own.
      const thread = t.cloud(name).parameters().get(`/domtory-recovery/${name}/alarm-thread`);
      expect(JSON.parse(thread?.value ?? '{}')).toHaveProperty('closedAt');
    },
  );

  it("ignores notifications that are not a configured instance's alarm", async () => {
    const t = await start();
    const handler = t.container();
    expect(
      await handler(
        snsEvent({ message: alarmPayload({ instanceId: 'i-0ddddddddddddddd4' }) }),
        lambdaContext(),
      ),
    ).toEqual({ kind: 'sns', outcomes: ['accepted'] });
    expect(
      await handler(
        snsEvent({ message: 'hello', messageId: 'a1b2c3d4-0000-4000-8000-000000000002' }),
        lambdaContext(),
      ),
    ).toEqual({ kind: 'sns', outcomes: ['accepted'] });
    expect(t.logsOf('alarm.ignored').map((r) => r.reason)).toEqual(['unknown-instance', 'not-an-alarm']);
    expect(t.fake.calls).toEqual([]);
  });
});

describe('the end of an invocation', () => {
  it('stops a recovery still running shortly before the timeout, so that it releases its lock', async () => {
    const t = await start({
      // web's reboot never answers: only the deadline can end this recovery.
      wrapPorts: holdReboot('web'),
    });
    const result = await t.container()(
      snsEvent({ message: alarmPayload({ instanceId: INSTANCES.web }) }),
      lambdaContext({ remainingMs: DEADLINE_CLEANUP_MS + 300 }),
    );
    expect(result).toEqual({ kind: 'sns', outcomes: ['accepted'] });
    expect(t.logsOf('lambda.deadline')).toEqual([expect.objectContaining({ recoveriesStopped: 1 })]);
    expect(t.logsOf('recovery.finished')).toEqual([
      expect.objectContaining({ target: 'web', error: 'aborted' }),
    ]);
    const parameters = t.cloud('web').ports.parameters;
    expect(await parameters.get(`/domtory-recovery/${INSTANCES.web}/lock`)).toBeUndefined();
    expect((await readHistory(parameters, '/domtory-recovery', INSTANCES.web)).at(-1)).toMatchObject({
      error: 'aborted',
    });
    expect(blocksText(t.fake.callsOf('chat.update').at(-1))).toContain('about to reach its timeout');
  });

  it('stops a recovery before it restarts anything when the deadline has passed; the next invocation restarts again', async () => {
    const t = await start();
    const handler = t.container();
    await handler(
      snsEvent({ message: alarmPayload({ instanceId: INSTANCES.web }) }),
      lambdaContext({ remainingMs: DEADLINE_CLEANUP_MS - 1_000 }),
    );
    expect(t.cloud('web').facts().rebootRequestedAt).toEqual([]);
    expect(t.logsOf('recovery.finished')).toEqual([
      expect.objectContaining({ target: 'web', error: 'aborted' }),
    ]);

    await handler(t.press(ACTION.alarmRestart, encodeValue({ target: 'web' })), lambdaContext());
    const [run] = t.handedOver();
    expect(await handler(run, lambdaContext())).toMatchObject({ outcome: 'recovered' });
  });

  it('keeps the cleanup before the deadline inside the margin the cold-start check leaves free', () => {
    expect(DEADLINE_CLEANUP_MS).toBeLessThan(MARGIN_SECONDS * 1000);
  });
});

describe("the CloudWatch alarm's direct Lambda action", () => {
  it("maps the instance from the payload's dimension map and recovers an auto target", async () => {
    const t = await start();
    const result = await t.container()(cloudWatchActionEvent({ instanceId: INSTANCES.web }), lambdaContext());
    expect(result).toEqual({ kind: 'cloudwatch-alarm', outcome: 'accepted' });
    expect(t.cloud('web').facts().rebootRequestedAt).toHaveLength(1);
    expect(blocksText(t.fake.callsOf('chat.postMessage')[0])).toContain('domtory-cpu-high');
  });

  it('refuses an alarm from another account or region, and posts OK as resolved', async () => {
    const t = await start();
    const handler = t.container();
    expect(
      await handler(
        cloudWatchActionEvent({ instanceId: INSTANCES.web, accountId: '210987654321' }),
        lambdaContext(),
      ),
    ).toEqual({
      kind: 'cloudwatch-alarm',
      outcome: 'rejected',
    });
    expect(
      await handler(
        cloudWatchActionEvent({ instanceId: INSTANCES.web, region: 'us-east-1' }),
        lambdaContext(),
      ),
    ).toEqual({
      kind: 'cloudwatch-alarm',
      outcome: 'rejected',
    });
    expect(t.cloud('web').calls().total).toBe(0);
    await handler(cloudWatchActionEvent({ instanceId: INSTANCES.docs, state: 'OK' }), lambdaContext());
    expect(String(t.fake.callsOf('chat.postMessage')[0]?.args.text)).toMatch(/^Resolved/);
  });

  it('posts nothing for an OK from INSUFFICIENT_DATA of an alarm that never fired', async () => {
    const t = await start();
    await t.container()(
      cloudWatchActionEvent({ instanceId: INSTANCES.docs, state: 'OK', previousState: 'INSUFFICIENT_DATA' }),
      lambdaContext(),
    );
    expect(t.fake.calls).toEqual([]);
    expect(t.logsOf('alarm.ignored')).toEqual([
      expect.objectContaining({ reason: 'ok-without-alarm', oldState: 'INSUFFICIENT_DATA' }),
    ]);
  });
});

it('ignores an event it does not recognise', async () => {
  const t = await start();
  expect(await t.container()({ hello: 'world' }, lambdaContext())).toEqual({ kind: 'unrecognised' });
  expect(t.logsOf('lambda.unrecognised-event')).toHaveLength(1);
});
