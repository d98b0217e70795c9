import { describe, expect, it } from 'vitest';
import { parseConfig, type Target } from '../../shared/index.js';
import { createSimulatedCloud } from '../../shared/sim/index.js';
import { lookupTarget } from '../config/targets.js';
import { createMemoryLogger } from '../logger.js';
import { customPortsProvider } from '../recovery/ports-provider.js';
import { RecoveryService } from '../recovery/recovery-service.js';
import { ACTION, decodeValue } from '../slack/ids.js';
import { alarmPayload } from '../test-support/alarm-payloads.js';
import { RecordingSlack } from '../test-support/fake-deps.js';
import { INSTANCES, OPS_CHANNEL, TEST_CONFIG } from '../test-support/test-bot.js';
import { type AlarmNotice, createAlarmPacer, DIGEST_NAMED_ALARMS } from './alarm-pacer.js';
import { createAlarmRouter } from './alarm-router.js';
import { type CloudWatchAlarm, parseCloudWatchAlarm } from './cloudwatch-alarm.js';

const config = parseConfig(TEST_CONFIG, 'test config');
const docs = lookupTarget(config, 'docs') as Target;
const api = lookupTarget(config, 'api') as Target;

function alarm(name: string, instanceId: string = INSTANCES.docs): CloudWatchAlarm {
  const parsed = parseCloudWatchAlarm(alarmPayload({ instanceId, name }));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.alarm;
}

/** A clock and timer the test moves by hand: nothing waits for real time. */
function manualTime() {
  let at = 1_000_000;
  const timers: Array<{ at: number; fire: () => void }> = [];
  return {
    now: () => at,
    schedule: (fire: () => void, ms: number) => {
      timers.push({ at: at + ms, fire });
    },
    /** Moves the clock and fires what came due, in order. */
    advance(ms: number) {
      at += ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (next === undefined || next.at > at) return;
        timers.shift();
        next.fire();
      }
    },
    get pending() {
      return timers.length;
    },
  };
}

function setup(options: { burst?: number } = {}) {
  const time = manualTime();
  const slack = new RecordingSlack();
  const { logger, records } = createMemoryLogger('debug');
  const tracked: Array<Promise<unknown>> = [];
  const pacer = createAlarmPacer({
    slack,
    channel: OPS_CHANNEL,
    logger,
    burst: options.burst ?? 2,
    intervalMs: 1_000,
    now: time.now,
    schedule: time.schedule,
    track: (work) => {
      tracked.push(work());
    },
  });
  const notice = (name: string, target = docs, note = 'Policy *notify*.'): AlarmNotice => ({
    alarm: alarm(name, target.instanceId),
    target,
    note,
    ask: target.policy === 'confirm',
  });
  return { time, slack, pacer, notice, records, tracked };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the alarm pacer', () => {
  it('posts a burst at once, and gathers what comes after into one digest per second', async () => {
    const { time, slack, pacer, notice, records, tracked } = setup({ burst: 2 });
    const first = pacer.post(notice('a'));
    const second = pacer.post(notice('b'));
    expect([first.gathered, second.gathered]).toEqual([false, false]);
    await flush();
    expect(slack.posts.map((p) => p.message.text)).toEqual([
      expect.stringContaining('ALARM a on docs'),
      expect.stringContaining('ALARM b on docs'),
    ]);

    const gathered = ['c', 'd', 'e', 'd'].map((name) => pacer.post(notice(name)));
    expect(gathered.every((p) => p.gathered)).toBe(true);
    expect(pacer.waiting).toBe(1);
    expect(tracked).toHaveLength(1);
    await flush();
    expect(slack.posts).toHaveLength(2);

    // Nothing goes out before the budget has regained one message.
    time.advance(999);
    await flush();
    expect(slack.posts).toHaveLength(2);
    time.advance(1);
    await flush();
    expect(slack.posts).toHaveLength(3);
    const digest = slack.posts[2];
    expect(digest?.message.text).toBe('4 ALARMs on docs: c, d, e');
    const blocks = JSON.stringify(digest?.message.blocks);
    expect(blocks).toContain('*4 ALARMs* on *docs*');
    expect(blocks).toContain('Policy *notify*.');
    // Every gathered alarm's thread is the digest's.
    const threads = await Promise.all(gathered.map((p) => p.message));
    expect(new Set(threads.map((t) => t?.ts))).toEqual(new Set([digest?.ts]));
    await Promise.all(tracked);
    expect(pacer.waiting).toBe(0);
    expect(records.filter((r) => r.event === 'alarm.digest')).toEqual([
      expect.objectContaining({ target: 'docs', alarms: 4 }),
    ]);
  });

  it("marks the buttons of a digest of several alarms as gathered, and not those of one alarm's repeats", async () => {
    const { time, slack, pacer, notice } = setup({ burst: 1 });
    const buttonValue = (index: number) => {
      const blocks = (slack.posts[index]?.message.blocks ?? []) as Array<{
        type: string;
        elements?: Array<{ action_id?: string; value?: string }>;
      }>;
      const restart = blocks
        .find((b) => b.type === 'actions')
        ?.elements?.find((e) => e.action_id === ACTION.alarmRestart);
      return decodeValue(restart?.value);
    };
    pacer.post(notice('a', api));
    for (const name of ['c', 'd']) pacer.post(notice(name, api));
    time.advance(1_000);
    await flush();
    for (const name of ['e', 'e']) pacer.post(notice(name, api));
    time.advance(1_000);
    await flush();
    expect(slack.posts.map((p) => p.message.text)).toEqual([
      expect.stringContaining('ALARM a on api'),
      '2 ALARMs on api: c, d',
      '2 ALARMs on api: e',
    ]);
    expect(buttonValue(1)).toEqual({ target: 'api', alarm: 'c', gathered: true });
    expect(buttonValue(2)).toEqual({ target: 'api', alarm: 'e' });
  });

  it('names the first alarms of a large digest, and says there were others', async () => {
    const { time, slack, pacer, notice } = setup({ burst: 1 });
    pacer.post(notice('first'));
    for (let i = 0; i < 500; i++) pacer.post(notice(`flood-${i}`));
    time.advance(1_000);
    await flush();
    const digest = slack.posts[1];
    expect(digest?.message.text).toContain(`500 ALARMs on docs: flood-0, flood-1`);
    expect(digest?.message.text).toContain(`flood-${DIGEST_NAMED_ALARMS - 1} and others`);
    expect(JSON.stringify(digest?.message.blocks)).not.toContain(`flood-${DIGEST_NAMED_ALARMS}*`);
    expect(JSON.stringify(digest).length).toBeLessThan(6_000);
  });

  it('keeps targets and notes apart, posts their digests in arrival order, one per interval', async () => {
    const { time, slack, pacer, notice } = setup({ burst: 1 });
    pacer.post(notice('a'));
    pacer.post(notice('b'));
    pacer.post(notice('x', api));
    pacer.post(notice('c', docs, 'another note'));
    pacer.post(notice('b2'));
    expect(pacer.waiting).toBe(3);
    time.advance(1_000);
    await flush();
    expect(slack.posts.map((p) => p.message.text)).toEqual([
      expect.stringContaining('ALARM a on docs'),
      '2 ALARMs on docs: b, b2',
    ]);
    time.advance(1_000);
    await flush();
    // Alone in its digest: posted as the ordinary alarm message, buttons and all.
    expect(slack.posts[2]?.message.text).toContain('ALARM x on api');
    expect(JSON.stringify(slack.posts[2]?.message.blocks)).toContain('domtory_alarm_restart');
    time.advance(1_000);
    await flush();
    expect(slack.posts[3]?.message.text).toContain('ALARM c on docs');
    expect(pacer.waiting).toBe(0);
    expect(time.pending).toBe(0);
  });

  it('posts singly again once the channel has been quiet', async () => {
    const { time, slack, pacer, notice } = setup({ burst: 2 });
    pacer.post(notice('a'));
    pacer.post(notice('b'));
    time.advance(2_000);
    expect(pacer.post(notice('c')).gathered).toBe(false);
    expect(pacer.post(notice('d')).gathered).toBe(false);
    expect(pacer.post(notice('e')).gathered).toBe(true);
    await flush();
    expect(slack.posts).toHaveLength(4);
  });

  it('a digest Slack refuses has no thread, and the pacer goes on', async () => {
    const { time, slack, pacer, notice } = setup({ burst: 1 });
    pacer.post(notice('a'));
    slack.failing = true;
    const lost = pacer.post(notice('b'));
    time.advance(1_000);
    expect(await lost.message).toBeUndefined();
    slack.failing = false;
    const next = pacer.post(notice('c'));
    time.advance(1_000);
    expect(await next.message).toBeDefined();
  });
});

