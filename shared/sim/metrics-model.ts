import { RecoveryError } from '../errors.js';
import type { MetricDatapoint, MetricQuery } from '../ports.js';
import { hashToUnit } from './random.js';

/**
 * CloudWatch for the one simulated instance: a history of CPU levels (what the hypervisor measured) and of CPU
 * credit balance resets, from which datapoints are computed for any query. Values carry deterministic noise.
 */

/** `pinned`: a runaway process at ~100 %; `throttled`: held at the t2.micro baseline; `off`: stopped, no data. */
export type CpuLevel = 'pinned' | 'throttled' | 'normal' | 'off';

/** t2.micro: earns 6 credits an hour, holds at most 144 (24 h of earnings), gets 30 launch credits on start. */
export const T2_MICRO_CREDITS = { maxBalance: 144, launchCredits: 30 } as const;

/** Net credits per hour at each level: earnings (6/h) minus spending (60/h at 100 % of one vCPU). */
const CREDIT_RATE_PER_HOUR: Record<CpuLevel, number> = { pinned: -54, throttled: 0, normal: 4, off: 0 };

/** CloudWatch publishes a datapoint about a minute after the period it describes has started. */
const PUBLISH_DELAY_MS = 60_000;
const MAX_DATAPOINTS = 1440;
/** Free basic monitoring samples every 5 minutes; SampleCount follows. */
const BASIC_MONITORING_SECONDS = 300;

const METRIC_CODE = { CPUUtilization: 1, CPUCreditBalance: 2 } as const;

export class MetricsModel {
  readonly #seed: number;
  #levels: Array<{ from: number; level: CpuLevel }> = [];
  #creditResets: Array<{ at: number; balance: number }> = [];

  constructor(options: { origin: number; level: CpuLevel; creditBalance: number; seed: number }) {
    this.#seed = options.seed;
    this.#levels.push({ from: options.origin, level: options.level });
    this.#creditResets.push({ at: options.origin, balance: options.creditBalance });
  }

  setLevel(at: number, level: CpuLevel): void {
    const last = this.#levels.at(-1);
    if (last?.level === level) return;
    this.#levels.push({ from: at, level });
  }

  resetCredits(at: number, balance: number): void {
    this.#creditResets.push({ at, balance });
  }

  levelAt(at: number): CpuLevel | undefined {
    let level: CpuLevel | undefined;
    for (const segment of this.#levels) if (segment.from <= at) level = segment.level;
    return level;
  }

  creditBalanceAt(at: number): number | undefined {
    const reset = this.#creditResets.findLast((r) => r.at <= at);
    if (reset === undefined) return undefined;
    let balance = reset.balance;
    this.#levels.forEach((segment, i) => {
      const from = Math.max(segment.from, reset.at);
      const to = Math.min(this.#levels[i + 1]?.from ?? at, at);
      if (to <= from) return;
      const hours = (to - from) / 3_600_000;
      balance = clamp(balance + CREDIT_RATE_PER_HOUR[segment.level] * hours, 0, T2_MICRO_CREDITS.maxBalance);
    });
    return balance;
  }

  /** GetMetricStatistics: datapoints aligned on the period, published ones only, ascending. */
  datapoints(query: MetricQuery, now: number): MetricDatapoint[] {
    const periodMs = query.periodSeconds * 1000;
    const start = query.start.getTime();
    const end = query.end.getTime();
    if (
      ![1, 5, 10, 30].includes(query.periodSeconds) &&
      (query.periodSeconds < 60 || query.periodSeconds % 60)
    ) {
      throw new RecoveryError(
        'aws-error',
        'InvalidParameterValue: The parameter Period must be a multiple of 60.',
      );
    }
    if (!(start < end)) {
      throw new RecoveryError(
        'aws-error',
        'InvalidParameterValue: The parameter StartTime must be before EndTime.',
      );
    }
    if ((end - start) / periodMs > MAX_DATAPOINTS) {
      throw new RecoveryError(
        'aws-error',
        `InvalidParameterCombination: You have requested up to ${Math.ceil((end - start) / periodMs)} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}.`,
      );
    }
    const points: MetricDatapoint[] = [];
    for (
      let ts = Math.ceil(start / periodMs) * periodMs;
      ts < end && ts + PUBLISH_DELAY_MS <= now;
      ts += periodMs
    ) {
      const sampleAt = Math.min(ts + periodMs / 2, now - PUBLISH_DELAY_MS);
      const level = this.levelAt(sampleAt);
      if (level === undefined || level === 'off') continue;
      const noise = hashToUnit(this.#seed, METRIC_CODE[query.metric], ts);
      const base =
        query.metric === 'CPUUtilization' ? cpuPercent(level, noise) : this.creditBalanceAt(sampleAt);
      if (base === undefined) continue;
      const spread = query.metric === 'CPUUtilization' ? 4 : 0.5;
      const samples = Math.max(1, Math.floor(query.periodSeconds / BASIC_MONITORING_SECONDS));
      const value = {
        Average: base,
        Minimum: Math.max(0, base - spread * noise),
        Maximum:
          query.metric === 'CPUUtilization' ? Math.min(100, base + spread * noise) : base + spread * noise,
        Sum: base * samples,
        SampleCount: samples,
      }[query.statistic];
      points.push({ timestamp: new Date(ts), value: round(value) });
    }
    return points;
  }
}

function cpuPercent(level: Exclude<CpuLevel, 'off'>, noise: number): number {
  switch (level) {
    case 'pinned':
      return 97 + 2.9 * noise;
    case 'throttled':
      return 9.6 + 0.6 * noise;
    case 'normal':
      return 5 + 15 * noise;
  }
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const round = (value: number) => Math.round(value * 1000) / 1000;
