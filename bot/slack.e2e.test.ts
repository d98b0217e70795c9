import { describe, expect, it } from 'vitest';
import { slackDate } from './slack/format.js';
import { ACTION, encodeValue } from './slack/ids.js';
import { holdLockElsewhere, holdReboot } from './test-support/held-recoveries.js';
import { signedHeaders, slashCommandBody } from './test-support/slack-requests.js';
import {
  ALLOWED_USER,
  INSTANCES,
  OTHER_USER,
  SECOND_USER,
  SIGNING_SECRET,
  type TestBot,
  testBotEachTest,
} from './test-support/test-bot.js';

/** Slash commands and buttons against the real bot: signed requests in, acks and response_url posts out. */

const start = testBotEachTest();

const text = (json: unknown): string => JSON.stringify(json ?? null);
/** The latest rendering of a progress message: its last update, or its post when it finished before one was due. */
const lastProgress = (t: TestBot): string =>
  text(
    t.fake.calls
      .filter(
        (c) =>
          c.method === 'chat.update' || (c.method === 'chat.postMessage' && c.args.thread_ts === undefined),
      )
      .at(-1)?.args.blocks,
  );

describe('/domtory', () => {
  it('answers help in the ack itself', async () => {
    const t = await start();
    const answer = await t.command('help');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ response_type: 'ephemeral' });
    expect(text(answer.json)).toContain('/domtory restart [target]');
    expect(text(answer.json)).toContain('/domtory drill [target]');
  });

  it('acks a restart at once, then asks for confirmation with buttons', async () => {
    const t = await start();
    const answer = await t.command('restart web', { responseId: 'r1' });
    expect(answer.status).toBe(200);
    const prompt = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'r1'));
    expect(prompt.body.response_type).toBe('ephemeral');
    expect(text(prompt.body.blocks)).toContain(ACTION.restartConfirm);
    expect(t.cloud('web').facts().rebootRequestedAt).toEqual([]);

    expect(
      (
        await t.press(ACTION.restartConfirm, encodeValue({ target: 'web' }), {
          responseId: 'r2',
          message: { ts: '1.1' },
        })
      ).status,
    ).toBe(200);
    const started = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'r2'));
    expect(started.body).toMatchObject({ replace_original: true });
    expect(String(started.body.text)).toContain('started');
    await t.idle();
    expect(t.cloud('web').facts().rebootRequestedAt).toHaveLength(1);
    expect(t.logsOf('recovery.started')[0]).toMatchObject({
      trigger: 'slack',
      actor: ALLOWED_USER,
      owner: `slack:${ALLOWED_USER}`,
    });
    expect(lastProgress(t)).toContain('Recovered');
  });

  it('Cancel deletes the prompt and restarts nothing', async () => {
    const t = await start();
    await t.press(ACTION.restartCancel, encodeValue({ target: 'web' }), { responseId: 'c' });
    const cancelled = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'c'));
    expect(cancelled.body).toEqual({ delete_original: true });
    await t.idle();
    expect(t.logsOf('recovery.started')).toEqual([]);
  });

  it('refuses users who are not allowed, for the command and for the buttons', async () => {
    const t = await start();
    const answer = await t.command('restart web', { user: OTHER_USER, responseId: 'x1' });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ response_type: 'ephemeral' });
    expect(text(answer.json)).toContain('not allowed');
    expect(text(answer.json)).toContain(`<@${ALLOWED_USER}>`);
    const drill = await t.command('drill web', { user: OTHER_USER });
    expect(text(drill.json)).toContain('not allowed');

    await t.press(ACTION.restartConfirm, encodeValue({ target: 'web' }), {
      user: OTHER_USER,
      responseId: 'x2',
    });
    const refusal = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'x2'));
    expect(String(refusal.body.text)).toContain('not allowed');
    await t.idle();
    expect(t.fake.responses.find((r) => r.id === 'x1')).toBeUndefined();
    expect(t.logsOf('recovery.started')).toEqual([]);
    expect(t.cloud('web').calls().total).toBe(0);
    expect(t.logsOf('slack.refused').map((r) => r.reason)).toEqual([
      'user-not-allowed',
      'user-not-allowed',
      'user-not-allowed',
    ]);
  });

  it('refuses channels that are not allowed', async () => {
    const t = await start();
    const answer = await t.command('status', { channel: 'C0RANDOM' });
    expect(text(answer.json)).toContain('not enabled in this channel');
    expect(t.logsOf('slack.refused')[0]).toMatchObject({ reason: 'channel-not-allowed' });
  });

  it('takes targets from the config alone', async () => {
    const t = await start();
    for (const name of ['constructor', '__proto__', 'toString', 'web;reboot', '$(reboot)', 'WEB2']) {
      const answer = await t.command(`restart ${name}`);
      expect(text(answer.json)).toMatch(/Unknown target|takes at most one target/);
    }
    expect(text((await t.command('restart')).json)).toContain('Which target?');
    expect(text((await t.command('restart web now')).json)).toContain('at most one target');
    expect(text((await t.command('reboot web')).json)).toContain('Unknown subcommand');
    await t.idle();
    expect(t.fake.responses).toEqual([]);
    expect(t.logsOf('recovery.started')).toEqual([]);
  });

  it('status and history report the instance, the lock and the outcomes', async () => {
    const t = await start();
    await t.postSns(t.alarm({ instanceId: INSTANCES.web }));
    await t.idle();
    await t.command('status web', { responseId: 's' });
    const status = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 's'));
    expect(String(status.body.text)).toContain('Instance: *running* (t2.micro)');
    expect(String(status.body.text)).toContain('Recovery: none running');
    expect(String(status.body.text)).toContain('paused');
    await t.command('history web', { responseId: 'h' });
    const history = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'h'));
    expect(String(history.body.text)).toContain('✅ recovered');
    expect(String(history.body.text)).toContain('alarm domtory-cpu-high');
  });

  it('drill runs the whole chain as a dry run and posts the same progress', async () => {
    const t = await start();
    const answer = await t.command('drill web');
    expect(text(answer.json)).toContain('Drill of *web* starting');
    await t.waitForLog('recovery.started');
    await t.idle();
    const calls = t.cloud('web').calls();
    expect(calls.RebootInstances).toBe(1);
    expect(t.cloud('web').facts().rebootRequestedAt).toEqual([]);
    expect(calls.SendCommand).toBe(0);
    expect(t.logsOf('recovery.finished')[0]).toMatchObject({ outcome: 'rehearsed', dryRun: true });
    expect(lastProgress(t)).toContain('Drill passed');
  });
});

