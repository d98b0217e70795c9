import { describe, expect, it } from 'vitest';
import { parseConfig, type Target } from '../../shared/index.js';
import { createSimulatedCloud } from '../../shared/sim/index.js';
import { lookupTarget } from '../config/targets.js';
import { createMemoryLogger } from '../logger.js';
import { customPortsProvider } from '../recovery/ports-provider.js';
import { RecoveryService } from '../recovery/recovery-service.js';
import { type AlarmPayloadOptions, alarmPayload } from '../test-support/alarm-payloads.js';
import { RecordingSlack } from '../test-support/fake-deps.js';
import { INSTANCES, OPS_CHANNEL, TEST_CONFIG } from '../test-support/test-bot.js';
import { type AlarmRouterOptions, createAlarmRouter } from './alarm-router.js';
import {
  type AlarmThreadStore,
  alarmThreadParameterName,
  createMemoryThreadStore,
  createParameterThreadStore,
} from './alarm-threads.js';

const config = parseConfig(TEST_CONFIG, 'test config');
const docs = lookupTarget(config, 'docs') as Target;

/**
 * A router for the `notify` target docs (an alarm is only posted), or the `auto` target web, on the memory store or
 * Parameter Store's.
 */
function setup(options: { store?: 'memory' | 'parameters'; target?: 'docs' | 'web' } = {}) {
  const instanceId = INSTANCES[options.target ?? 'docs'];
  const { logger, records } = createMemoryLogger('debug');
  const slack = new RecordingSlack();
  const cloud = createSimulatedCloud({ instanceId });
  const ports = customPortsProvider(() => cloud.ports);
  const service = new RecoveryService({ config, ports, slack, channel: OPS_CHANNEL, logger });
  const threads: AlarmThreadStore | undefined =
    options.store === 'parameters'
      ? createParameterThreadStore({ ports, prefix: config.parameterPrefix, logger })
      : undefined;
  // Each router is a fresh process (a restarted server, another Lambda container); they share Slack and AWS.
  const router = (overrides: Partial<AlarmRouterOptions> = {}) =>
    createAlarmRouter({
      service,
      slack,
      channel: OPS_CHANNEL,
      logger,
      ...(threads ? { threads } : {}),
      ...overrides,
    });
  /** Hands the router one notification; `handle` also waits until the router has stored its threads. */
  const deliver = (on: ReturnType<typeof router>, alarm: Omit<AlarmPayloadOptions, 'instanceId'>) =>
    on.handle(alarmPayload({ instanceId, ...alarm }), { messageId: 'm' });
  const handle = async (
    on: ReturnType<typeof router>,
    alarm: Omit<AlarmPayloadOptions, 'instanceId'>,
  ): Promise<void> => {
    await deliver(on, alarm);
    await on.idle();
  };
  const resolved = () => slack.posts.filter((p) => p.message.text.startsWith('Resolved'));
  return { slack, records, cloud, service, router, deliver, handle, resolved };
}

/** Pacing with a budget of one message that only `refill()` renews: the second alarm waits in a digest. */
function handPaced() {
  const timers: Array<() => void> = [];
  let clock = 0;
  return {
    pace: {
      burst: 1,
      intervalMs: 1_000,
      now: () => clock,
      schedule: (fire: () => void) => void timers.push(fire),
    },
    refill() {
      clock += 1_000;
      for (const fire of timers.splice(0)) fire();
    },
  };
}

