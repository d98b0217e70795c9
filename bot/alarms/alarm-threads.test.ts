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
} from './alarm-threads.js';

const config = parseConfig(TEST_CONFIG, 'test config');
const web = lookupTarget(config, 'web') as Target;
const api = lookupTarget(config, 'api') as Target;
const PREFIX = config.parameterPrefix;
const NAME = alarmThreadParameterName(PREFIX, 'web');

function parameterStore(options: { failDeletes?: boolean } = {}) {
  const cloud = createSimulatedCloud({ instanceId: web.instanceId });
  const { logger, records } = createMemoryLogger('debug');
  const parameters =
    options.failDeletes === true
      ? { ...cloud.ports.parameters, delete: () => Promise.reject(new Error('ThrottlingException')) }
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
    expect(await store.get('cpu-high', web)).toEqual({ channel: 'C0OPS', ts: '1700000000.000200' });

    // Another alarm on the same target takes the slot: the first one's thread is no longer known.
    await store.set('memory-high', web, { channel: 'C0OPS', ts: '1700000000.000300' });
    expect(await store.get('cpu-high', web)).toBeUndefined();
    expect(await store.get('memory-high', web)).toEqual({ channel: 'C0OPS', ts: '1700000000.000300' });
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
    // Nothing readable is taken, so nothing is deleted either.
    expect(await store.take('cpu-high', web)).toBeUndefined();
    expect(cloud.parameters().has(NAME)).toBe(true);
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

  it("takes its alarm's thread with one read each time, and leaves another alarm's alone", async () => {
    const { cloud, store } = parameterStore();
    await store.set('memory-high', web, { channel: 'C0OPS', ts: '1700000000.000300' });
    const before = cloud.calls();
    expect(await store.take('cpu-high', web)).toBeUndefined();
    expect(cloud.parameters().has(NAME)).toBe(true);
    expect(await store.take('memory-high', web)).toEqual({ channel: 'C0OPS', ts: '1700000000.000300' });
    expect(cloud.parameters().has(NAME)).toBe(false);
    expect(await store.take('memory-high', web)).toBeUndefined();
    const after = cloud.calls();
    expect(after.GetParameter - before.GetParameter).toBe(3);
    expect(after.DeleteParameter - before.DeleteParameter).toBe(1);
  });

  it('still hands over a thread it read when the delete fails, and logs that', async () => {
    const { cloud, store, records } = parameterStore({ failDeletes: true });
    await store.set('cpu-high', web, { channel: 'C0OPS', ts: '1700000000.000100' });
    expect(await store.take('cpu-high', web)).toEqual({ channel: 'C0OPS', ts: '1700000000.000100' });
    expect(cloud.parameters().has(NAME)).toBe(true);
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
    expect(await store.get('a', web)).toEqual({ channel: 'C0OPS', ts: '1.3' });
    expect(await store.get('b', web)).toBeUndefined();
    expect(await store.get('c', web)).toEqual({ channel: 'C0OPS', ts: '1.4' });
    expect(await store.get('c', api)).toBeUndefined();
  });

  it("takes a thread once, and only that target's", async () => {
    const store = createMemoryThreadStore();
    await store.set('a', web, { channel: 'C0OPS', ts: '1.1' });
    expect(await store.take('a', api)).toBeUndefined();
    expect(await store.take('a', web)).toEqual({ channel: 'C0OPS', ts: '1.1' });
    expect(await store.take('a', web)).toBeUndefined();
  });
});

describe('the router with the Parameter Store store', () => {
  it('reads the thread once per OK, answers in it, and forgets it', async () => {
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
    expect(cloud.parameters().has(alarmThreadParameterName(PREFIX, 'docs'))).toBe(false);
    // A repeated `OK` finds no thread, reads no more, and is posted on its own.
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
      take: () => Promise.reject(new Error('ThrottlingException')),
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
