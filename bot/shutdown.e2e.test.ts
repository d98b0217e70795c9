import { describe, expect, it } from 'vitest';
import { readHistory } from '../shared/index.js';
import { lookupTarget } from './config/targets.js';
import { ACTION, encodeValue } from './slack/ids.js';
import { holdReboot } from './test-support/held-recoveries.js';
import { INSTANCES, testBotEachTest } from './test-support/test-bot.js';

/** What a shutdown does to a recovery that is still running: it is stopped cleanly, not left to be killed. */

const start = testBotEachTest();
const PREFIX = '/domtory-test';

describe('stopping the bot while a recovery runs', () => {
  it('stops the recovery after the drain: lock released, history written, message updated', async () => {
    let reached: () => void = () => {};
    const atReboot = new Promise<void>((resolve) => {
      reached = resolve;
    });
    // web's reboot never answers, so the recovery is still running when the drain runs out.
    const t = await start({ wrapPorts: holdReboot('web', { reached }) });
    await t.press(ACTION.restartConfirm, encodeValue({ target: 'web' }), { message: { ts: '1.1' } });
    await atReboot;
    const parameters = t.cloud('web').ports.parameters;
    expect(await parameters.get(`${PREFIX}/${INSTANCES.web}/lock`)).toBeDefined();

    await t.bot.stop({ drainMs: 50 });

    expect(t.logsOf('bot.recoveries-stopped')[0]).toMatchObject({ count: 1 });
    expect(t.logsOf('recovery.finished')[0]).toMatchObject({ error: 'aborted' });
    expect(String(t.logsOf('recovery.finished')[0]?.message)).toContain('the bot was shut down');
    expect(await parameters.get(`${PREFIX}/${INSTANCES.web}/lock`)).toBeUndefined();
    const history = await readHistory(parameters, PREFIX, INSTANCES.web);
    expect(history.at(-1)).toMatchObject({ error: 'aborted' });
    const finalRendering = JSON.stringify(
      t.fake.calls.filter((c) => c.method === 'chat.update').at(-1)?.args.blocks,
    );
    expect(finalRendering).toContain('the bot was shut down');
    expect(t.bot.deps.service.runningCount).toBe(0);
  });

  it('stops at once a recovery that work still in flight starts after the stop', async () => {
    const t = await start();
    const stopping = t.bot.stop({ drainMs: 0 });
    const web = lookupTarget(t.config, 'web');
    if (web === undefined) throw new Error('no web target');
    const attempt = t.bot.deps.service.start({
      target: web,
      trigger: { kind: 'alarm', actor: 'domtory-cpu-high' },
      dryRun: false,
      owner: 'alarm:domtory-cpu-high',
      header: 'an alarm routed during the shutdown',
    });
    if (!attempt.started) throw new Error('not started');
    expect(await attempt.run.result).toMatchObject({ error: { code: 'aborted' } });
    await stopping;
    expect(t.cloud('web').facts().rebootRequestedAt).toEqual([]);
  });

  it('waits for work in flight, and for the recovery it starts after the stop to clean up', async () => {
    const t = await start();
    const web = lookupTarget(t.config, 'web');
    if (web === undefined) throw new Error('no web target');
    const { service, work } = t.bot.deps;
    if (work === undefined) throw new Error('the server has a work tracker');
    work.schedule('alarm routed late', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      service.start({
        target: web,
        trigger: { kind: 'alarm', actor: 'domtory-cpu-high' },
        dryRun: false,
        owner: 'alarm:domtory-cpu-high',
        header: 'an alarm routed during the shutdown',
      });
    });

    await t.bot.stop({ drainMs: 0 });

    expect(service.runningCount).toBe(0);
    expect(t.logsOf('recovery.finished')).toEqual([expect.objectContaining({ error: 'aborted' })]);
  });

  it('lets a recovery that finishes within the drain end on its own', async () => {
    const t = await start();
    await t.press(ACTION.restartConfirm, encodeValue({ target: 'web' }), { message: { ts: '1.1' } });
    await t.waitForLog('recovery.started');

    await t.bot.stop({ drainMs: 30_000 });

    expect(t.logsOf('bot.recoveries-stopped')).toEqual([]);
    expect(t.logsOf('recovery.finished')[0]).toMatchObject({ outcome: 'recovered' });
  });
});
