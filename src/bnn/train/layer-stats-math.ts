import type * as tf from '@tensorflow/tfjs-core';

/** The plain-number math of the layer statistics (entropies, histograms, flip shares), tested by hand. */

/** Binary entropy in bits: H(p) = −p log2 p − (1−p) log2(1−p), with 0 · log 0 = 0. */
export function binaryEntropy(p: number): number {
  if (!(p > 0 && p < 1)) return 0;
  return -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
}

/**
 * Histogram over the symmetric range [−m, m], m = max |v| over the finite values (m = 1 when all
 * are 0), in `bins` equal bins; bin i holds [edge_i, edge_{i+1}), the last bin also holds +m.
 * Non-finite values are not counted.
 */
export function symmetricHistogram(values: ArrayLike<number>, bins = 30): { edges: number[]; counts: number[] } {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > m && Number.isFinite(a)) m = a;
  }
  if (m === 0) m = 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => -m + (2 * m * i) / bins);
  const counts = new Array<number>(bins).fill(0);
  const perUnit = bins / (2 * m);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const b = Math.floor((v + m) * perUnit);
    counts[b < 0 ? 0 : b >= bins ? bins - 1 : b]++;
  }
  return { edges, counts };
}

/** Share of positions where two equally long 0/1 arrays differ. */
export function flipShare(previous: Uint8Array, current: Uint8Array): number {
  if (previous.length !== current.length) throw new RangeError('flipShare: sign arrays differ in length');
  let flips = 0;
  for (let i = 0; i < current.length; i++) if (previous[i] !== current[i]) flips++;
  return current.length ? flips / current.length : 0;
}

/** H(p) per channel of 0/1 values laid out with the channel last (HWIO weights: the out channel). */
export function channelEntropies(bits: Uint8Array, channels: number): Float64Array {
  const ones = new Float64Array(channels);
  for (let i = 0; i < bits.length; i++) ones[i % channels] += bits[i];
  const n = bits.length / channels;
  return ones.map((o) => binaryEntropy(n > 0 ? o / n : 0));
}

/** Lowest value and population standard deviation. */
export function minAndSpread(values: ArrayLike<number>): { min: number; std: number } {
  let min = Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]);
    sum += values[i];
  }
  const m = values.length ? sum / values.length : 0;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i] - m) ** 2;
  return { min: values.length ? min : NaN, std: values.length ? Math.sqrt(sq / values.length) : NaN };
}

/** A bool tensor's data as one 0/1 byte per element (a copy, so it outlives the tensor). */
export function toBits(data: tf.TypedArray | string[]): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] ? 1 : 0;
  return out;
}
