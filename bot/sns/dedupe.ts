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
  readonly #entries = new Map<string, { expiresAt: number; fingerprint: string | undefined }>();

  constructor(options: { ttlMs: number; maxEntries?: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * True the first time an id is seen within its lifetime; false for a repeat. Check and record are one step.
   * `fingerprint` identifies what was verified under this id (see `verifiedAs`).
   */
  claim(id: string, fingerprint?: string): boolean {
    const now = this.#expire();
    if (this.#entries.has(id)) return false;
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(id, { expiresAt: now + this.#ttlMs, fingerprint });
    return true;
  }

  /**
   * The fingerprint a live id was claimed with. A delivery whose own fingerprint is the same is byte for byte a
   * message already verified (SNS retries send the same signed fields), so checking its signature again could
   * only give the same answer.
   */
  verifiedAs(id: string): string | undefined {
    this.#expire();
    return this.#entries.get(id)?.fingerprint;
  }

  get size(): number {
    return this.#entries.size;
  }

  #expire(): number {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) break;
      this.#entries.delete(key);
    }
    return now;
  }
}
