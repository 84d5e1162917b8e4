/**
 * Bit packing of ±1 values (docs/ARCHITECTURE.md, "Bit layout"). Values are packed along the reduction axis (the
 * input channels): bit j of word i ↔ element 32i + j, bit 1 ↔ −1, bit 0 ↔ +1, so that
 *   dot(a, b) = K − 2·popcount(a XOR b)
 * over the K valid bits. sign(0) = +1 (so −0 packs as +1 too). Bits past the last valid
 * element of a row (or of a pixel's channel group) are always 0, on both operands, so they
 * XOR to 0 and contribute nothing.
 */

import { borderedSize } from './bordered-image';

/** A row-major bit matrix: row r occupies words [r·wordsPerRow, (r+1)·wordsPerRow). */
export interface PackedMatrix {
  readonly words: Uint32Array;
  readonly rows: number;
  /** True number of ±1 elements per row (K); the only bits that may be 1. */
  readonly bits: number;
  readonly wordsPerRow: number;
}

/**
 * Binary conv weights packed per output channel as [cout][kh][kw][wordsPerCin]: each
 * filter is kh·kw groups of ceil(cin/32) words, one group per tap.
 */
export interface PackedConvWeights {
  readonly words: Uint32Array;
  readonly kh: number;
  readonly kw: number;
  readonly cin: number;
  readonly cout: number;
  readonly wordsPerCin: number;
}

/** NHWC activations packed per pixel as [n][h][w][ceil(c/32)]. */
export interface PackedActivations {
  readonly words: Uint32Array;
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly wordsPerPixel: number;
}

/** ceil(bits / 32). */
export function wordsForBits(bits: number): number {
  return (bits + 31) >>> 5;
}

/** The packed bit of one value: 1 for v < 0, else 0 (sign(0) = sign(−0) = +1). */
export function signBit(v: number): number {
  return v < 0 ? 1 : 0;
}

/**
 * Packs `rows` runs of `cols` consecutive values (row-major [rows, cols]) into `dst`, each
 * row starting at word r·ceil(cols/32). Float32Array input takes a branch-free path on the
 * IEEE bits b (as int32): v < 0 exactly when b lies in [−2³¹ + 1, −1] (−0 is −2³¹), which is
 * when both b and b − 1 (wrapped) are negative, so bit = (b & (b − 1)) >>> 31.
 */
export function packRowsInto(values: ArrayLike<number>, rows: number, cols: number, dst: Uint32Array): void {
  const wordsPerRow = wordsForBits(cols);
  if (values.length < rows * cols) throw new RangeError(`need ${rows * cols} values, got ${values.length}`);
  if (dst.length < rows * wordsPerRow) throw new RangeError(`need ${rows * wordsPerRow} words, got ${dst.length}`);
  if (values instanceof Float32Array) {
    packFloat32Rows(new Int32Array(values.buffer, values.byteOffset, values.length), rows, cols, dst);
    return;
  }
  let s = 0;
  let d = 0;
  for (let r = 0; r < rows; r++) {
    for (let c0 = 0; c0 < cols; c0 += 32) {
      const len = Math.min(32, cols - c0);
      let word = 0;
      for (let j = 0; j < len; j++) word |= signBit(values[s + j]) << j;
      dst[d++] = word;
      s += len;
    }
  }
}

function packFloat32Rows(bits: Int32Array, rows: number, cols: number, dst: Uint32Array, from = 0, to = 0): void {
  if (cols === 16) {
    packFloat32Rows16(bits, rows, dst, from, to);
    return;
  }
  const full = cols >>> 5;
  const rest = cols & 31;
  const quads = rest & ~3;
  let s = from;
  let d = to;
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < full; i++, s = (s + 32) | 0) {
      // 4 values per step, written out here: 8 straight steps, or signs4 calls, measured slower
      let word = 0;
      for (let j = 0; j < 32; j += 4) {
        const o = (s + j) | 0;
        const b0 = bits[o], b1 = bits[(o + 1) | 0], b2 = bits[(o + 2) | 0], b3 = bits[(o + 3) | 0];
        word |= (((b0 & ((b0 - 1) | 0)) >>> 31) | (((b1 & ((b1 - 1) | 0)) >>> 31) << 1)
          | (((b2 & ((b2 - 1) | 0)) >>> 31) << 2) | (((b3 & ((b3 - 1) | 0)) >>> 31) << 3)) << j;
      }
      dst[d++] = word;
    }
    if (rest !== 0) {
      let word = 0;
      let j = 0;
      for (; j < quads; j += 4) word |= signs4(bits, (s + j) | 0) << j;
      for (; j < rest; j++) {
        const b = bits[(s + j) | 0];
        word |= ((b & ((b - 1) | 0)) >>> 31) << j;
      }
      dst[d++] = word;
      s = (s + rest) | 0;
    }
  }
}

/**
 * Rows of exactly 16 values (the first stage of a width-16 ResNet), one word each in four
 * straight 4-value steps: the generic loop spends its time on the partial-word branch here.
 */
function packFloat32Rows16(bits: Int32Array, rows: number, dst: Uint32Array, from: number, to: number): void {
  for (let s = from, d = to, end = to + rows; d < end; d++, s = (s + 16) | 0) {
    dst[d] = signs4(bits, s) | (signs4(bits, (s + 4) | 0) << 4) | (signs4(bits, (s + 8) | 0) << 8) | (signs4(bits, (s + 12) | 0) << 12);
  }
}

