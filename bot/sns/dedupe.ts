import { Fifo } from '../fifo.js';

/**
 * SNS delivers at least once and retries with the same MessageId, so each id is acted on once. Entries live as
 * long as a message can be replayed at all (the intake refuses older timestamps), and the set is bounded so
 * that a flood cannot grow it without limit. It is per process: across processes (the Lambda home) the
 * recovery lock in Parameter Store is what keeps a second recovery from starting.
 *
 * Expiry and eviction read the oldest entry from a FIFO of their own, never from the front of the Map: a Map
 * whose oldest keys keep being deleted keeps their holes until it rehashes, and finding its first live key walks
 * over all of them. At the 10,000-entry bound (a flood, exactly when speed matters) that walk cost ~5 µs per
 * look, and a notification took three looks; the FIFO makes each one O(1).
 */
export class MessageDedupe {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #byDigest = new Map<string, Entry>();
  /** Every claimed entry in claim order, which is expiry order since every entry lives equally long. */
  readonly #order = new Fifo<Entry>();

  constructor(options: { ttlMs: number; maxEntries?: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * True the first time an id is seen within its lifetime; false for a repeat. Check and record are one step.
   * `verified` describes the notification that was verified under this id (see `verifiedBody`).
   */
  claim(id: string, verified?: VerifiedNotification): boolean {
    const now = this.#expire();
    if (this.#entries.has(id)) return false;
    if (this.#entries.size >= this.#maxEntries) this.#dropOldest();
    const entry: Entry = { id, expiresAt: now + this.#ttlMs, verified };
    this.#entries.set(id, entry);
    if (verified !== undefined) this.#byDigest.set(verified.digest, entry);
    this.#order.push(entry);
    return true;
  }

  /**
   * The live notification whose body had this digest when it was verified and claimed. A delivery with the same
   * digest is that notification byte for byte (SNS resends the same body), so parsing and checking its signature
   * again could only give the same answer.
   */
  verifiedBody(digest: string): { id: string; verified: VerifiedNotification } | undefined {
    this.#expire();
    const entry = this.#byDigest.get(digest);
    return entry?.verified === undefined ? undefined : { id: entry.id, verified: entry.verified };
  }

  get size(): number {
    return this.#entries.size;
  }

  #expire(): number {
    const now = this.#now();
    while ((this.#order.peek()?.expiresAt ?? Number.POSITIVE_INFINITY) <= now) this.#dropOldest();
    return now;
  }

  #dropOldest(): void {
    const oldest = this.#order.shift();
    if (oldest === undefined) return;
    this.#entries.delete(oldest.id);
    if (oldest.verified !== undefined) this.#byDigest.delete(oldest.verified.digest);
  }
}

/** What the intake keeps of a verified notification, enough to answer a byte-identical redelivery of it. */
export interface VerifiedNotification {
  /** SHA-256 of the body as it was delivered. */
  digest: string;
  topicArn: string;
  /** When SNS sent it (ms since the epoch): a redelivery past the replay window is stale, not a duplicate. */
  sentAt: number;
}

interface Entry {
  id: string;
  expiresAt: number;
  verified: VerifiedNotification | undefined;
}
