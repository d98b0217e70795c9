/**
 * SNS delivers at least once and retries with the same MessageId, so each id is acted on once. Entries live as
 * long as a message can be replayed at all (the intake refuses older timestamps), and the set is bounded so
 * that a flood cannot grow it without limit. It is per process: across processes (the Lambda home) the
 * recovery lock in Parameter Store is what keeps a second recovery from starting.
 */
export class MessageDedupe {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** Insertion order is expiry order, since every entry lives equally long. */
  readonly #expiresAt = new Map<string, number>();

  constructor(options: { ttlMs: number; maxEntries?: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** True the first time an id is seen within its lifetime; false for a repeat. Check and record are one step. */
  claim(id: string): boolean {
    const now = this.#now();
    for (const [key, expiresAt] of this.#expiresAt) {
      if (expiresAt > now) break;
      this.#expiresAt.delete(key);
    }
    if (this.#expiresAt.has(id)) return false;
    if (this.#expiresAt.size >= this.#maxEntries) {
      const oldest = this.#expiresAt.keys().next().value;
      if (oldest !== undefined) this.#expiresAt.delete(oldest);
    }
    this.#expiresAt.set(id, now + this.#ttlMs);
    return true;
  }

  get size(): number {
    return this.#expiresAt.size;
  }
}