describe('a restart while one runs', () => {
  it('is refused in this process, naming who started the running one', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const t = await start({
      // Holds web's reboot until the test lets go, so the first recovery is surely still running.
      wrapPorts: holdReboot('web', { until: gate }),
    });
    const pressedAt = Date.now();
    await t.press(ACTION.restartConfirm, encodeValue({ target: 'web' }), { responseId: 'first' });
    await t.waitForLog('recovery.started');
    const startedAt = t.bot.deps.service.running('web')?.startedAt ?? Number.NaN;
    expect(startedAt).toBeGreaterThanOrEqual(pressedAt);
    expect(startedAt).toBeLessThanOrEqual(Date.now());
    // Into the next second, so that a refusal showing its own time instead of the start's would read differently.
    await new Promise((resolve) => setTimeout(resolve, 1_010 - (Date.now() % 1_000)));
    const since = `started by <@${ALLOWED_USER}> at ${slackDate(startedAt)}.`;

    await t.command('restart web', { user: SECOND_USER, responseId: 'second' });
    const second = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'second'));
    expect(String(second.body.text)).toContain(`already running: ${since}`);
    await t.press(ACTION.restartConfirm, encodeValue({ target: 'web' }), {
      user: SECOND_USER,
      responseId: 'third',
    });
    const third = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'third'));
    expect(String(third.body.text)).toContain(`already running: ${since}`);

    release();
    await t.idle();
    expect(t.logsOf('recovery.started')).toHaveLength(1);
    expect(t.cloud('web').facts().rebootRequestedAt).toHaveLength(1);
  });

  it('is refused when another process holds the lock, naming it', async () => {
    const t = await start();
    const cloud = t.cloud('web');
    expect(await holdLockElsewhere(cloud, t.config.parameterPrefix, INSTANCES.web)).toBe(true);

    await t.command('restart web', { responseId: 'cmd' });
    const answer = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'cmd'));
    expect(String(answer.body.text)).toContain('already running: started by GitHub (octo/app#42)');
    expect(text(answer.body.blocks)).not.toContain(ACTION.restartConfirm);

    // An alarm meanwhile: the core refuses under the lock and the progress message names the holder.
    await t.postSns(t.alarm({ instanceId: INSTANCES.web }));
    await t.waitForLog('recovery.finished');
    await t.idle();
    expect(t.logsOf('recovery.finished')[0]).toMatchObject({
      outcome: 'refused',
      error: 'lock-held',
      lockHolder: 'github:octo/app#42',
    });
    expect(lastProgress(t)).toContain('Started by GitHub (octo/app#42)');
    expect(cloud.facts().rebootRequestedAt).toEqual([]);
  });
});

describe('Slack request verification', () => {
  const body = () =>
    slashCommandBody({
      text: 'restart web',
      userId: ALLOWED_USER,
      channelId: 'C0OPS',
      responseUrl: 'http://127.0.0.1:1/none',
    });

  it('refuses unsigned, wrongly signed and stale requests', async () => {
    const t = await start();
    const b = body();
    const unsigned = await t.slackRequest(b, { 'content-type': 'application/x-www-form-urlencoded' });
    const wrongSecret = await t.slackRequest(b, signedHeaders('not-the-secret', b));
    const stale = await t.slackRequest(
      b,
      signedHeaders(SIGNING_SECRET, b, Math.floor(Date.now() / 1000) - 600),
    );
    const tampered = await t.slackRequest(b.replace('restart', 'drill'), signedHeaders(SIGNING_SECRET, b));
    expect([unsigned.status, wrongSecret.status, stale.status, tampered.status]).toEqual([
      401, 401, 401, 401,
    ]);
    expect(t.logsOf('slack.rejected')).toHaveLength(4);
    expect(t.logsOf('slack.command')).toEqual([]);
  });

  it('calls auth.test once at start, not per request', async () => {
    const t = await start();
    for (let i = 0; i < 5; i++) await t.command('help');
    await t.command('status web');
    await t.idle();
    expect(t.fake.callsOf('auth.test')).toHaveLength(1);
  });

  it('answers the health endpoint', async () => {
    const t = await start();
    const response = await fetch(`${t.bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, mode: 'http', recoveriesRunning: 0 });
  });
});
