import type { PackedMatrix } from './bitpack';
import { popcount32, sumBytes } from './popcount';

/** Output of the XNOR GEMMs: exact integer dot products, row-major [M, N]. */
export type GemmOutput = Int32Array | Float32Array;

/**
 * Words per deferred-sum chunk: each 4-word block adds ≤ 8 to every byte of the "fours"
 * accumulator; 15 blocks (60 words) keep each byte ≤ 120, so the accumulator stays below
 * 2³¹ and V8 keeps it a plain int32 (wrapping it with `| 0` instead measured slower).
 */
const HS_CHUNK_WORDS = 60;

/** The same bound for one SWAR popcount per word: 15 words keep each byte ≤ 120. */
export const SWAR_CHUNK_WORDS = 15;

/** Int32 view of packed words (same memory): keeps the hot loops in int32 arithmetic. */
export function int32View(words: Uint32Array): Int32Array {
  return new Int32Array(words.buffer, words.byteOffset, words.length);
}

/**
 * C = A·Bᵀ over ±1 bit rows: C[m, n] = A.bits − 2·popcount(a_m XOR b_n), with A [M, K] and
 * B [N, K] packed by rows. Allocates an Int32Array [M, N] unless `out` is given.
 */
export function xnorGemm<T extends GemmOutput = Int32Array>(a: PackedMatrix, b: PackedMatrix, out?: T): T {
  if (a.bits !== b.bits || a.wordsPerRow !== b.wordsPerRow) {
    throw new RangeError(`K mismatch: A has ${a.bits} bits in ${a.wordsPerRow} words, B ${b.bits} in ${b.wordsPerRow}`);
  }
  const result = out ?? (new Int32Array(a.rows * b.rows) as GemmOutput as T);
  if (result.length < a.rows * b.rows) throw new RangeError(`out needs ${a.rows * b.rows} elements`);
  xnorGemmWords(int32View(a.words), int32View(b.words), a.rows, b.rows, a.wordsPerRow, a.bits, result);
  return result;
}

/**
 * The XNOR GEMM kernel on raw words: out[i·n + j] = bits − 2·popcount(a_i XOR b_j), rows of
 * `wordsPerRow` words. Register tile 1×4: each activation word is loaded once and XORed
 * with four weight rows. Counting is Harley–Seal carry-save: per row pair, a CSA
 * (full adder on 32 lanes) folds words into `ones` and `twos`; every 4 words yield one
 * "fours" word whose per-byte popcount is accumulated without summing the bytes, so
 *   popcount = 4·Σbytes(fours) + 2·popcount(twos) + popcount(ones).
 * CSA(a, b, c): u = a ^ b; carry = (a & b) | (u & c); sum = u ^ c.
 */
