import { describe, expect, it } from 'vitest';
import type { Clock } from '../ports.js';
import { CallPacer, meterPorts } from './pacer.js';

function manualClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('CallPacer', () => {
  it('polls at the preferred cadence while the budget lasts, then at the sustained rate', async () => {
    const clock = manualClock();
    const pacer = new CallPacer(clock, { callsPerSecond: 0.5, burst: 3 });
    for (let i = 0; i < 12; i++) {
      await pacer.wait(500, Number.POSITIVE_INFINITY);
      pacer.spend();
    }
    // Over a long run the calls per second converge on the budget, whatever the preferred cadence.
    const rate = pacer.calls / (clock.now() / 1000);
    expect(rate).toBeLessThanOrEqual(0.5 + 3 / (clock.now() / 1000));
    expect(clock.slept.slice(0, 3)).toEqual([500, 500, 500]);
    expect(Math.max(...clock.slept)).toBeGreaterThan(500);
  });

  it('never sleeps past the deadline', async () => {
    const clock = manualClock();
    const pacer = new CallPacer(clock, { callsPerSecond: 0.1, burst: 0 });
    expect(await pacer.wait(5_000, 1_200)).toBe(1_200);
  });

  it('counts every call made through metered ports', async () => {
    const clock = manualClock();
    const pacer = new CallPacer(clock);
    const port = meterPorts({ a: async () => 1, b: async () => 2, label: 'not a call' }, pacer);
    await port.a();
    await port.b();
    await port.a();
    expect(port.label).toBe('not a call');
    expect(pacer.calls).toBe(3);
  });
});
