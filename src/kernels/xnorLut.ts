import type { PackedMatrix } from './bitpack';
import { int32View, type GemmOutput } from './xnorGemm';

/**
 * Table-lookup XNOR GEMM (the idea of LUT-based low-bit GEMMs such as T-MAC): the weight
 * side B is fixed, so for every group of G = 4 or 8 bit positions and every possible
 * activation pattern v of those bits, popcount(v XOR w_n) is computed once, for 16
 * output columns at a time, as 16 byte lanes in 4 words. A row of A then costs one
 * lookup and 4 word additions per G bits and 16 columns instead of an XOR and a popcount
 * per 32 bits and column:
 *   C[m, n] = K − 2·Σ_g T[g][a_m,g][n],  T[g][v][n] = popcount(v XOR b_n,g).
 * Exact for any K ≤ 32767 (16-bit lanes). Bits past K are 0 on both sides and count 0.
 */
export interface XnorLut {
  /** Bits per lookup: 4 (16-entry groups, small tables) or 8 (256 entries, half the lookups). */
  readonly groupBits: 4 | 8;
  /** Output columns N (rows of B). */
  readonly columns: number;
  readonly bits: number;
  readonly wordsPerRow: number;
  /** ceil(N / 16) column chunks. */
  readonly chunks: number;
  /** [chunk][group][value][4 words]; word q, byte l ↔ column 16·chunk + 4q + l. */
  readonly table: Int32Array;
}

/** Columns per chunk: 16 byte lanes in 4 accumulator words. */
export const LUT_CHUNK_COLUMNS = 16;

/**
 * Words of A per flush of the byte-lane accumulators: 3 words are ≤ 24 lookups of ≤ 4
 * (nibbles) or 12 of ≤ 8 (bytes), so every byte stays ≤ 96 and the word below 2³¹.
 */
const FLUSH_WORDS = 3;
export const LUT_MAX_BITS = 32767;

/** Bytes a LUT for N columns and K bits occupies. */
export function xnorLutBytes(columns: number, wordsPerRow: number, groupBits: 4 | 8): number {
  const groups = (wordsPerRow * 32) / groupBits;
  return Math.ceil(columns / LUT_CHUNK_COLUMNS) * groups * (1 << groupBits) * 16;
}

/**
 * Builds the tables of B [N, K] (followed by `zeroTailWords` zeros, a region whose
 * lookups add nothing; the conv points padded taps there). With W_b the lane vector of bit b of the group over the
 * 16 columns (byte l = bit of column l) and V_b = 0x01010101 − W_b its complement,
 *   T[v] = Σ_b (v_b ? V_b : W_b),
 * filled incrementally: T[v] = T[v without its top bit t] − W_t + V_t (no lane borrows).
 */
export function prepareXnorLut(b: PackedMatrix, groupBits: 4 | 8, zeroTailWords = 0): XnorLut {
  if (b.bits > LUT_MAX_BITS) throw new RangeError(`LUT GEMM supports K ≤ ${LUT_MAX_BITS}, got ${b.bits}`);
  const W = b.wordsPerRow;
  const words = int32View(b.words);
  const groupsPerWord = 32 / groupBits;
  const groups = W * groupsPerWord;
  const values = 1 << groupBits;
  const chunks = Math.ceil(b.rows / LUT_CHUNK_COLUMNS);
  const table = new Int32Array(chunks * groups * values * 4 + zeroTailWords);
  const lanes = new Int32Array(groupBits * 4); // W_b for word q at [b·4 + q]
  for (let c = 0; c < chunks; c++) {
    for (let g = 0; g < groups; g++) {
      const word = Math.floor(g / groupsPerWord);
      const shift = (g % groupsPerWord) * groupBits;
      lanes.fill(0);
      for (let col = 0; col < LUT_CHUNK_COLUMNS; col++) {
        const n = c * LUT_CHUNK_COLUMNS + col;
        if (n >= b.rows) break;
        const pattern = (words[n * W + word] >>> shift) & (values - 1);
        for (let bit = 0; bit < groupBits; bit++) {
          if ((pattern >>> bit) & 1) lanes[bit * 4 + (col >> 2)] |= 1 << (8 * (col & 3));
        }
      }
      const base = (c * groups + g) * values * 4;
      for (let q = 0; q < 4; q++) {
        let e = 0;
        for (let bit = 0; bit < groupBits; bit++) e += lanes[bit * 4 + q];
        table[base + q] = e;
      }
      for (let v = 1; v < values; v++) {
        const top = 31 - Math.clz32(v);
        const from = base + ((v ^ (1 << top)) << 2);
        for (let q = 0; q < 4; q++) {
          const w = lanes[top * 4 + q];
          table[base + (v << 2) + q] = table[from + q] - w + (0x01010101 - w);
        }
      }
    }
  }
  return { groupBits, columns: b.rows, bits: b.bits, wordsPerRow: W, chunks, table };
}

/** C = A·Bᵀ for packed A [M, K] and the LUT of B; Int32Array [M, N] unless `out` is given. */
export function xnorLutGemm<T extends GemmOutput = Int32Array>(a: PackedMatrix, lut: XnorLut, out?: T): T {
  if (a.bits !== lut.bits || a.wordsPerRow !== lut.wordsPerRow) throw new RangeError('K mismatch between A and the LUT');
  const result = out ?? (new Int32Array(a.rows * lut.columns) as GemmOutput as T);
  if (result.length < a.rows * lut.columns) throw new RangeError(`out needs ${a.rows * lut.columns} elements`);
  xnorLutGemmWords(int32View(a.words), a.rows, lut, result);
  return result;
}

