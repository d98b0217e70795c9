/**
 * Deterministic randomness for the simulator: every run of a scenario with the same seed produces the same boot
 * ids, latencies and metric noise, so tests and benchmark runs are reproducible.
 */

export type Random = () => number;

/** mulberry32: tiny and good enough for jitter and ids; not for anything security-related. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A value in [0, 1) that depends only on its inputs, for noise that must not depend on the order of calls. */
export function hashToUnit(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    // Split each part into 32-bit halves so epoch-millisecond timestamps hash fully.
    for (const word of [part >>> 0, Math.floor(part / 4294967296) >>> 0]) {
      h = Math.imul(h ^ word, 0x01000193) >>> 0;
      h ^= h >>> 13;
    }
  }
  return createRandom(h)();
}

export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function randomHex(random: Random, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += Math.floor(random() * 16).toString(16);
  return text;
}

/** A version-4 UUID in lower-case hex, the shape of /proc/sys/kernel/random/boot_id and of SSM command ids. */
export function randomUuid(random: Random): string {
  const hex = randomHex(random, 32).split('');
  hex[12] = '4';
  hex[16] = (8 + Math.floor(random() * 4)).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
