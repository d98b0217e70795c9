/**
 * `npm run bench:digest`: what an alarm costs the bot while it waits in a digest for Slack's budget (see
 * AlarmPacer), in retained heap and in routing time. A storm of distinct alarms on one target goes through the
 * real alarm router, with a pacer whose clock never moves, so that every alarm after the burst stays gathered.
 *
 * Heap is measured after forced collections (the script runs with `--expose-gc`), with the alarm payloads
 * themselves dropped, so the figure is the router's and the pacer's own bookkeeping. One process, single-threaded;
 * the median of five runs.
 */

import { createAlarmRouter } from '../bot/alarms/alarm-router.js';
import { createLogger } from '../bot/logger.js';
import { customPortsProvider } from '../bot/recovery/ports-provider.js';
import { RecoveryService } from '../bot/recovery/recovery-service.js';
import { alarmPayload } from '../bot/test-support/alarm-payloads.js';
import { RecordingSlack } from '../bot/test-support/fake-deps.js';
import { parseConfig } from '../shared/index.js';
import { createSimulatedCloud } from '../shared/sim/index.js';
import { BENCH_CONFIG, BENCH_INSTANCES } from './bot-fixtures.js';
import { median } from './stats.js';

const SIZES = [10_000, 20_000];
const RUNS = 5;

/** Holds the router (and so what it retains) through the second measurement. */
const retained: unknown[] = [];

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  process.stderr.write('run with --expose-gc (npm run bench:digest does)\n');
  process.exit(1);
}

function settledHeap(): number {
  for (let i = 0; i < 4; i++) gc?.();
  return process.memoryUsage().heapUsed;
}

async function run(alarms: number): Promise<{ heapBytes: number; microseconds: number }> {
  const config = parseConfig(BENCH_CONFIG, 'bench config');
  const slack = new RecordingSlack();
  // Logs are formatted and dropped: their strings are garbage, not retained.
  const logger = createLogger({ sink: () => {} });
  const cloud = createSimulatedCloud({ instanceId: BENCH_INSTANCES.docs });
  const service = new RecoveryService({
    config,
    ports: customPortsProvider(() => cloud.ports),
    slack,
    channel: 'C0OPS',
    logger,
  });
  const router = createAlarmRouter({
    service,
    slack,
    channel: 'C0OPS',
    logger,
    // The clock stands still and no timer ever fires: after the burst, every alarm stays in its digest.
    pace: { now: () => 0, schedule: () => {} },
  });
  const handle = (i: number) =>
    router.handle(alarmPayload({ instanceId: BENCH_INSTANCES.docs, name: `storm-${i}` }), {
      messageId: `m-${i}`,
    });
  // The burst's three alarms are posted at once and are not part of the figure.
  for (let i = 0; i < 3; i++) await handle(i);
  const before = settledHeap();
  const started = performance.now();
  for (let i = 3; i < 3 + alarms; i++) await handle(i);
  const elapsed = performance.now() - started;
  retained.push(router);
  const after = settledHeap();
  retained.length = 0;
  if (slack.posts.length !== 3) throw new Error(`expected 3 posts, saw ${slack.posts.length}`);
  return { heapBytes: after - before, microseconds: (elapsed * 1000) / alarms };
}

const rows = [];
for (const alarms of SIZES) {
  const samples = [];
  for (let r = 0; r < RUNS; r++) samples.push(await run(alarms));
  rows.push({
    alarms,
    bytesPerAlarm: Math.round(median(samples.map((s) => s.heapBytes)) / alarms),
    microsecondsPerAlarm: Math.round(median(samples.map((s) => s.microseconds)) * 100) / 100,
  });
}
for (const row of rows) {
  process.stdout.write(
    `${String(row.alarms).padStart(6)} gathered alarms   ${String(row.bytesPerAlarm).padStart(5)} bytes retained per alarm   ${row.microsecondsPerAlarm.toFixed(2)} µs to route one\n`,
  );
}
process.stdout.write(`${JSON.stringify({ bench: 'alarm-digest', rows })}\n`);
