import type { PackedMatrix } from './bitpack';
import { int32View, type GemmOutput } from './xnor-gemm';
import { lutGemmBytes } from './xnor-lut-gemm-bytes';
import { LUT_CHUNK_COLUMNS, NIBBLE_WORD_TABLE, rowLaneScratch, writeNibbleLaneChunk, type XnorLut } from './xnor-lut';

/** Words of A per widening of nibble-lookup byte lanes: 3 words, 24 lookups of ≤ 4, ≤ 96 per byte. */
const NIBBLE_FLUSH_WORDS = 3;
/**
 * Words of A per K-slice of the nibble GEMM: 24 words of tables (24 KiB per chunk) stay
 * in the L1 cache while every row passes over them.
 */
const NIBBLE_SLICE_WORDS = 24;

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
 * Nibble groups: 8 lookups of 2 words per word of A. K is cut into slices of 24 words so a
 * slice's tables stay in L1 while all rows pass; each row's 16-bit lanes are carried across
 * slices in rowLaneScratch.
 */
function lutGemmNibbles(a: Int32Array, m: number, lut: XnorLut, out: GemmOutput): void {
  const T = lut.table;
  const W = lut.wordsPerRow;
  const N = lut.columns;
  for (let c = 0; c < lut.chunks; c++) {
    const tc = c * W * NIBBLE_WORD_TABLE;
    const lanes = rowLaneScratch(m);
    for (let k0 = 0; k0 < W; k0 += NIBBLE_SLICE_WORDS) {
      const k1 = Math.min(W, k0 + NIBBLE_SLICE_WORDS);
      for (let i = 0; i < m; i++) {
        const ar = i * W;
        let L0 = 0, L1 = 0, L2 = 0, L3 = 0, L4 = 0, L5 = 0, L6 = 0, L7 = 0;
        for (let w0 = k0; w0 < k1; w0 += NIBBLE_FLUSH_WORDS) {
          const w1 = Math.min(k1, w0 + NIBBLE_FLUSH_WORDS);
          let b0 = 0, b1 = 0, b2 = 0, b3 = 0;
          for (let w = w0, t = tc + w0 * NIBBLE_WORD_TABLE; w < w1; w++, t += NIBBLE_WORD_TABLE) {
            const x = a[ar + w];
            // entry of nibble s: t + 32·s + 2·((x >>> 4s) & 15); three sums may pass 2³¹: wrapped
            let p = t | ((x << 1) & 30);
            let n0 = T[p], n1 = T[p | 1];
            p = t | 32 | ((x >>> 3) & 30); n0 = (n0 + T[p]) | 0; n1 = (n1 + T[p | 1]) | 0;
            p = t | 64 | ((x >>> 7) & 30); n0 = (n0 + T[p]) | 0; n1 = (n1 + T[p | 1]) | 0;
            b0 = (b0 + (n0 & 0x0f0f0f0f)) | 0; b1 = (b1 + ((n0 >>> 4) & 0x0f0f0f0f)) | 0; b2 = (b2 + (n1 & 0x0f0f0f0f)) | 0; b3 = (b3 + ((n1 >>> 4) & 0x0f0f0f0f)) | 0;
            p = t | 96 | ((x >>> 11) & 30); n0 = T[p]; n1 = T[p | 1];
            p = t | 128 | ((x >>> 15) & 30); n0 = (n0 + T[p]) | 0; n1 = (n1 + T[p | 1]) | 0;
            p = t | 160 | ((x >>> 19) & 30); n0 = (n0 + T[p]) | 0; n1 = (n1 + T[p | 1]) | 0;
            b0 = (b0 + (n0 & 0x0f0f0f0f)) | 0; b1 = (b1 + ((n0 >>> 4) & 0x0f0f0f0f)) | 0; b2 = (b2 + (n1 & 0x0f0f0f0f)) | 0; b3 = (b3 + ((n1 >>> 4) & 0x0f0f0f0f)) | 0;
            p = t | 192 | ((x >>> 23) & 30); n0 = T[p]; n1 = T[p | 1];
            p = t | 224 | ((x >>> 27) & 30); n0 = (n0 + T[p]) | 0; n1 = (n1 + T[p | 1]) | 0;
            b0 = (b0 + (n0 & 0x0f0f0f0f)) | 0; b1 = (b1 + ((n0 >>> 4) & 0x0f0f0f0f)) | 0; b2 = (b2 + (n1 & 0x0f0f0f0f)) | 0; b3 = (b3 + ((n1 >>> 4) & 0x0f0f0f0f)) | 0;
          }
          L0 = (L0 + (b0 & 0x00ff00ff)) | 0; L1 = (L1 + ((b0 >>> 8) & 0x00ff00ff)) | 0; L2 = (L2 + (b1 & 0x00ff00ff)) | 0; L3 = (L3 + ((b1 >>> 8) & 0x00ff00ff)) | 0;
          L4 = (L4 + (b2 & 0x00ff00ff)) | 0; L5 = (L5 + ((b2 >>> 8) & 0x00ff00ff)) | 0; L6 = (L6 + (b3 & 0x00ff00ff)) | 0; L7 = (L7 + ((b3 >>> 8) & 0x00ff00ff)) | 0;
        }
        const q = i * 8;
        lanes[q] += L0; lanes[q + 1] += L1; lanes[q + 2] += L2; lanes[q + 3] += L3;
        lanes[q + 4] += L4; lanes[q + 5] += L5; lanes[q + 6] += L6; lanes[q + 7] += L7;
      }
    }
    const col0 = c * LUT_CHUNK_COLUMNS;
    for (let i = 0; i < m; i++) {
      const q = i * 8;
      writeNibbleLaneChunk(out, i * N + col0, N - col0, lut.bits,
        lanes[q], lanes[q + 1], lanes[q + 2], lanes[q + 3], lanes[q + 4], lanes[q + 5], lanes[q + 6], lanes[q + 7]);
    }
  }
}

