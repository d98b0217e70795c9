import type { Clock } from '../ports.js';

/**
 * A token bucket over every AWS call of one recovery. Waits poll at the cadence they would like, but never faster
 * than the budget allows, so a long wait (a hung instance takes minutes) cannot turn into a storm of calls, and
 * quiet stretches bank tokens for the moments when a quick look pays off.
 */
export interface PacerSettings {
  /** Sustained calls per second. */
  callsPerSecond: number;
  /** Calls that may be made back to back after a quiet stretch. */
  burst: number;
}

export const DEFAULT_PACER: PacerSettings = { callsPerSecond: 0.4, burst: 10 };

export class CallPacer {
  private tokens: number;
  private updatedAt: number;
  private readonly clock: Clock;
  private readonly settings: PacerSettings;
  calls = 0;

  constructor(clock: Clock, settings: PacerSettings = DEFAULT_PACER) {
    this.clock = clock;
    this.settings = settings;
    this.tokens = settings.burst;
    this.updatedAt = clock.now();
  }

  /** Records a call that has to happen now (a reboot, a lock); it may take the bucket below zero. */
  spend(): void {
    this.refill();
    this.tokens -= 1;
    this.calls += 1;
  }

  /**
   * Sleeps at least `preferredMs`, and longer if the bucket is empty, but never past `deadline`.
   * Resolves the instant it woke up.
   */
  async wait(preferredMs: number, deadline: number): Promise<number> {
    this.refill();
    const start = this.clock.now();
    const untilTokenMs = this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.settings.callsPerSecond) * 1000;
    const delay = Math.min(Math.max(preferredMs, untilTokenMs), Math.max(0, deadline - start));
    if (delay > 0) await this.clock.sleep(delay);
    return this.clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    const earned = ((now - this.updatedAt) / 1000) * this.settings.callsPerSecond;
    this.tokens = Math.min(this.settings.burst, this.tokens + earned);
    this.updatedAt = now;
  }
}

/** Wraps every AWS-facing port so each call is counted against the pacer (the HTTP probe and clock are free). */
export function meterPorts<T extends object>(port: T, pacer: CallPacer): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        pacer.spend();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