export function xnorGemmWords(
  a: Int32Array,
  b: Int32Array,
  m: number,
  n: number,
  wordsPerRow: number,
  bits: number,
  out: GemmOutput,
): void {
  const W = wordsPerRow;
  const W4 = W - (W & 3);
  const n4 = n - (n & 3);
  for (let i = 0; i < m; i++) {
    const ar = i * W;
    const orow = i * n;
    for (let j = 0; j < n4; j += 4) {
      const r0 = j * W;
      const r1 = r0 + W;
      const r2 = r1 + W;
      const r3 = r2 + W;
      let o0 = 0, t0 = 0, s0 = 0;
      let o1 = 0, t1 = 0, s1 = 0;
      let o2 = 0, t2 = 0, s2 = 0;
      let o3 = 0, t3 = 0, s3 = 0;
      for (let k0 = 0; k0 < W4; k0 += HS_CHUNK_WORDS) {
        const k1 = Math.min(W4, k0 + HS_CHUNK_WORDS);
        let f0 = 0, f1 = 0, f2 = 0, f3 = 0;
        for (let k = k0; k < k1; k += 4) {
          const a0 = a[ar + k], a1 = a[ar + k + 1], a2 = a[ar + k + 2], a3 = a[ar + k + 3];
          let x, y, u, lo, hi, q;
          // output column j
          x = a0 ^ b[r0 + k]; y = a1 ^ b[r0 + k + 1];
          u = o0 ^ x; lo = (o0 & x) | (u & y); o0 = u ^ y;
          x = a2 ^ b[r0 + k + 2]; y = a3 ^ b[r0 + k + 3];
          u = o0 ^ x; hi = (o0 & x) | (u & y); o0 = u ^ y;
          u = t0 ^ lo; q = (t0 & lo) | (u & hi); t0 = u ^ hi;
          q = q - ((q >>> 1) & 0x55555555); q = (q & 0x33333333) + ((q >>> 2) & 0x33333333);
          f0 += (q + (q >>> 4)) & 0x0f0f0f0f;
          // output column j + 1
          x = a0 ^ b[r1 + k]; y = a1 ^ b[r1 + k + 1];
          u = o1 ^ x; lo = (o1 & x) | (u & y); o1 = u ^ y;
          x = a2 ^ b[r1 + k + 2]; y = a3 ^ b[r1 + k + 3];
          u = o1 ^ x; hi = (o1 & x) | (u & y); o1 = u ^ y;
          u = t1 ^ lo; q = (t1 & lo) | (u & hi); t1 = u ^ hi;
          q = q - ((q >>> 1) & 0x55555555); q = (q & 0x33333333) + ((q >>> 2) & 0x33333333);
          f1 += (q + (q >>> 4)) & 0x0f0f0f0f;
          // output column j + 2
          x = a0 ^ b[r2 + k]; y = a1 ^ b[r2 + k + 1];
          u = o2 ^ x; lo = (o2 & x) | (u & y); o2 = u ^ y;
          x = a2 ^ b[r2 + k + 2]; y = a3 ^ b[r2 + k + 3];
          u = o2 ^ x; hi = (o2 & x) | (u & y); o2 = u ^ y;
          u = t2 ^ lo; q = (t2 & lo) | (u & hi); t2 = u ^ hi;
          q = q - ((q >>> 1) & 0x55555555); q = (q & 0x33333333) + ((q >>> 2) & 0x33333333);
          f2 += (q + (q >>> 4)) & 0x0f0f0f0f;
          // output column j + 3
          x = a0 ^ b[r3 + k]; y = a1 ^ b[r3 + k + 1];
          u = o3 ^ x; lo = (o3 & x) | (u & y); o3 = u ^ y;
          x = a2 ^ b[r3 + k + 2]; y = a3 ^ b[r3 + k + 3];
          u = o3 ^ x; hi = (o3 & x) | (u & y); o3 = u ^ y;
          u = t3 ^ lo; q = (t3 & lo) | (u & hi); t3 = u ^ hi;
          q = q - ((q >>> 1) & 0x55555555); q = (q & 0x33333333) + ((q >>> 2) & 0x33333333);
          f3 += (q + (q >>> 4)) & 0x0f0f0f0f;
        }
        s0 += 4 * sumBytes(f0);
        s1 += 4 * sumBytes(f1);
        s2 += 4 * sumBytes(f2);
        s3 += 4 * sumBytes(f3);
      }
      s0 += 2 * popcount32(t0) + popcount32(o0);
      s1 += 2 * popcount32(t1) + popcount32(o1);
      s2 += 2 * popcount32(t2) + popcount32(o2);
      s3 += 2 * popcount32(t3) + popcount32(o3);
      for (let k = W4; k < W; k++) {
        const ak = a[ar + k];
        s0 += popcount32(ak ^ b[r0 + k]);
        s1 += popcount32(ak ^ b[r1 + k]);
        s2 += popcount32(ak ^ b[r2 + k]);
        s3 += popcount32(ak ^ b[r3 + k]);
      }
      out[orow + j] = bits - 2 * s0;
      out[orow + j + 1] = bits - 2 * s1;
      out[orow + j + 2] = bits - 2 * s2;
      out[orow + j + 3] = bits - 2 * s3;
    }
    for (let j = n4; j < n; j++) out[orow + j] = bits - 2 * popcountXorRow(a, ar, b, j * W, W);
  }
}

/** Σ_k popcount(a[ar+k] XOR b[br+k]) for k < len, with per-byte sums deferred over 15 words. */
export function popcountXorRow(a: Int32Array, ar: number, b: Int32Array, br: number, len: number): number {
  let total = 0;
  for (let k0 = 0; k0 < len; k0 += SWAR_CHUNK_WORDS) {
    const k1 = Math.min(len, k0 + SWAR_CHUNK_WORDS);
    let acc = 0;
    for (let k = k0; k < k1; k++) {
      let x = a[ar + k] ^ b[br + k];
      x = x - ((x >>> 1) & 0x55555555);
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      acc += (x + (x >>> 4)) & 0x0f0f0f0f;
    }
    total += sumBytes(acc);
  }
  return total;
}