describe('the alarm router under a storm of distinct alarms', () => {
  function stormRouter() {
    const time = manualTime();
    const slack = new RecordingSlack();
    const { logger } = createMemoryLogger('debug');
    const cloud = createSimulatedCloud({ instanceId: INSTANCES.docs });
    const service = new RecoveryService({
      config,
      ports: customPortsProvider(() => cloud.ports),
      slack,
      channel: OPS_CHANNEL,
      logger,
    });
    const router = createAlarmRouter({
      service,
      slack,
      channel: OPS_CHANNEL,
      logger,
      pace: { burst: 1, intervalMs: 1_000, now: time.now, schedule: time.schedule },
    });
    let messageId = 0;
    const handle = (name: string, state: 'ALARM' | 'OK' = 'ALARM') =>
      router.handle(alarmPayload({ instanceId: INSTANCES.docs, name, state }), {
        messageId: `m-${messageId++}`,
      });
    return { time, slack, router, handle };
  }

  it('posts a digest, and each alarm of it resolves in the digest thread', async () => {
    const { time, slack, router, handle } = stormRouter();
    // Each handling returns without waiting for the digest: SNS's answer and the work queue are not held up.
    for (const name of ['cpu-high', 'disk-full', 'status-check', 'memory-high']) await handle(name);
    expect(slack.posts).toHaveLength(1);
    let idle = false;
    const idling = router.idle().then(() => {
      idle = true;
    });
    await flush();
    expect(idle).toBe(false);
    time.advance(1_000);
    await idling;
    expect(slack.posts).toHaveLength(2);
    const digestTs = slack.posts[1]?.ts;

    await handle('disk-full', 'OK');
    await handle('cpu-high', 'OK');
    expect(slack.posts[2]?.message.text).toContain('disk-full');
    expect(slack.posts[2]?.message.threadTs).toBe(digestTs);
    expect(slack.posts[3]?.message.threadTs).toBe(slack.posts[0]?.ts);
  });

  it('an OK that arrives while its digest waits goes into the digest thread once it is out', async () => {
    const { time, slack, handle } = stormRouter();
    await handle('cpu-high');
    await handle('disk-full');
    await handle('status-check');
    const ok = handle('disk-full', 'OK');
    await flush();
    expect(slack.posts).toHaveLength(1);
    time.advance(1_000);
    await ok;
    expect(slack.posts[1]?.message.text).toBe('2 ALARMs on docs: disk-full, status-check');
    expect(slack.posts[2]?.message.text).toContain('disk-full');
    expect(slack.posts[2]?.message.threadTs).toBe(slack.posts[1]?.ts);
  });
});
