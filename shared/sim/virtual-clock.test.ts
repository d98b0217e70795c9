import { describe, expect, it } from 'vitest';
import { DEFAULT_START_AT, VirtualClock } from './virtual-clock.js';

describe('VirtualClock', () => {
  it('starts at a fixed date so runs are reproducible', () => {
    expect(new VirtualClock().now()).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(DEFAULT_START_AT).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(new VirtualClock({ startAt: 5 }).now()).toBe(5);
  });

  it('wakes concurrent sleepers by instant, then by registration, each at its own instant', async () => {
    const clock = new VirtualClock({ startAt: 0 });
    const woke: string[] = [];
    const sleeper = async (name: string, ms: number) => {
      await clock.sleep(ms);
      woke.push(`${name}@${clock.now()}`);
    };
    await Promise.all([sleeper('c', 300), sleeper('a', 100), sleeper('b', 200), sleeper('a2', 100)]);
    expect(woke).toEqual(['a@100', 'a2@100', 'b@200', 'c@300']);
    expect(clock.now()).toBe(300);
  });

  it('interleaves sleeping loops deterministically', async () => {
    const clock = new VirtualClock({ startAt: 0 });
    const log: string[] = [];
    const poller = async (name: string, every: number, times: number) => {
      for (let i = 0; i < times; i++) {
        await clock.sleep(every);
        log.push(`${name}${clock.now()}`);
      }
    };
    await Promise.all([poller('A', 50, 4), poller('B', 120, 2)]);
    expect(log).toEqual(['A50', 'A100', 'B120', 'A150', 'A200', 'B240']);
  });

  it('lets the woken work settle before firing the next timer', async () => {
    const clock = new VirtualClock({ startAt: 0 });
    const log: string[] = [];
    const slowToSleepAgain = async () => {
      await clock.sleep(10);
      // A chain of awaits (like an SDK call stack) before sleeping again must not let a later timer jump ahead.
      for (let i = 0; i < 20; i++) await Promise.resolve();
      await clock.sleep(1);
      log.push(`first@${clock.now()}`);
    };
    const later = async () => {
      await clock.sleep(20);
      log.push(`later@${clock.now()}`);
    };
    await Promise.all([slowToSleepAgain(), later()]);
    expect(log).toEqual(['first@11', 'later@20']);
  });

  it('manual mode: advance() wakes what is due and leaves the rest pending', async () => {
    const clock = new VirtualClock({ startAt: 0, autoAdvance: false });
    let early = false;
    let late = false;
    void clock.sleep(1_000).then(() => {
      early = true;
    });
    void clock.sleep(5_000).then(() => {
      late = true;
    });
    await clock.advance(2_000);
    expect([early, late, clock.now()]).toEqual([true, false, 2_000]);
    await clock.runUntilIdle();
    expect([late, clock.now(), clock.pendingTimers]).toEqual([true, 5_000, 0]);
  });

  it('manual mode: a background loop stops between advances', async () => {
    const clock = new VirtualClock({ startAt: 0, autoAdvance: false });
    const ticks: number[] = [];
    void (async () => {
      for (let i = 0; i < 10; i++) {
        await clock.sleep(1_000);
        ticks.push(clock.now());
      }
    })();
    await clock.advance(3_500);
    expect(ticks).toEqual([1_000, 2_000, 3_000]);
    expect(clock.now()).toBe(3_500);
    await clock.runUntilSettled();
    expect(ticks).toHaveLength(3);
    await clock.advance(1_000);
    expect(ticks).toEqual([1_000, 2_000, 3_000, 4_000]);
    await clock.runUntilIdle();
    expect(ticks).toHaveLength(10);
  });

  it('auto mode: advance() lets time pass and keeps going by itself', async () => {
    const clock = new VirtualClock({ startAt: 0 });
    let late = false;
    void clock.sleep(5_000).then(() => {
      late = true;
    });
    await clock.advance(1_000);
    expect(clock.now()).toBeGreaterThanOrEqual(1_000);
    await clock.runUntilIdle();
    expect(late).toBe(true);
  });

  it('holds no real timer once idle, so a process can exit', async () => {
    const clock = new VirtualClock({ startAt: 0 });
    await Promise.all([clock.sleep(10), clock.sleep(3_600_000)]);
    await clock.runUntilIdle();
    const handles = process.getActiveResourcesInfo().filter((r) => r === 'Immediate');
    expect(handles).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects a sleep that could never end', async () => {
    await expect(new VirtualClock().sleep(Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
  });

  it('ends a sleep the moment its signal aborts, without letting time pass', async () => {
    const clock = new VirtualClock({ startAt: 0, autoAdvance: false });
    const controller = new AbortController();
    const sleeping = clock.sleep(15_000, controller.signal);
    const other = clock.sleep(20_000);
    expect(clock.pendingTimers).toBe(2);
    controller.abort();
    await expect(sleeping).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.now()).toBe(0);
    expect(clock.pendingTimers).toBe(1);
    await expect(clock.sleep(1, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    await clock.runUntilIdle();
    await other;
    expect(clock.now()).toBe(20_000);
  });

  it('manual mode: an aborted timer due in an advance does not let a later one fire in its place', async () => {
    const clock = new VirtualClock({ startAt: 0, autoAdvance: false });
    const controller = new AbortController();
    const aborted = clock.sleep(5, controller.signal).catch(() => 'aborted');
    let laterWoke = false;
    void clock.sleep(20).then(() => {
      laterWoke = true;
    });
    const advanced = clock.advance(10);
    controller.abort();
    await advanced;
    expect(await aborted).toBe('aborted');
    expect(laterWoke).toBe(false);
    expect(clock.now()).toBe(10);
  });

  it('in paced mode, an aborted first timer does not wake the next one early', async () => {
    const clock = new VirtualClock({ startAt: 0, realMsPerVirtualSecond: 10 });
    const controller = new AbortController();
    const first = clock.sleep(100, controller.signal).catch(() => 'aborted');
    const second = clock.sleep(3_000).then(() => clock.now());
    controller.abort();
    expect(await first).toBe('aborted');
    const started = performance.now();
    expect(await second).toBeGreaterThanOrEqual(3_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(20);
  });

  it('paces virtual time against real time when asked', async () => {
    const clock = new VirtualClock({ startAt: 0, realMsPerVirtualSecond: 20 });
    const started = performance.now();
    await clock.sleep(2_000);
    const realMs = performance.now() - started;
    expect(clock.now()).toBe(2_000);
    expect(realMs).toBeGreaterThanOrEqual(35);
    expect(realMs).toBeLessThan(1_000);
  });

  it('in paced mode, a sleeper registered mid-wait fires before a later timer', async () => {
    const clock = new VirtualClock({ startAt: 0, realMsPerVirtualSecond: 10 });
    const log: string[] = [];
    const long = clock.sleep(5_000).then(() => log.push(`long@${clock.now()}`));
    // Arrives from outside (like a Slack click) while the pump waits for the 5 s timer.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const short = clock.sleep(100).then(() => log.push('short'));
    await Promise.all([long, short]);
    expect(log).toEqual(['short', 'long@5000']);
  });
});
