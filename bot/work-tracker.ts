import { Fifo } from './fifo.js';

/**
 * The work the bot does after it has answered (alarm routing and its Slack post, a subscription confirmation, a
 * status reply through the response_url), and when it gets to run.
 *
 * Answering comes first. Work handed to `schedule` waits in one FIFO and is started in slices of at most
 * `sliceBudgetMs` each, and the poll phase (new requests) always gets its turn between two slices, so an answer
 * waits for at most one slice of earlier requests' work rather than for all of it. Under load the work finishes
 * later; the answers do not.
 *
 * The first slice after a quiet spell starts from a timer, not from `setImmediate`: an immediate runs before the
 * loop sleeps, so the work would take the CPU the moment the answer is written. Linux wakes a socket's reader as a
 * "sync" wakeup, on the assumption that the writer is about to sleep, and so often on the writer's CPU; on a host
 * with one or two CPUs the answer's reader (a TLS proxy in front of the bot, or the benchmark's client) then waits
 * for the work to end. At 500 status commands a second that put 0.1 ms on the 90th-percentile answer. A 1-ms timer
 * lets the loop sleep first, and nothing the work does is that urgent. Further slices of a backlog follow with
 * `setImmediate`, since the loop is busy then anyway.
 *
 * The backlog is bounded: once `maxPending` jobs are queued or running, `admit()` says no, and the caller refuses
 * the request before doing any work for it (SNS gets a 503 and delivers again later). Work that was admitted is
 * never dropped: a request checks admission at its start and may schedule its job after an await, so the
 * backlog can pass the bound by the requests in flight at that moment, never by more.
 *
 * The health endpoint reports `pending`, shutdown waits for `idle()`, and a benchmark can tell when the bot is
 * really idle.
 */
export interface WorkTrackerOptions {
  /** Jobs queued or running beyond which `admit()` refuses. */
  maxPending?: number;
  /** Longest stretch of job starts in one slice before new requests get their turn. */
  sliceBudgetMs?: number;
  /** Called with each job's failure; jobs are expected to catch their own, this is the last resort. */
  onError?: (error: unknown, name: string) => void;
  /** Clock for the slice budget; tests may count calls instead of measuring. */
  now?: () => number;
}

interface Job {
  name: string;
  work: () => Promise<unknown>;
}

export const DEFAULT_MAX_PENDING = 5_000;
export const DEFAULT_SLICE_BUDGET_MS = 2;
/** Node's shortest timer; see the class comment for why the first slice waits at all. */
const FIRST_SLICE_DELAY_MS = 1;

export class WorkTracker {
  readonly maxPending: number;
  readonly #sliceBudgetMs: number;
  readonly #onError: (error: unknown, name: string) => void;
  readonly #now: () => number;
  readonly #queue = new Fifo<Job>();
  #running = 0;
  #refused = 0;
  #sliceScheduled = false;
  #waiters: Array<() => void> = [];

  constructor(options: WorkTrackerOptions = {}) {
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.#sliceBudgetMs = options.sliceBudgetMs ?? DEFAULT_SLICE_BUDGET_MS;
    this.#onError = options.onError ?? (() => {});
    this.#now = options.now ?? (() => performance.now());
  }

  /** Jobs queued or running. */
  get pending(): number {
    return this.#queue.size + this.#running;
  }

  get queued(): number {
    return this.#queue.size;
  }

  /** Requests refused by `admit()` since start. */
  get refused(): number {
    return this.#refused;
  }

  /** Whether a new request may bring more work; a refusal is counted. */
  admit(): boolean {
    if (this.pending < this.maxPending) return true;
    this.#refused++;
    return false;
  }

  /** Queues a job to start after the answers of the requests now waiting. */
  schedule(name: string, work: () => Promise<unknown>): void {
    this.#queue.push({ name, work });
    if (!this.#sliceScheduled) {
      this.#sliceScheduled = true;
      setTimeout(this.#slice, FIRST_SLICE_DELAY_MS);
    }
  }

  /** Counts work that runs now, outside the queue (it is already on its way when it is handed over). */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.#running++;
    try {
      return await work();
    } finally {
      this.#finished();
    }
  }

  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.#waiters.push(resolve));
  }

  readonly #slice = (): void => {
    this.#sliceScheduled = false;
    const started = this.#now();
    // At least one job per slice, so that a slow clock or a long job cannot stall the queue.
    do {
      const job = this.#queue.shift();
      if (job === undefined) break;
      this.#start(job);
    } while (this.#queue.size > 0 && this.#now() - started < this.#sliceBudgetMs);
    if (this.#queue.size > 0) {
      this.#sliceScheduled = true;
      setImmediate(this.#slice);
    }
  };

  #start(job: Job): void {
    this.#running++;
    let promise: Promise<unknown>;
    try {
      promise = job.work();
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      () => this.#finished(),
      (error: unknown) => {
        this.#onError(error, job.name);
        this.#finished();
      },
    );
  }

  #finished(): void {
    this.#running--;
    if (this.pending === 0) this.#wake();
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
