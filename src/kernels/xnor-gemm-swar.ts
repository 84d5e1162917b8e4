import { sumBytes } from './popcount';
import { popcountXorRow, SWAR_CHUNK_WORDS, type GemmOutput } from './xnor-gemm';

/**
 * The plain-SWAR variant of xnorGemmWords, kept for the benchmark's comparison with the
 * Harley–Seal kernel: same 1×4 register tile, but every XOR word gets its own SWAR
 * popcount (2-, 4-, 8-bit sums) and only the final byte sum is deferred over 15 words.
 * out[i·n + j] = bits − 2·popcount(a_i XOR b_j).
 */
export function xnorGemmSwarWords(
  a: Int32Array,
  b: Int32Array,
  m: number,
  n: number,
  wordsPerRow: number,
  bits: number,
  out: GemmOutput,
): void {
  const W = wordsPerRow;
  const n4 = n - (n & 3);
  for (let i = 0; i < m; i++) {
    const ar = i * W;
    const orow = i * n;
    for (let j = 0; j < n4; j += 4) {
      const r0 = j * W;
      const r1 = r0 + W;
      const r2 = r1 + W;
      const r3 = r2 + W;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k0 = 0; k0 < W; k0 += SWAR_CHUNK_WORDS) {
        const k1 = Math.min(W, k0 + SWAR_CHUNK_WORDS);
        let f0 = 0, f1 = 0, f2 = 0, f3 = 0;
        for (let k = k0; k < k1; k++) {
          const ak = a[ar + k];
          let x = ak ^ b[r0 + k];
          x = x - ((x >>> 1) & 0x55555555); x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
          f0 += (x + (x >>> 4)) & 0x0f0f0f0f;
          x = ak ^ b[r1 + k];
          x = x - ((x >>> 1) & 0x55555555); x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
          f1 += (x + (x >>> 4)) & 0x0f0f0f0f;
          x = ak ^ b[r2 + k];
          x = x - ((x >>> 1) & 0x55555555); x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
          f2 += (x + (x >>> 4)) & 0x0f0f0f0f;
          x = ak ^ b[r3 + k];
          x = x - ((x >>> 1) & 0x55555555); x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
          f3 += (x + (x >>> 4)) & 0x0f0f0f0f;
        }
        s0 += sumBytes(f0);
        s1 += sumBytes(f1);
        s2 += sumBytes(f2);
        s3 += sumBytes(f3);
      }
      out[orow + j] = bits - 2 * s0;
      out[orow + j + 1] = bits - 2 * s1;
      out[orow + j + 2] = bits - 2 * s2;
      out[orow + j + 3] = bits - 2 * s3;
    }
    for (let j = n4; j < n; j++) out[orow + j] = bits - 2 * popcountXorRow(a, ar, b, j * W, W);
  }
}
