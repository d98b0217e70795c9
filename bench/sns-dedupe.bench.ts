/**
 * `npm run bench:dedupe`: what the SNS de-duplication costs per notification (one `verifiedBody` and one `claim`,
 * as the intake does) once the set is full, which is where a flood of distinct messages keeps it. In-process and
 * single-threaded: a figure per bound, the median of five runs.
 */
import { MessageDedupe } from '../bot/sns/dedupe.js';
import { median } from './stats.js';

const BOUNDS = [1_000, 10_000, 100_000];
const NOTIFICATIONS = 200_000;
const RUNS = 5;

function run(bound: number): number {
  const dedupe = new MessageDedupe({ ttlMs: 3_600_000, maxEntries: bound });
  const verified = (id: string) => ({ digest: `digest-${id}`, topicArn: 'topic', sentAt: 0 });
  for (let i = 0; i < bound; i++) dedupe.claim(`warm-${i}`, verified(`warm-${i}`));
  const ids = Array.from(
    { length: NOTIFICATIONS },
    (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  );
  const entries = ids.map(verified);
  const started = performance.now();
  for (let i = 0; i < ids.length; i++) {
    const entry = entries[i] as ReturnType<typeof verified>;
    if (dedupe.verifiedBody(entry.digest) === undefined) dedupe.claim(ids[i] as string, entry);
  }
  return ((performance.now() - started) * 1000) / NOTIFICATIONS;
}

const rows = BOUNDS.map((bound) => {
  const samples = Array.from({ length: RUNS }, () => run(bound));
  return { bound, microsecondsPerNotification: Math.round(median(samples) * 1000) / 1000 };
});
for (const row of rows) {
  process.stdout.write(
    `bound ${String(row.bound).padStart(7)}   ${row.microsecondsPerNotification.toFixed(3)} µs per notification at the bound\n`,
  );
}
process.stdout.write(`${JSON.stringify({ bench: 'sns-dedupe', notifications: NOTIFICATIONS, rows })}\n`);
