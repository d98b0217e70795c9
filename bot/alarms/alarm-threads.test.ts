import { describe, expect, it } from 'vitest';
import { parseConfig, type Target } from '../../shared/index.js';
import { createSimulatedCloud } from '../../shared/sim/index.js';
import { lookupTarget } from '../config/targets.js';
import { createMemoryLogger } from '../logger.js';
import { customPortsProvider } from '../recovery/ports-provider.js';
import { RecoveryService } from '../recovery/recovery-service.js';
import { alarmPayload } from '../test-support/alarm-payloads.js';
import { RecordingSlack } from '../test-support/fake-deps.js';
import { INSTANCES, OPS_CHANNEL, TEST_CONFIG } from '../test-support/test-bot.js';
import { createAlarmRouter } from './alarm-router.js';
import {
  type AlarmThreadStore,
  alarmThreadParameterName,
  createMemoryThreadStore,
  createParameterThreadStore,
  NEWER_ALARM,
} from './alarm-threads.js';

const config = parseConfig(TEST_CONFIG, 'test config');
const web = lookupTarget(config, 'web') as Target;
const api = lookupTarget(config, 'api') as Target;
const PREFIX = config.parameterPrefix;
const NAME = alarmThreadParameterName(PREFIX, 'web');

function parameterStore(options: { failWrites?: boolean } = {}) {
  const cloud = createSimulatedCloud({ instanceId: web.instanceId });
  const { logger, records } = createMemoryLogger('debug');
  const parameters =
    options.failWrites === true
      ? { ...cloud.ports.parameters, overwrite: () => Promise.reject(new Error('ThrottlingException')) }
      : cloud.ports.parameters;
  const store = createParameterThreadStore({
    ports: customPortsProvider(() => ({ ...cloud.ports, parameters })),
    prefix: PREFIX,
    logger,
    now: () => Date.parse('2026-11-25T15:00:00Z'),
  });
  return { cloud, store, records };
}

describe('the Parameter Store thread store', () => {
  it('keeps one small JSON value per target, and a later alarm overwrites it', async () => {
    const { cloud, store } = parameterStore();
    expect(await store.get('cpu-high', web)).toBeUndefined();
    await store.set('cpu-high', web, { channel: 'C0OPS', ts: '1700000000.000100' });
    expect(JSON.parse(cloud.parameters().get(NAME)?.value ?? 'null')).toEqual({
      alarmName: 'cpu-high',
      channel: 'C0OPS',
      ts: '1700000000.000100',
      at: '2026-11-25T15:00:00.000Z',
    });
    await store.set('cpu-high', web, { channel: 'C0OPS', ts: '1700000000.000200' });
    expect(await store.get('cpu-high', web)).toEqual({
      channel: 'C0OPS',
      ts: '1700000000.000200',
      closed: false,
    });

    // Another alarm on the same target takes the slot: the first one's thread is no longer known.
    await store.set('memory-high', web, { channel: 'C0OPS', ts: '1700000000.000300' });
    expect(await store.get('cpu-high', web)).toBeUndefined();
    expect(await store.get('memory-high', web)).toEqual({
      channel: 'C0OPS',
      ts: '1700000000.000300',
      closed: false,
    });
    expect([...cloud.parameters().keys()]).toEqual([NAME]);
  });

  it('answers "none" for a missing parameter and for a value it cannot read', async () => {
    const { cloud, store, records } = parameterStore();
    expect(await store.get('cpu-high', api)).toBeUndefined();
    for (const malformed of [
      'not json',
      '[]',
      JSON.stringify({ alarmName: 'cpu-high', channel: 'C0OPS' }),
      JSON.stringify({ alarmName: 'cpu-high', channel: 'C0OPS', ts: '<!channel>', at: '' }),
      JSON.stringify({ alarmName: 'cpu-high', channel: 'general', ts: '1700000000.000100', at: '' }),
    ]) {
      await cloud.ports.parameters.overwrite(NAME, malformed);
      expect(await store.get('cpu-high', web), malformed).toBeUndefined();
    }
    expect(records.filter((r) => r.event === 'alarm.thread-malformed')).toHaveLength(5);
    // Nothing readable is closed, so nothing is written either.
    const written = cloud.calls().PutParameter;
    expect(await store.close('cpu-high', web)).toBeUndefined();
    expect(cloud.calls().PutParameter).toBe(written);
  });

  it("deletes its alarm's thread, and leaves another alarm's alone", async () => {
    const { cloud, store } = parameterStore();
    await store.set('memory-high', web, { channel: 'C0OPS', ts: '1700000000.000300' });
    await store.delete('cpu-high', web);
    expect(await store.get('memory-high', web)).toBeDefined();
    await store.delete('memory-high', web);
    expect(cloud.parameters().has(NAME)).toBe(false);
    // Deleting what is not there is not an error.
    await store.delete('memory-high', web);
  });

  it("closes its alarm's thread once, with one read each time, and leaves another alarm's alone", async () => {
    const { cloud, store } = parameterStore();
    await store.set('memory-high', web, { channel: 'C0OPS', ts: '1700000000.000300' });
    const before = cloud.calls();
    expect(await store.close('cpu-high', web)).toBeUndefined();
    expect(await store.get('memory-high', web)).toMatchObject({ closed: false });
    expect(await store.close('memory-high', web)).toEqual({ channel: 'C0OPS', ts: '1700000000.000300' });
    // The closed mark stays, for a button pressed under the message later.
    expect(await store.get('memory-high', web)).toEqual({
      channel: 'C0OPS',
      ts: '1700000000.000300',
      closed: true,
    });
    expect(JSON.parse(cloud.parameters().get(NAME)?.value ?? 'null')).toMatchObject({
      alarmName: 'memory-high',
      closedAt: '2026-11-25T15:00:00.000Z',
    });
    expect(await store.close('memory-high', web)).toBeUndefined();
    const after = cloud.calls();
    expect(after.GetParameter - before.GetParameter).toBe(5);
    expect(after.PutParameter - before.PutParameter).toBe(1);
  });

  it('still hands over a thread it read when closing it fails, and logs that', async () => {
    const { cloud, store, records } = parameterStore({ failWrites: true });
    const thread = { alarmName: 'cpu-high', channel: 'C0OPS', ts: '1700000000.000100', at: '' };
    await cloud.ports.parameters.overwrite(NAME, JSON.stringify(thread));
    expect(await store.close('cpu-high', web)).toEqual({ channel: 'C0OPS', ts: '1700000000.000100' });
    expect(await store.get('cpu-high', web)).toMatchObject({ closed: false });
    expect(records.filter((r) => r.event === 'alarm.thread-unsaved')).toEqual([
      expect.objectContaining({ alarm: 'cpu-high', target: 'web' }),
    ]);
  });
});

