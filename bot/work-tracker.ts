/**
 * Counts the work the bot does after it has answered (alarm routing, a status reply through the response_url).
 * The health endpoint reports it, shutdown waits for it, and a benchmark can tell when the bot is really idle.
 */
export class WorkTracker {
  #pending = 0;
  #waiters: Array<() => void> = [];

  get pending(): number {
    return this.#pending;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    this.#pending++;
    try {
      return await work();
    } finally {
      this.#pending--;
      if (this.#pending === 0) for (const wake of this.#waiters.splice(0)) wake();
    }
  }

  idle(): Promise<void> {
    return this.#pending === 0 ? Promise.resolve() : new Promise((resolve) => this.#waiters.push(resolve));
  }
}
