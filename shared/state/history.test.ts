import { describe, expect, it } from 'vitest';
import type { GuardSettings } from '../config/schema.js';
import type { ParameterStorePort, StoredParameter } from '../ports.js';
import {
  appendHistory,
  checkGuard,
  type HistoryEntry,
  historyParameterName,
  readHistory,
} from './history.js';

const GUARD: GuardSettings = { cooldownMinutes: 15, maxAutomaticRecoveries: 3, windowHours: 6 };
const NOW = Date.parse('2026-03-01T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

function entry(overrides: Partial<HistoryEntry>): HistoryEntry {
  return {
    startedAt: minutesAgo(60),
    durationMs: 120_000,
    trigger: 'alarm',
    actor: 'domtory-cpu-high',
    outcome: 'recovered',
    escalated: false,
    newBootSeen: true,
    ...overrides,
  };
}

describe('checkGuard', () => {
  it('allows an automatic recovery with no history', () => {
    expect(checkGuard([], NOW, GUARD)).toEqual({ allowed: true });
  });

  it('enforces the cooldown after an automatic recovery, and says until when', () => {
    // Started 12 min ago and took 2 min: finished 10 min ago, inside a 15 min cooldown.
    const decision = checkGuard([entry({ startedAt: minutesAgo(12) })], NOW, GUARD);
    expect(decision).toMatchObject({ allowed: false, code: 'cooldown', retryAfter: minutesAgo(-5) });
  });

  it('counts the cooldown from the end of the recovery, not its start', () => {
    expect(checkGuard([entry({ startedAt: minutesAgo(17) })], NOW, GUARD)).toEqual({ allowed: true });
    expect(checkGuard([entry({ startedAt: minutesAgo(16) })], NOW, GUARD).allowed).toBe(false);
  });

  it('stops acting alone after N automatic recoveries in the window', () => {
    const history = [
      entry({ startedAt: minutesAgo(30) }),
      entry({ startedAt: minutesAgo(120), outcome: 'failed' }),
      entry({ startedAt: minutesAgo(300) }),
    ];
    const decision = checkGuard(history, NOW, GUARD);
    expect(decision).toMatchObject({ allowed: false, code: 'loop-guard' });
    expect(!decision.allowed && decision.fix).toMatch(/person/);
  });

  it('ignores recoveries outside the window, manual ones, refusals and drills', () => {
    const history = [
      entry({ startedAt: minutesAgo(30), trigger: 'slack' }),
      entry({ startedAt: minutesAgo(40), outcome: 'refused' }),
      entry({ startedAt: minutesAgo(50), outcome: 'rehearsed' }),
      entry({ startedAt: minutesAgo(100) }),
      entry({ startedAt: minutesAgo(200) }),
      entry({ startedAt: minutesAgo(7 * 60) }),
    ];
    expect(checkGuard(history, NOW, GUARD)).toEqual({ allowed: true });
  });
});

function store(): ParameterStorePort & { raw: Map<string, StoredParameter> } {
  const raw = new Map<string, StoredParameter>();
  return {
    raw,
    get: async (name) => raw.get(name),
    create: async () => {
      throw new Error('history never uses create');
    },
    overwrite: async (name, value) => {
      const version = (raw.get(name)?.version ?? 0) + 1;
      raw.set(name, { value, version });
      return version;
    },
    delete: async (name) => {
      raw.delete(name);
    },
  };
}

describe('history', () => {
  it('keeps the newest first', async () => {
    const parameters = store();
    await appendHistory(parameters, '/p', 't', entry({ actor: 'first' }));
    await appendHistory(parameters, '/p', 't', entry({ actor: 'second' }));
    expect((await readHistory(parameters, '/p', 't')).map((e) => e.actor)).toEqual(['second', 'first']);
  });

  it('stays within a standard parameter of 4 KB by dropping the oldest', async () => {
    const parameters = store();
    for (let i = 0; i < 40; i++)
      await appendHistory(parameters, '/p', 't', entry({ actor: `actor-${i}-${'x'.repeat(60)}` }));
    const value = parameters.raw.get(historyParameterName('/p', 't'))?.value ?? '';
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(4096);
    const kept = await readHistory(parameters, '/p', 't');
    expect(kept[0]?.actor).toMatch(/^actor-39-/);
    expect(kept.length).toBeGreaterThan(5);
  });

  it('keeps enough of the largest entries for a loop guard at its highest limit (10) to see them all', async () => {
    const parameters = store();
    const largest = (trigger: HistoryEntry['trigger'], minutes: number) =>
      entry({
        trigger,
        startedAt: minutesAgo(minutes),
        durationMs: 1_799_999,
        actor: 'x'.repeat(64),
        outcome: 'failed',
        escalated: true,
        error: 'instance-terminated',
        // The id of the notification or run that asked for it, as the history keeps it.
        requestId: 'f'.repeat(16),
      });
    for (let i = 0; i < 10; i++) await appendHistory(parameters, '/p', 't', largest('alarm', 300 - i));
    for (let i = 0; i < 5; i++) await appendHistory(parameters, '/p', 't', largest('slack', 100 - i));
    const kept = await readHistory(parameters, '/p', 't');
    expect(kept.filter((e) => e.trigger === 'alarm')).toHaveLength(10);
    expect(checkGuard(kept, NOW, { ...GUARD, maxAutomaticRecoveries: 10 })).toMatchObject({
      allowed: false,
      code: 'loop-guard',
    });
  });

  it('reads an unreadable history as empty rather than blocking recoveries', async () => {
    const parameters = store();
    await parameters.overwrite(historyParameterName('/p', 't'), '{not json');
    expect(await readHistory(parameters, '/p', 't')).toEqual([]);
  });
});