describe('the memory thread store', () => {
  it('forgets the oldest threads first beyond its bound', async () => {
    const store = createMemoryThreadStore({ maxEntries: 2 });
    await store.set('a', web, { channel: 'C0OPS', ts: '1.1' });
    await store.set('b', web, { channel: 'C0OPS', ts: '1.2' });
    // Setting "a" again makes it the newest, so "b" is the one that goes.
    await store.set('a', web, { channel: 'C0OPS', ts: '1.3' });
    await store.set('c', web, { channel: 'C0OPS', ts: '1.4' });
    expect(await store.get('a', web)).toEqual({ channel: 'C0OPS', ts: '1.3', closed: false });
    expect(await store.get('b', web)).toBeUndefined();
    expect(await store.get('c', web)).toEqual({ channel: 'C0OPS', ts: '1.4', closed: false });
    expect(await store.get('c', api)).toBeUndefined();
  });

  it("closes a thread once, and only that target's; a new message of the alarm opens it again", async () => {
    const store = createMemoryThreadStore();
    await store.set('a', web, { channel: 'C0OPS', ts: '1.1' });
    expect(await store.close('a', api)).toBeUndefined();
    expect(await store.close('a', web)).toEqual({ channel: 'C0OPS', ts: '1.1' });
    expect(await store.close('a', web)).toBeUndefined();
    expect(await store.get('a', web)).toEqual({ channel: 'C0OPS', ts: '1.1', closed: true });
    await store.set('a', web, { channel: 'C0OPS', ts: '1.2' });
    expect(await store.get('a', web)).toEqual({ channel: 'C0OPS', ts: '1.2', closed: false });
  });
});

