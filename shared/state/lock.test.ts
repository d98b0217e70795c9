import { describe, expect, it } from 'vitest';
import { isRecoveryError } from '../errors.js';
import type { Clock, ParameterStorePort, StoredParameter } from '../ports.js';
import { acquireLock, lockParameterName, readLock, takeoverMarkerName } from './lock.js';

/**
 * Parameter Store semantics that matter for the lock (versions, create-if-absent) with every call yielding to
 * the event loop a seeded number of times, so concurrent contenders interleave differently on each seed.
 */
function parameterStore(seed = 1): ParameterStorePort & { names(): string[] } {
  const data = new Map<string, StoredParameter>();
  let state = seed;
  const yieldSome = async () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    for (let i = 0; i < state % 4; i++) await Promise.resolve();
  };
  return {
    names: () => [...data.keys()],
    async get(name) {
      await yieldSome();
      return data.get(name);
    },
    async create(name, value) {
      await yieldSome();
      if (data.has(name)) return false;
      data.set(name, { value, version: 1 });
      return true;
    },
    async overwrite(name, value) {
      await yieldSome();
      const version = (data.get(name)?.version ?? 0) + 1;
      data.set(name, { value, version });
      return version;
    },
    async delete(name) {
      await yieldSome();
      data.delete(name);
    },
  };
}

const clockAt = (now: number): Clock => ({ now: () => now, sleep: async () => {} });
const T0 = Date.parse('2026-03-01T12:00:00Z');
const INSTANCE = 'i-0123456789abcdef0';
const request = (owner: string) => ({
  prefix: '/domtory-recovery',
  instanceId: INSTANCE,
  owner,
  trigger: 'slack' as const,
  ttlMs: 600_000,
});

