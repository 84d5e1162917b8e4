/**
 * Bit counting on 32-bit words held in JS numbers (int32 or uint32 bit patterns).
 * The hot loops of the XNOR kernels inline these steps by hand; these helpers serve the
 * tails, the packers and the tests.
 */

/**
 * popcount(x) by SWAR: 2-bit sums `x − ((x >>> 1) & 0x55…)`, 4-bit sums, 8-bit sums, then
 * `(x · 0x01010101) >>> 24` adds the four bytes (each ≤ 8, so no carry leaves the top byte).
 */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Sum of the four bytes of a word whose bytes are independent counters (each ≤ 255).
 * Used to flush deferred per-byte popcount accumulators: bytes → 16-bit halves → total.
 */
export function sumBytes(x: number): number {
  x = (x & 0x00ff00ff) + ((x >>> 8) & 0x00ff00ff);
  return (x & 0xffff) + (x >>> 16);
}