describe('an OK older than the ALARM behind the thread', () => {
  const alarmAt = Date.parse('2026-11-25T14:20:00Z');
  const stores = {
    memory: () => createMemoryThreadStore(),
    parameters: () => parameterStore().store,
  };

  it.each(Object.keys(stores) as Array<keyof typeof stores>)(
    'on the %s store, leaves the thread as it is and says a newer ALARM owns it',
    async (kind) => {
      const store = stores[kind]();
      await store.set('cpu-high', web, { channel: 'C0OPS', ts: '1.1' }, alarmAt);
      expect(await store.get('cpu-high', web)).toEqual({
        channel: 'C0OPS',
        ts: '1.1',
        closed: false,
        alarmAt,
      });
      expect(await store.close('cpu-high', web, alarmAt - 1)).toBe(NEWER_ALARM);
      expect(await store.get('cpu-high', web)).toMatchObject({ closed: false });
      // The ALARM's own OK closes it; the older one, coming again, still finds a newer ALARM's (closed) thread.
      expect(await store.close('cpu-high', web, alarmAt + 60_000)).toEqual({ channel: 'C0OPS', ts: '1.1' });
      expect(await store.close('cpu-high', web, alarmAt - 1)).toBe(NEWER_ALARM);
      expect(await store.close('cpu-high', web, alarmAt + 60_000)).toBeUndefined();
    },
  );

  it.each(Object.keys(stores) as Array<keyof typeof stores>)(
    'on the %s store, closes as before when either time is unknown',
    async (kind) => {
      const store = stores[kind]();
      await store.set('cpu-high', web, { channel: 'C0OPS', ts: '1.1' });
      expect(await store.close('cpu-high', web, alarmAt - 1)).toEqual({ channel: 'C0OPS', ts: '1.1' });
      await store.set('cpu-high', web, { channel: 'C0OPS', ts: '1.2' }, alarmAt);
      expect(await store.close('cpu-high', web)).toEqual({ channel: 'C0OPS', ts: '1.2' });
    },
  );

  it('is kept in the parameter as an ISO time', async () => {
    const { cloud, store } = parameterStore();
    await store.set('cpu-high', web, { channel: 'C0OPS', ts: '1.1' }, alarmAt);
    expect(JSON.parse(cloud.parameters().get(NAME)?.value ?? 'null')).toMatchObject({
      alarmAt: '2026-11-25T14:20:00.000Z',
    });
  });
});

describe('the router with the Parameter Store store', () => {
  it('reads the thread once per OK, answers in it, and closes it', async () => {
    const { logger } = createMemoryLogger('debug');
    const slack = new RecordingSlack();
    const cloud = createSimulatedCloud({ instanceId: INSTANCES.docs });
    const ports = customPortsProvider(() => cloud.ports);
    const service = new RecoveryService({ config, ports, slack, channel: OPS_CHANNEL, logger });
    const threads = createParameterThreadStore({ ports, prefix: PREFIX, logger });
    const router = createAlarmRouter({ service, slack, channel: OPS_CHANNEL, logger, threads });
    const meta = { messageId: 'm' };
    const ok = async () => {
      const before = cloud.calls().GetParameter;
      await router.handle(alarmPayload({ instanceId: INSTANCES.docs, state: 'OK' }), meta);
      await router.idle();
      return cloud.calls().GetParameter - before;
    };
    // docs is a `notify` target: the alarm is only posted, and its thread stored.
    await router.handle(alarmPayload({ instanceId: INSTANCES.docs }), meta);
    await router.idle();
    expect(cloud.parameters().has(alarmThreadParameterName(PREFIX, 'docs'))).toBe(true);

    expect(await ok()).toBe(1);
    expect(slack.posts[1]?.message.threadTs).toBe(slack.posts[0]?.ts);
    const docs = lookupTarget(config, 'docs') as Target;
    expect(await router.isOpen('domtory-cpu-high', docs, slack.posts[0]?.ts ?? '')).toBe(false);
    // A repeated `OK` finds the thread closed, reads no more, and is posted on its own.
    expect(await ok()).toBe(1);
    expect(slack.posts).toHaveLength(3);
    expect(slack.posts[2]?.message.threadTs).toBeUndefined();
  });
});

describe('the router with a store that fails', () => {
  it('still posts the alarm and its OK, only not in a thread', async () => {
    const broken: AlarmThreadStore = {
      get: () => Promise.reject(new Error('ThrottlingException')),
      set: () => Promise.reject(new Error('ThrottlingException')),
      delete: () => Promise.reject(new Error('ThrottlingException')),
      close: () => Promise.reject(new Error('ThrottlingException')),
    };
    const { logger, records } = createMemoryLogger('debug');
    const slack = new RecordingSlack();
    const cloud = createSimulatedCloud({ instanceId: INSTANCES.docs });
    const service = new RecoveryService({
      config,
      ports: customPortsProvider(() => cloud.ports),
      slack,
      channel: OPS_CHANNEL,
      logger,
    });
    const router = createAlarmRouter({ service, slack, channel: OPS_CHANNEL, logger, threads: broken });
    const meta = { messageId: 'm' };
    // docs is a `notify` target: the alarm is only posted.
    await router.handle(alarmPayload({ instanceId: INSTANCES.docs }), meta);
    await router.idle();
    await router.handle(alarmPayload({ instanceId: INSTANCES.docs, state: 'OK' }), meta);
    expect(slack.posts).toHaveLength(2);
    expect(slack.posts[1]?.message.threadTs).toBeUndefined();
    expect(records.map((r) => r.event)).toEqual(
      expect.arrayContaining(['alarm.thread-unsaved', 'alarm.thread-unreadable', 'alarm.resolved']),
    );
  });
});
