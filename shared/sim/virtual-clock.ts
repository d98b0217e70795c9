import type { Clock } from '../ports.js';

/** 2026-01-01T00:00:00Z: a fixed origin so that every simulated run prints the same timestamps. */
export const DEFAULT_START_AT = Date.UTC(2026, 0, 1);

export interface VirtualClockOptions {
  /** Virtual epoch milliseconds at creation. */
  startAt?: number;
  /**
   * Real milliseconds per virtual second. 0 (the default) runs as fast as the work allows; 25 plays a two-minute
   * recovery in about three seconds, for a demo that a person can watch.
   */
  realMsPerVirtualSecond?: number;
  /**
   * `true` (the default): time moves by itself whenever every piece of work sleeps. `false`: time moves only in
   * `advance()` and `runUntilIdle()`, so a test can stop a background run at an instant and look at it.
   */
  autoAdvance?: boolean;
}

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

type Pump =
  | { kind: 'immediate'; handle: ReturnType<typeof setImmediate> }
  | {
      kind: 'timeout';
      handle: ReturnType<typeof setTimeout>;
      /** Where real and virtual time were paired when the wait began, to read a flowing `now()` meanwhile. */
      anchorReal: number;
      anchorVirtual: number;
      target: number;
    };

/**
 * A `Clock` on virtual time, run as a discrete-event scheduler: `sleep` registers a timer, and a pump fires the
 * earliest one (setting `now` to its instant) only after the work woken by the previous one has settled, so
 * concurrent sleepers wake in a deterministic order: by instant, then by registration.
 *
 * The pump holds a real handle only while a timer is pending (or `runUntilIdle` waits), so an idle clock never
 * keeps a process alive.
 */
export class VirtualClock implements Clock {
  readonly startAt: number;
  readonly realMsPerVirtualSecond: number;
  readonly autoAdvance: boolean;
  #now: number;
  #timers: Timer[] = [];
  #seq = 0;
  #pump: Pump | undefined;
  #idleWaiters: Array<() => void> = [];
  /** Manual mode: timers up to this instant may fire (set by `advance`). */
  #driveUntil = Number.NEGATIVE_INFINITY;
  #driveWaiters: Array<() => void> = [];

  constructor(options: VirtualClockOptions = {}) {
    this.startAt = options.startAt ?? DEFAULT_START_AT;
    this.realMsPerVirtualSecond = options.realMsPerVirtualSecond ?? 0;
    this.autoAdvance = options.autoAdvance ?? true;
    if (!Number.isFinite(this.startAt)) throw new RangeError('startAt must be a finite epoch time in ms');
    if (!Number.isFinite(this.realMsPerVirtualSecond) || this.realMsPerVirtualSecond < 0) {
      throw new RangeError('realMsPerVirtualSecond must be a finite number >= 0');
    }
    this.#now = this.startAt;
  }