describe('an OK that resolves no ALARM', () => {
  it.each(['INSUFFICIENT_DATA', 'OK'] as const)(
    'from %s, with no thread to close, posts nothing and says why',
    async (oldState) => {
      const { slack, records, router, handle } = setup();
      // A new alarm's first evaluation, or its data back after a gap.
      await handle(router(), { state: 'OK', oldState });
      expect(slack.posts).toEqual([]);
      expect(records.filter((r) => r.event === 'alarm.ignored')).toEqual([
        expect.objectContaining({ reason: 'ok-without-alarm', oldState, target: 'docs', state: 'OK' }),
      ]);
      expect(records.filter((r) => r.event === 'alarm.resolved')).toEqual([]);
    },
  );

  it('after an ALARM that went through INSUFFICIENT_DATA still closes its thread', async () => {
    const { slack, router, handle, resolved } = setup();
    const bot = router();
    await handle(bot, { state: 'ALARM' });
    await handle(bot, { state: 'INSUFFICIENT_DATA', oldState: 'ALARM' });
    await handle(bot, { state: 'OK', oldState: 'INSUFFICIENT_DATA' });
    expect(resolved()).toHaveLength(1);
    expect(resolved()[0]?.message.threadTs).toBe(slack.posts[0]?.ts);
  });

  it('from ALARM is posted even with no thread known (the bot restarted since)', async () => {
    const { router, handle, resolved, records } = setup();
    await handle(router(), { state: 'ALARM' });
    await handle(router(), { state: 'OK', oldState: 'ALARM' });
    expect(resolved()).toEqual([expect.objectContaining({ channel: OPS_CHANNEL })]);
    expect(resolved()[0]?.message.threadTs).toBeUndefined();
    expect(records.filter((r) => r.event === 'alarm.resolved')).toEqual([
      expect.objectContaining({ inThread: false }),
    ]);
  });

  it('without an OldStateValue is posted, as before', async () => {
    const { router, resolved } = setup();
    const message = JSON.parse(alarmPayload({ instanceId: INSTANCES.docs, state: 'OK' }));
    delete message.OldStateValue;
    await router().handle(JSON.stringify(message), { messageId: 'm' });
    expect(resolved()).toHaveLength(1);
  });

  it('on Lambda: an OK after ALARM answers in the thread Parameter Store kept; one from INSUFFICIENT_DATA posts nothing', async () => {
    const { slack, cloud, router, handle, resolved, records } = setup({ store: 'parameters' });
    const parameter = alarmThreadParameterName(config.parameterPrefix, 'docs');
    await handle(router(), { state: 'OK', oldState: 'INSUFFICIENT_DATA' });
    expect(slack.posts).toEqual([]);
    expect(records.filter((r) => r.event === 'alarm.ignored')).toHaveLength(1);

    await handle(router(), { state: 'ALARM' });
    expect(cloud.parameters().has(parameter)).toBe(true);
    await handle(router(), { state: 'OK', oldState: 'ALARM' });
    expect(resolved()).toHaveLength(1);
    expect(resolved()[0]?.message.threadTs).toBe(slack.posts[0]?.ts);
    // The thread stays, closed: the episode is over, and a later OK from INSUFFICIENT_DATA finds nothing to close.
    expect(JSON.parse(cloud.parameters().get(parameter)?.value ?? '{}')).toHaveProperty('closedAt');
    await handle(router(), { state: 'OK', oldState: 'INSUFFICIENT_DATA' });
    expect(resolved()).toHaveLength(1);
  });
});

describe('an ALARM for an auto target that arrives late', () => {
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

  it('asks a person instead of restarting on its own: the ALARM may be long over', async () => {
    const { slack, records, service, router, handle } = setup({ target: 'web' });
    await handle(router(), { changedAt: minutesAgo(12) });
    expect(service.running('web')).toBeUndefined();
    expect(records.filter((r) => r.event === 'recovery.started')).toEqual([]);
    expect(records.filter((r) => r.event === 'alarm.routed')).toEqual([
      expect.objectContaining({ action: 'asked', reason: 'late', ageSeconds: 720 }),
    ]);
    expect(JSON.stringify(slack.posts.at(-1)?.message)).toContain('12 min after it fired');
  });

  it('restarts at once when it arrives within minutes, as usual', async () => {
    const { service, router } = setup({ target: 'web' });
    const on = router();
    await on.handle(alarmPayload({ instanceId: INSTANCES.web, changedAt: minutesAgo(1) }), {
      messageId: 'm',
    });
    expect(service.running('web')).toBeDefined();
  });
});

describe('a copy of an ALARM notification that already restarted the instance', () => {
  it('reaching another process after the recovery, starts nothing and posts nothing', async () => {
    const { slack, records, cloud, service, router, handle } = setup({ target: 'web' });
    await handle(router(), {});
    await service.idle();
    expect(cloud.facts().rebootRequestedAt).toHaveLength(1);
    const posts = slack.posts.length;
    const updates = slack.updates.length;
    // The same notification id again, in a fresh process: another Lambda container, say.
    await handle(router(), {});
    await service.idle();
    expect(cloud.facts().rebootRequestedAt).toHaveLength(1);
    expect([slack.posts.length, slack.updates.length]).toEqual([posts, updates]);
    expect(records.filter((r) => r.event === 'alarm.duplicate')).toEqual([
      expect.objectContaining({ seenIn: 'history', target: 'web' }),
    ]);
  });
});