describe('acquireLock', () => {
  it('gives the lock to the first caller and tells the second who holds it and since when', async () => {
    const store = parameterStore();
    const first = await acquireLock(store, clockAt(T0), request('slack:U111'));
    const second = await acquireLock(store, clockAt(T0 + 5_000), request('github:octo/app#7'));
    expect(first.acquired).toBe(true);
    expect(second).toMatchObject({
      acquired: false,
      holder: { owner: 'slack:U111', trigger: 'slack', acquiredAt: '2026-03-01T12:00:00.000Z' },
    });
  });

  it('lets a new caller take over a lock whose owner died, and says whose it was', async () => {
    const store = parameterStore();
    await acquireLock(store, clockAt(T0), request('bot:crashed'));
    const later = await acquireLock(store, clockAt(T0 + 600_001), request('slack:U222'));
    expect(later).toMatchObject({ acquired: true, takenOverFrom: { owner: 'bot:crashed' } });
    expect((await readLock(store, '/domtory-recovery', INSTANCE))?.owner).toBe('slack:U222');
    // The takeover marker is cleaned up, so the next takeover of this version's successor works too.
    expect(store.names()).toEqual([lockParameterName('/domtory-recovery', INSTANCE)]);
  });

  it('refuses a live lock even one millisecond before it expires', async () => {
    const store = parameterStore();
    await acquireLock(store, clockAt(T0), request('a'));
    expect((await acquireLock(store, clockAt(T0 + 599_999), request('b'))).acquired).toBe(false);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'grants an expired lock to exactly one of several racing contenders (seed %i)',
    async (seed) => {
      const store = parameterStore(seed);
      await acquireLock(store, clockAt(T0), request('dead'));
      const clock = clockAt(T0 + 3_600_000);
      const attempts = await Promise.all(
        ['a', 'b', 'c', 'd'].map((owner) => acquireLock(store, clock, request(owner))),
      );
      const winners = attempts.filter((attempt) => attempt.acquired);
      expect(winners).toHaveLength(1);
      const holder = await readLock(store, '/domtory-recovery', INSTANCE);
      expect(winners[0]?.acquired && winners[0].lock.owner).toBe(holder?.owner);
    },
  );

  it('releases only its own lock, not one taken over after it expired', async () => {
    const store = parameterStore();
    let now = T0;
    const clock: Clock = { now: () => now, sleep: async () => {} };
    const slow = await acquireLock(store, clock, request('slow'));
    now = T0 + 700_000;
    const taker = await acquireLock(store, clock, request('taker'));
    expect(taker.acquired).toBe(true);
    if (slow.acquired) await slow.release();
    expect((await readLock(store, '/domtory-recovery', INSTANCE))?.owner).toBe('taker');
    if (taker.acquired) await taker.release();
    expect(await readLock(store, '/domtory-recovery', INSTANCE)).toBeUndefined();
  });

  it('refuses a contender that saw the same expired lock but reached its marker after a takeover finished', async () => {
    const store = parameterStore();
    await acquireLock(store, clockAt(T0), request('dead'));
    // B reads the expired lock, then its marker create is held up (a throttled call the SDK retries).
    let letBThrough: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      letBThrough = resolve;
    });
    const slowMarker: ParameterStorePort = {
      ...store,
      create: async (name, value) => {
        if (name.includes('-takeover-')) await held;
        return store.create(name, value);
      },
    };
    const clock = clockAt(T0 + 3_600_000);
    const b = acquireLock(slowMarker, clock, request('b'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Meanwhile A takes over, overwrites the lock and deletes its marker.
    const a = await acquireLock(store, clock, request('a'));
    letBThrough();
    expect(a.acquired).toBe(true);
    expect(await b).toMatchObject({ acquired: false, holder: { owner: 'a' } });
    expect((await readLock(store, '/domtory-recovery', INSTANCE))?.owner).toBe('a');
  });

  it('is not blocked by a marker an interrupted takeover of an earlier lock left behind', async () => {
    const store = parameterStore();
    const name = lockParameterName('/domtory-recovery', INSTANCE);
    // Every lock created after a release is version 1 again; an earlier generation's marker shares its version.
    const earlier = await acquireLock(store, clockAt(T0 - 86_400_000), request('earlier'));
    const leftover = takeoverMarkerName(name, (await store.get(name)) ?? { value: '', version: 0 });
    if (earlier.acquired) await earlier.release();
    await store.create(leftover, '{}');
    await acquireLock(store, clockAt(T0), request('dead'));
    expect(await acquireLock(store, clockAt(T0 + 3_600_000), request('later'))).toMatchObject({
      acquired: true,
      takenOverFrom: { owner: 'dead' },
    });
  });

  it('names the marker of a takeover of this very lock that never finished, so a person can remove it', async () => {
    const store = parameterStore();
    const name = lockParameterName('/domtory-recovery', INSTANCE);
    await acquireLock(store, clockAt(T0), request('dead'));
    const marker = takeoverMarkerName(name, (await store.get(name)) ?? { value: '', version: 0 });
    await store.create(marker, '{}');
    expect(await acquireLock(store, clockAt(T0 + 3_600_000), request('later'))).toEqual({
      acquired: false,
      holder: expect.objectContaining({ owner: 'dead' }),
      takeoverMarker: marker,
    });
  });

  it('holds the lock when a create it sent landed but its answer was lost and the retry found it taken', async () => {
    const store = parameterStore();
    const lostAnswer: ParameterStorePort = {
      ...store,
      create: async (name, value) => {
        await store.create(name, value);
        return false;
      },
    };
    const attempt = await acquireLock(lostAnswer, clockAt(T0), request('slack:U1'));
    expect(attempt.acquired).toBe(true);
    if (attempt.acquired) await attempt.release();
    expect(await readLock(store, '/domtory-recovery', INSTANCE)).toBeUndefined();
  });

  it('takes over when the create of its marker landed but the answer was lost', async () => {
    const store = parameterStore();
    await acquireLock(store, clockAt(T0), request('dead'));
    const lostMarkerAnswer: ParameterStorePort = {
      ...store,
      create: async (name, value) => {
        const made = await store.create(name, value);
        return name.includes('-takeover-') ? false : made;
      },
    };
    const attempt = await acquireLock(lostMarkerAnswer, clockAt(T0 + 3_600_000), request('next'));
    expect(attempt).toMatchObject({ acquired: true, takenOverFrom: { owner: 'dead' } });
    expect(store.names()).toEqual([lockParameterName('/domtory-recovery', INSTANCE)]);
  });

  it('takes a lock its expired holder released during the takeover with an ordinary create', async () => {
    const store = parameterStore();
    const name = lockParameterName('/domtory-recovery', INSTANCE);
    await acquireLock(store, clockAt(T0), request('late'));
    const releasedMidway: ParameterStorePort = {
      ...store,
      create: async (created, value) => {
        const made = await store.create(created, value);
        if (created.includes('-takeover-')) await store.delete(name);
        return made;
      },
    };
    const attempt = await acquireLock(releasedMidway, clockAt(T0 + 3_600_000), request('next'));
    expect(attempt).toMatchObject({ acquired: true });
    expect((await readLock(store, '/domtory-recovery', INSTANCE))?.owner).toBe('next');
    expect(store.names()).toEqual([name]);
  });

  it('refuses, with a fix, when the lock parameter holds something unreadable', async () => {
    const store = parameterStore();
    await store.create(lockParameterName('/domtory-recovery', INSTANCE), 'garbage');
    const error = await acquireLock(store, clockAt(T0), request('x')).catch((e: unknown) => e);
    expect(isRecoveryError(error, 'lock-held')).toBe(true);
    expect(isRecoveryError(error) && error.fix).toMatch(/Delete the lock parameter/);
  });
});
