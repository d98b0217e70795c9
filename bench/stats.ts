/**
 * The one summary statistic the benches report. Kept here so that every figure in bench/ is "the median" in the
 * same sense.
 */

/**
 * The middle value, or the mean of the two middle values for an even count; NaN for no values, so that an empty
 * sample shows as a missing figure rather than as a plausible 0. Sorts a copy: callers keep their samples in
 * run order (bench:action prints them).
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? Number.NaN;
  const low = sorted[middle - 1];
  const high = sorted[middle];
  return low === undefined || high === undefined ? Number.NaN : (low + high) / 2;
}