describe('an OK delivered after the next ALARM (SNS keeps no order, and retries)', () => {
  const at = (minute: number) => new Date(Date.parse('2026-12-01T10:00:00Z') + minute * 60_000);

  it.each(['memory', 'parameters'] as const)(
    'on the %s store: the late OK is dropped, the firing alarm keeps its thread, and its own OK closes it',
    async (store) => {
      const { slack, records, router, handle, resolved } = setup({ store });
      const bot = router();
      await handle(bot, { state: 'ALARM', changedAt: at(0) });
      // The first episode's OK (minute 10) was refused while the bot was busy and comes back after minute 20's ALARM.
      await handle(bot, { state: 'ALARM', changedAt: at(20) });
      const firing = slack.posts[1]?.ts;
      await handle(bot, { state: 'OK', oldState: 'ALARM', changedAt: at(10) });
      expect(resolved()).toEqual([]);
      expect(records.filter((r) => r.event === 'alarm.ignored')).toEqual([
        expect.objectContaining({ reason: 'ok-before-latest-alarm', target: 'docs' }),
      ]);
      expect(await bot.isOpen('domtory-cpu-high', docs, firing ?? '')).toBe(true);

      await handle(bot, { state: 'OK', oldState: 'ALARM', changedAt: at(30) });
      expect(resolved()).toEqual([
        expect.objectContaining({ message: expect.objectContaining({ threadTs: firing }) }),
      ]);
      expect(await bot.isOpen('domtory-cpu-high', docs, firing ?? '')).toBe(false);
      // Later still, the first episode's OK once more: the thread it finds is newer, closed or not.
      await handle(bot, { state: 'OK', oldState: 'ALARM', changedAt: at(10) });
      expect(resolved()).toHaveLength(1);
    },
  );

  it('is dropped too while the next ALARM waits in a digest, which its own OK then answers in', async () => {
    const { slack, records, router, deliver, resolved } = setup();
    const paced = handPaced();
    const bot = router({ pace: paced.pace });
    await deliver(bot, { name: 'disk-full', changedAt: at(19) }); // spends the channel's budget
    await deliver(bot, { state: 'ALARM', changedAt: at(20) }); // waits in a digest
    expect(slack.posts).toHaveLength(1);
    await deliver(bot, { state: 'OK', oldState: 'ALARM', changedAt: at(10) });
    expect(records.filter((r) => r.event === 'alarm.ignored')).toEqual([
      expect.objectContaining({ reason: 'ok-before-latest-alarm' }),
    ]);
    paced.refill();
    await bot.idle();
    const digest = slack.posts[1]?.ts;
    expect(digest).toBeDefined();
    await deliver(bot, { state: 'OK', oldState: 'ALARM', changedAt: at(30) });
    expect(resolved()).toEqual([
      expect.objectContaining({ message: expect.objectContaining({ threadTs: digest }) }),
    ]);
  });
});

describe('an OK that arrives while its ALARM waits in a digest', () => {
  it('closes the thread after the digest has stored it, so that the store does not end up open', async () => {
    const { slack, router, deliver, resolved } = setup();
    const memory = createMemoryThreadStore();
    // Parameter Store on Lambda: storing the digest's thread takes a round trip, held here until released.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const threads: AlarmThreadStore = {
      ...memory,
      set: async (name, target, thread, alarmAt) => {
        if (name === 'domtory-cpu-high') await held;
        await memory.set(name, target, thread, alarmAt);
      },
    };
    const paced = handPaced();
    const bot = router({ threads, pace: paced.pace });
    await deliver(bot, { name: 'disk-full' }); // spends the channel's budget
    await deliver(bot, { state: 'ALARM' }); // waits in a digest
    const ok = deliver(bot, { state: 'OK', oldState: 'ALARM' });
    paced.refill();
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await ok;
    await bot.idle();
    const digest = slack.posts[1]?.ts ?? '';
    expect(resolved()).toEqual([
      expect.objectContaining({ message: expect.objectContaining({ threadTs: digest }) }),
    ]);
    expect(await memory.get('domtory-cpu-high', docs)).toMatchObject({ ts: digest, closed: true });
  });
});
