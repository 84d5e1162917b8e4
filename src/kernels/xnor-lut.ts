import type { PackedMatrix } from './bitpack';
import { int32View, type GemmOutput } from './xnor-gemm';

/**
 * Table-lookup XNOR GEMM (the idea of LUT-based low-bit GEMMs such as T-MAC): the weight
 * side B is fixed, so for every group of G bit positions and every activation pattern v of
 * those bits, popcount(v XOR b_n) is computed once, for 16 output columns at a time, as
 * packed lanes. A row of A then costs, per G bits and 16 columns, one lookup and a few
 * word operations instead of an XOR and a popcount per 32 bits and column:
 *   C[m, n] = K − 2·Σ_g T[g][a_m,g][n],  T[g][v][n] = popcount(v XOR b_n,g).
 * An entry is 2 words of 4-bit lanes (column 8q + l in nibble l of word q); a count is
 * ≤ G ≤ 8, so it fits. G = 8 (bytes: 256 patterns, 2 KiB per group and 16 columns) takes
 * half the lookups of G = 4 (nibbles: 16 patterns, 128 B) for 16× the table. Nibble lanes
 * are split into byte lanes (even and odd nibbles) after every byte lookup, or every 3
 * nibble lookups (≤ 12), and byte lanes are widened into 16-bit lanes before they could
 * carry. Loads dominate in V8 (each typed-array load carries its bounds check), which is why
 * 2-word entries of nibble lanes beat 4-word entries of byte lanes. Exact for K ≤ 32767;
 * bits past K are 0 on both sides and count 0. This file builds the tables; the GEMMs over
 * them are in xnor-lut-gemm.ts (bytes: the generated xnor-lut-gemm-bytes.ts), the convs in
 * binary-conv3x3.ts and binary-conv-lookup.ts.
 */
export interface XnorLut {
  readonly groupBits: 4 | 8;
  /** Output columns N (rows of B). */
  readonly columns: number;
  readonly bits: number;
  readonly wordsPerRow: number;
  /** ceil(N / 16) column chunks. */
  readonly chunks: number;
  /** [chunk][group][pattern][2 words], then the zero tail. */
  readonly table: Int32Array;
}

/** Columns per chunk: 16 lanes per table entry. */
export const LUT_CHUNK_COLUMNS = 16;
export const LUT_MAX_BITS = 32767;
/** Words of one packed word's tables: 4 byte groups × 256 patterns × 2 words. */
export const BYTE_WORD_TABLE = 4 * 256 * 2;
/** The same for nibbles: 8 groups × 16 patterns × 2 words. */
export const NIBBLE_WORD_TABLE = 8 * 16 * 2;
/**
 * A chunk's byte tables (in the GEMM: one K-slice's) above this size are read through once,
 * in order, before its rows run: the hardware prefetcher then streams them into L2 instead
 * of every row's random lookups missing on them one by one. On 256×256×2304 (9 MiB of
 * tables, 96 KiB per slice) the GEMM ran 2.4–2.7× slower without it; touching the next
 * slice a share per row, overlapped with the lookups, ran 0.87–0.93× of reading it first.
 */
export const PRETOUCH_MIN_WORDS = 16 * 1024;

/** Bytes a LUT for N columns and rows of `wordsPerRow` words occupies. */
export function xnorLutBytes(columns: number, wordsPerRow: number, groupBits: 4 | 8): number {
  const groups = (wordsPerRow * 32) / groupBits;
  return Math.ceil(columns / LUT_CHUNK_COLUMNS) * groups * (1 << groupBits) * 2 * 4;
}