/**
 * The sign bits of the 4 values at o..o + 3 (bit = (b & (b − 1)) >>> 31, see packRowsInto).
 * Indices are wrapped with | 0 here and in packFloat32Rows (they stay far below 2³¹): V8
 * then adds them without an overflow check per load (measured 1.2× faster bordered packing
 * of 16-channel pixels, 1.1× of 32- and 64-channel ones).
 */
function signs4(bits: Int32Array, o: number): number {
  const b0 = bits[o], b1 = bits[(o + 1) | 0], b2 = bits[(o + 2) | 0], b3 = bits[(o + 3) | 0];
  return ((b0 & ((b0 - 1) | 0)) >>> 31) | (((b1 & ((b1 - 1) | 0)) >>> 31) << 1)
    | (((b2 & ((b2 - 1) | 0)) >>> 31) << 2) | (((b3 & ((b3 - 1) | 0)) >>> 31) << 3);
}

/** Packs a row-major [rows, cols] matrix of ±1 (or any signs) row by row. */
export function packRows(values: ArrayLike<number>, rows: number, cols: number): PackedMatrix {
  const wordsPerRow = wordsForBits(cols);
  const words = new Uint32Array(rows * wordsPerRow);
  packRowsInto(values, rows, cols, words);
  return { words, rows, bits: cols, wordsPerRow };
}

/**
 * Packs the columns of a row-major [rows, cols] matrix (e.g. the right operand B [K, N] of
 * a matMul) as the rows of a [cols, rows] bit matrix, so that xnorGemm sees B as [N, K].
 */
export function packColumns(values: ArrayLike<number>, rows: number, cols: number): PackedMatrix {
  const wordsPerRow = wordsForBits(rows);
  const words = new Uint32Array(cols * wordsPerRow);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      if (values[r * cols + c] < 0) words[c * wordsPerRow + (r >>> 5)] |= 1 << (r & 31);
    }
  }
  return { words, rows: cols, bits: rows, wordsPerRow };
}

/** Packs HWIO conv weights [kh, kw, cin, cout] as [cout][kh][kw][ceil(cin/32)]. */
export function packWeightsHWIO(
  weights: ArrayLike<number>,
  kh: number,
  kw: number,
  cin: number,
  cout: number,
): PackedConvWeights {
  if (weights.length !== kh * kw * cin * cout) {
    throw new RangeError(`HWIO [${kh},${kw},${cin},${cout}] needs ${kh * kw * cin * cout} values, got ${weights.length}`);
  }
  const wordsPerCin = wordsForBits(cin);
  const taps = kh * kw;
  const words = new Uint32Array(cout * taps * wordsPerCin);
  for (let o = 0; o < cout; o++) {
    for (let t = 0; t < taps; t++) {
      const dst = (o * taps + t) * wordsPerCin;
      for (let c = 0; c < cin; c++) {
        if (weights[(t * cin + c) * cout + o] < 0) words[dst + (c >>> 5)] |= 1 << (c & 31);
      }
    }
  }
  return { words, kh, kw, cin, cout, wordsPerCin };
}

/** Views packed conv weights as a [cout, kh·kw·cin] bit matrix (gaps between taps are 0). */
export function convWeightsAsMatrix(w: PackedConvWeights): PackedMatrix {
  return { words: w.words, rows: w.cout, bits: w.kh * w.kw * w.cin, wordsPerRow: w.kh * w.kw * w.wordsPerCin };
}

/**
 * Packs NHWC activations [n, h, w, c] per pixel as [n][h][w][ceil(c/32)]. Pass `into`
 * (at least n·h·w·ceil(c/32) words, overwritten) to reuse a buffer across inferences.
 */
export function packActivationsNHWC(
  x: ArrayLike<number>,
  n: number,
  h: number,
  w: number,
  c: number,
  into?: Uint32Array,
): PackedActivations {
  const wordsPerPixel = wordsForBits(c);
  const pixels = n * h * w;
  if (x.length !== pixels * c) throw new RangeError(`NHWC [${n},${h},${w},${c}] needs ${pixels * c} values, got ${x.length}`);
  const words = into ?? new Uint32Array(pixels * wordsPerPixel);
  packRowsInto(x, pixels, c, words);
  return { words, n, h, w, c, wordsPerPixel };
}

/** Words of the bordered layout [n][h + 2·pad][w + 2·pad][ceil(c/32)]. */
export function borderedWords(n: number, h: number, w: number, c: number, pad: number): number {
  return borderedSize(n, h, w, wordsForBits(c), pad);
}

/**
 * Packs float NHWC activations [n, h, w, c] straight into the bordered layout
 * [n][h + 2·pad][w + 2·pad][ceil(c/32)] (a conv's zero padding without a second copy).
 * Only the interior is written: the border words keep whatever `dst` held, for kernels that
 * never let a border word count (the 3×3 lookup conv sends padded taps to a zero table).
 */
export function packBorderedNHWC(x: Float32Array, n: number, h: number, w: number, c: number, pad: number, dst: Uint32Array): void {
  const wpc = wordsForBits(c);
  if (x.length !== n * h * w * c) throw new RangeError(`NHWC [${n},${h},${w},${c}] needs ${n * h * w * c} values, got ${x.length}`);
  if (dst.length < borderedWords(n, h, w, c, pad)) throw new RangeError(`need ${borderedWords(n, h, w, c, pad)} words, got ${dst.length}`);
  const bits = new Int32Array(x.buffer, x.byteOffset, x.length);
  const hp = h + 2 * pad;
  const wp = w + 2 * pad;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      packFloat32Rows(bits, w, c, dst, (b * h + y) * w * c, ((b * hp + y + pad) * wp + pad) * wpc);
    }
  }
}
