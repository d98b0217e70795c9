import { createRequire } from 'node:module';

/** The part of autocannon's API used here; it ships no types, and a local type avoids a global declaration. */
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void,
  ): void;
}
interface AutocannonResult {
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/**
 * Load phases on top of autocannon, with two fixes that a sub-millisecond loopback comparison needs:
 *
 * - Latency is recorded per response from autocannon's own `response` event (hrtime, fractional ms). Its
 *   built-in histogram stores whole milliseconds, which turns every loopback p50 into 0 or 1.
 * - "Evenly paced" means one request every 1/rate seconds. autocannon's `overallRate` instead lets each
 *   connection fire its whole per-second quota back to back at the top of each second, so its latencies are
 *   those of bursts. Here each connection sends on its own slots, offset so that together they are even.
 */

export interface PhaseOptions {
  name: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  /** The body of each request, in order. */
  body: () => string;
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections; absent: closed loop (each connection sends as soon as answered). */
  rate?: number;
  /** A fixed number of requests instead of a duration. */
  amount?: number;
}

export interface PhaseResult {
  name: string;
  requests: number;
  non2xx: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  /** Every response's latency in ms, ascending. */
  latencies: number[];
}

interface PacedClient {
  _doRequest: () => void;
  destroyed: boolean;
}

function pacer(rate: number, connections: number) {
  const period = (1000 * connections) / rate;
  const start = performance.now() + 20;
  let index = 0;
  return (client: PacedClient) => {
    const offset = ((index++ % connections) * period) / connections;
    let slot = 0;
    const send = client._doRequest.bind(client);
    client._doRequest = () => {
      const due = start + offset + slot++ * period;
      const wait = due - performance.now();
      if (wait <= 0) {
        send();
        return;
      }
      setTimeout(() => {
        if (!client.destroyed) send();
      }, wait);
    };
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export async function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.durationSeconds } : { amount: options.amount }),
    requests: [
      {
        method: 'POST',
        path: options.path,
        headers: options.headers,
        setupRequest: (request: Record<string, unknown>) => ({ ...request, body: options.body() }),
      },
    ],
    ...(options.rate === undefined ? {} : { setupClient: pacer(options.rate, options.connections) }),
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const requests = latencies.length;
  return {
    name: options.name,
    requests,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds,
    rps: requests / seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    statuses,
    latencies,
  };
}

/** One result from several runs of the same phase (slices interleaved with another app's). */
export function mergeResults(name: string, parts: PhaseResult[]): PhaseResult {
  const latencies = parts.flatMap((p) => p.latencies).sort((a, b) => a - b);
  const seconds = parts.reduce((sum, p) => sum + p.seconds, 0);
  const statuses: Record<string, number> = {};
  for (const part of parts) {
    for (const [code, count] of Object.entries(part.statuses)) statuses[code] = (statuses[code] ?? 0) + count;
  }
  return {
    name,
    requests: latencies.length,
    non2xx: parts.reduce((sum, p) => sum + p.non2xx, 0),
    errors: parts.reduce((sum, p) => sum + p.errors, 0),
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    statuses,
    latencies,
  };
}