/** out[i·N + n] = bits − 2·popcount(a_i XOR b_n) via the tables (raw words of A, M rows). */
export function xnorLutGemmWords(a: Int32Array, m: number, lut: XnorLut, out: GemmOutput): void {
  if (lut.groupBits === 4) lutGemmNibbles(a, m, lut, out);
  else lutGemmBytes(a, m, lut, out);
}

/**
 * Splits the 16 byte-lane counts (l: bytes 0, 2; h: bytes 1, 3 of each word q, as 16-bit
 * lanes) and writes bits − 2·count for the `valid` columns that exist.
 */
export function writeLutChunk(
  out: GemmOutput, at: number, valid: number, bits: number,
  l0: number, h0: number, l1: number, h1: number, l2: number, h2: number, l3: number, h3: number,
): void {
  if (valid >= LUT_CHUNK_COLUMNS) {
    out[at] = bits - 2 * (l0 & 0xffff); out[at + 1] = bits - 2 * (h0 & 0xffff);
    out[at + 2] = bits - 2 * (l0 >>> 16); out[at + 3] = bits - 2 * (h0 >>> 16);
    out[at + 4] = bits - 2 * (l1 & 0xffff); out[at + 5] = bits - 2 * (h1 & 0xffff);
    out[at + 6] = bits - 2 * (l1 >>> 16); out[at + 7] = bits - 2 * (h1 >>> 16);
    out[at + 8] = bits - 2 * (l2 & 0xffff); out[at + 9] = bits - 2 * (h2 & 0xffff);
    out[at + 10] = bits - 2 * (l2 >>> 16); out[at + 11] = bits - 2 * (h2 >>> 16);
    out[at + 12] = bits - 2 * (l3 & 0xffff); out[at + 13] = bits - 2 * (h3 & 0xffff);
    out[at + 14] = bits - 2 * (l3 >>> 16); out[at + 15] = bits - 2 * (h3 >>> 16);
    return;
  }
  const lo = [l0, l1, l2, l3];
  const hi = [h0, h1, h2, h3];
  for (let col = 0; col < valid; col++) {
    const q = col >> 2;
    const lane = col & 3;
    const word = lane & 1 ? hi[q] : lo[q];
    out[at + col] = bits - 2 * (lane & 2 ? word >>> 16 : word & 0xffff);
  }
}

/** Nibble groups: 8 lookups per word of A; table group stride 16·4 words. */
function lutGemmNibbles(a: Int32Array, m: number, lut: XnorLut, out: GemmOutput): void {
  const T = lut.table;
  const W = lut.wordsPerRow;
  const N = lut.columns;
  const bits = lut.bits;
  for (let c = 0; c < lut.chunks; c++) {
    const tc = c * W * 512;
    const col0 = c * LUT_CHUNK_COLUMNS;
    for (let i = 0; i < m; i++) {
      const ar = i * W;
      let l0 = 0, l1 = 0, l2 = 0, l3 = 0, h0 = 0, h1 = 0, h2 = 0, h3 = 0;
      for (let w0 = 0; w0 < W; w0 += FLUSH_WORDS) {
        const w1 = Math.min(W, w0 + FLUSH_WORDS);
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let w = w0; w < w1; w++) {
          const x = a[ar + w];
          const t = tc + w * 512;
          // entry of nibble s: t + 64·s + 4·((x >>> 4s) & 15)
          let p = t + ((x << 2) & 60);
          s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          p = t + 64 + ((x >>> 2) & 60);
          s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          p = t + 128 + ((x >>> 6) & 60);
          s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          p = t + 192 + ((x >>> 10) & 60);
          s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          p = t + 256 + ((x >>> 14) & 60);
          s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          p = t + 320 + ((x >>> 18) & 60);
          s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          p = t + 384 + ((x >>> 22) & 60);
          s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          p = t + 448 + ((x >>> 26) & 60);
          s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
        }
        l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff;
        l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
        l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff;
        l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
      }
      writeLutChunk(out, i * N + col0, N - col0, bits, l0, h0, l1, h1, l2, h2, l3, h3);
    }
  }
}

/** Byte groups: 4 lookups per word of A; table group stride 256·4 words. */
function lutGemmBytes(a: Int32Array, m: number, lut: XnorLut, out: GemmOutput): void {
  const T = lut.table;
  const W = lut.wordsPerRow;
  const N = lut.columns;
  const bits = lut.bits;
  for (let c = 0; c < lut.chunks; c++) {
    const tc = c * W * 4096;
    const col0 = c * LUT_CHUNK_COLUMNS;
    for (let i = 0; i < m; i++) {
      const ar = i * W;
      let l0 = 0, l1 = 0, l2 = 0, l3 = 0, h0 = 0, h1 = 0, h2 = 0, h3 = 0;
      for (let w0 = 0; w0 < W; w0 += FLUSH_WORDS) {
        const w1 = Math.min(W, w0 + FLUSH_WORDS);
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let w = w0; w < w1; w++) {
          const x = a[ar + w];
          const t = tc + w * 4096;
          // entry of byte s: t + 1024·s + 4·((x >>> 8s) & 255)
          let p = t + ((x << 2) & 1020);
          s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          p = t + 1024 + ((x >>> 6) & 1020);
          s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          p = t + 2048 + ((x >>> 14) & 1020);
          s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          p = t + 3072 + ((x >>> 22) & 1020);
          s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
        }
        l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff;
        l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
        l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff;
        l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
      }
      writeLutChunk(out, i * N + col0, N - col0, bits, l0, h0, l1, h1, l2, h2, l3, h3);
    }
  }
}