/**
 * Builds the tables of B [N, K], followed by `zeroTailWords` zeros (a region whose lookups
 * add nothing; the conv points padded taps there). With W_b the lane vector of bit b of the
 * group over the chunk's columns (lane = that column's bit) and V_b = ONES − W_b its
 * complement (ONES = 1 in every nibble),
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
  const ones = 0x11111111;
  const chunks = Math.ceil(b.rows / LUT_CHUNK_COLUMNS);
  const table = new Int32Array(chunks * groups * values * 2 + zeroTailWords);
  const lanes = new Int32Array(groupBits * 2); // W_b of entry word q at [b·2 + q]
  for (let c = 0; c < chunks; c++) {
    for (let g = 0; g < groups; g++) {
      const word = Math.floor(g / groupsPerWord);
      const shift = (g % groupsPerWord) * groupBits;
      lanes.fill(0);
      for (let col = 0; col < LUT_CHUNK_COLUMNS; col++) {
        const n = c * LUT_CHUNK_COLUMNS + col;
        if (n >= b.rows) break;
        const pattern = (words[n * W + word] >>> shift) & (values - 1);
        const lane = 1 << (4 * (col & 7));
        for (let bit = 0; bit < groupBits; bit++) {
          if ((pattern >>> bit) & 1) lanes[bit * 2 + (col >> 3)] |= lane;
        }
      }
      const base = (c * groups + g) * values * 2;
      for (let q = 0; q < 2; q++) {
        let e = 0;
        for (let bit = 0; bit < groupBits; bit++) e += lanes[bit * 2 + q];
        table[base + q] = e;
      }
      for (let v = 1; v < values; v++) {
        const top = 31 - Math.clz32(v);
        const from = base + (v ^ (1 << top)) * 2;
        for (let q = 0; q < 2; q++) {
          const w = lanes[top * 2 + q];
          table[base + v * 2 + q] = table[from + q] - w + (ones - w);
        }
      }
    }
  }
  return { groupBits, columns: b.rows, bits: b.bits, wordsPerRow: W, chunks, table };
}

/**
 * Writes bits − 2·count for the `valid` columns of a chunk from its 16-bit lanes. Entry
 * word q (columns 8q..8q+7) splits into byte lanes
 * e_q = even nibbles (columns 8q+0, 2, 4, 6) and o_q = odd ones; their 16-bit lanes are
 * L = [e0 bytes 0,2 | e0 bytes 1,3 | o0 bytes 0,2 | o0 bytes 1,3 | the same for word 1]:
 * L0 → columns 0, 4; L1 → 2, 6; L2 → 1, 5; L3 → 3, 7; L4..L7 → 8 + the same.
 */
export function writeNibbleLaneChunk(
  out: GemmOutput, at: number, valid: number, bits: number,
  L0: number, L1: number, L2: number, L3: number, L4: number, L5: number, L6: number, L7: number,
): void {
  if (valid >= LUT_CHUNK_COLUMNS) {
    out[at] = bits - 2 * (L0 & 0xffff); out[at + 1] = bits - 2 * (L2 & 0xffff);
    out[at + 2] = bits - 2 * (L1 & 0xffff); out[at + 3] = bits - 2 * (L3 & 0xffff);
    out[at + 4] = bits - 2 * (L0 >>> 16); out[at + 5] = bits - 2 * (L2 >>> 16);
    out[at + 6] = bits - 2 * (L1 >>> 16); out[at + 7] = bits - 2 * (L3 >>> 16);
    out[at + 8] = bits - 2 * (L4 & 0xffff); out[at + 9] = bits - 2 * (L6 & 0xffff);
    out[at + 10] = bits - 2 * (L5 & 0xffff); out[at + 11] = bits - 2 * (L7 & 0xffff);
    out[at + 12] = bits - 2 * (L4 >>> 16); out[at + 13] = bits - 2 * (L6 >>> 16);
    out[at + 14] = bits - 2 * (L5 >>> 16); out[at + 15] = bits - 2 * (L7 >>> 16);
    return;
  }
  const lanes = [L0, L1, L2, L3, L4, L5, L6, L7];
  for (let col = 0; col < valid; col++) {
    // column 8q + 4h + 2j + i (i: odd nibble, j: byte pair, h: 16-bit half)
    const word = lanes[4 * (col >> 3) + 2 * (col & 1) + ((col >> 1) & 1)];
    out[at + col] = bits - 2 * (col & 4 ? word >>> 16 : word & 0xffff);
  }
}

let rowLanes = new Int32Array(0);

/**
 * Zeroed 16-bit lane sums L0..L7 of `rows` rows ([row·8 + k]) for the GEMMs that cut K into
 * slices and carry each row's lanes from one slice to the next; one buffer, reused.
 */
export function rowLaneScratch(rows: number): Int32Array {
  if (rowLanes.length < rows * 8) rowLanes = new Int32Array(rows * 8);
  rowLanes.fill(0, 0, rows * 8);
  return rowLanes;
}

/** Keeps the pre-touch reads observable, so the compiler cannot drop them. */
let pretouchSink = 0;

/**
 * Reads one word per cache line of T[from, to) in order, so the hardware prefetcher streams
 * a table about to be used into the caches instead of its first random lookups missing one
 * by one (see PRETOUCH_MIN_WORDS; the convs of a model evict each other's tables).
 */
export function pretouch(T: Int32Array, from: number, to: number): void {
  let sink = 0;
  for (let j = from; j < to; j += 16) sink |= T[j];
  pretouchSink ^= sink;
}