  now(): number {
    const pump = this.#pump;
    if (pump?.kind !== 'timeout') return this.#now;
    // Paced mode: between two timers virtual time flows with real time, so that something arriving from
    // outside (a Slack click in the demo) gets a plausible timestamp; it never passes the awaited timer.
    const elapsed = ((performance.now() - pump.anchorReal) * 1000) / this.realMsPerVirtualSecond;
    return Math.min(pump.target, Math.floor(pump.anchorVirtual + elapsed));
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (!Number.isFinite(ms)) return Promise.reject(new RangeError(`cannot sleep for ${ms} ms`));
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      const timer: Timer = { at: this.now() + Math.max(0, ms), seq: this.#seq++, resolve };
      const index = this.#insertionIndex(timer.at);
      this.#timers.splice(index, 0, timer);
      // A new earliest timer while waiting in real time: wait anew, for it.
      if (index === 0 && this.#pump?.kind === 'timeout') this.#unschedule();
      if (signal !== undefined) {
        const onAbort = () => {
          const at = this.#timers.indexOf(timer);
          if (at >= 0) this.#timers.splice(at, 1);
          // The pump was set for this timer, and would fire the next one in its place (past an advance's limit).
          if (at === 0) this.#unschedule();
          reject(abortError());
          this.#schedule();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        timer.resolve = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
      }
      this.#schedule();
    });
  }

  /**
   * Lets `ms` of virtual time pass, waking every sleeper due on the way in order, and resolves at `now + ms` once
   * the woken work has settled. With `autoAdvance` (the default) time goes on moving afterwards by itself.
   */
  advance(ms: number): Promise<void> {
    if (this.autoAdvance) return this.sleep(ms).then(() => this.runUntilSettled());
    return new Promise((resolve) => {
      this.#driveUntil = Math.max(this.#driveUntil, this.#now + Math.max(0, ms));
      this.#driveWaiters.push(resolve);
      this.#schedule();
    });
  }

  /**
   * Resolves once no timer is pending after the woken work has settled (in manual mode, firing them all). Never
   * resolves while something keeps sleeping in a loop (a poller with no deadline): a test sees that as a timeout.
   */
  runUntilIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      this.#schedule();
    });
  }

  /** One turn of the event loop: the work woken so far runs until it sleeps again. */
  runUntilSettled(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  /**
   * After every timer due at or before `at`, so that equal instants keep registration order. A binary search:
   * a busy simulation (a bot under load) can hold tens of thousands of sleepers.
   */
  #insertionIndex(at: number): number {
    let low = 0;
    let high = this.#timers.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#timers[middle]?.at ?? Number.POSITIVE_INFINITY) <= at) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Drops the pump, keeping the real time already passed, so that `#schedule` sets one for the earliest timer. */
  #unschedule(): void {
    const pump = this.#pump;
    if (pump === undefined) return;
    if (pump.kind === 'timeout') {
      this.#now = this.now();
      clearTimeout(pump.handle);
    } else clearImmediate(pump.handle);
    this.#pump = undefined;
  }

  /** Up to which instant timers may fire now. */
  #limit(): number {
    return this.autoAdvance || this.#idleWaiters.length > 0 ? Number.POSITIVE_INFINITY : this.#driveUntil;
  }

  #schedule(): void {
    if (this.#pump !== undefined) return;
    const next = this.#timers[0];
    if (next === undefined || next.at > this.#limit()) {
      if (this.#idleWaiters.length > 0 || this.#driveWaiters.length > 0) {
        // Idle only counts once the work woken by the last timer has settled without sleeping again.
        this.#pump = { kind: 'immediate', handle: setImmediate(() => this.#checkIdle()) };
      }
      return;
    }
    if (this.realMsPerVirtualSecond === 0 || next.at <= this.#now) {
      // setImmediate runs after pending promise continuations, which is what "settled" means here.
      this.#pump = { kind: 'immediate', handle: setImmediate(() => this.#fire()) };
      return;
    }
    const delay = ((next.at - this.#now) * this.realMsPerVirtualSecond) / 1000;
    this.#pump = {
      kind: 'timeout',
      handle: setTimeout(() => this.#fire(), delay),
      anchorReal: performance.now(),
      anchorVirtual: this.#now,
      target: next.at,
    };
  }

  #fire(): void {
    this.#pump = undefined;
    const timer = this.#timers.shift();
    if (timer !== undefined) {
      this.#now = Math.max(this.#now, timer.at);
      timer.resolve();
    }
    this.#schedule();
  }

  #checkIdle(): void {
    this.#pump = undefined;
    const next = this.#timers[0];
    if (next === undefined) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
    if (this.#driveWaiters.length > 0 && (next === undefined || next.at > this.#driveUntil)) {
      this.#now = Math.max(this.#now, this.#driveUntil);
      this.#driveUntil = Number.NEGATIVE_INFINITY;
      for (const resolve of this.#driveWaiters.splice(0)) resolve();
    }
    this.#schedule();
  }
}

/** What an aborted sleep rejects with, as `node:timers/promises` does. */
function abortError(): Error {
  return new DOMException('The operation was aborted', 'AbortError');
}
