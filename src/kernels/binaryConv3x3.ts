import type { ConvGeometry } from './convGeometry';
import { popcount32 } from './popcount';
import { LUT_CHUNK_COLUMNS, writeByteLaneChunk, writeNibbleLaneChunk, type XnorLut } from './xnorLut';

/**
 * The fast path of the lookup conv: 3×3 kernels over ≤ 96 channels (≤ 3 words per pixel),
 * with the nine taps unrolled (a loop over taps measured about 2× slower in V8). The input
 * is laid out with a border of `pad` pixels so every tap reads real words (packed that way
 * directly, packBorderedNHWC, or copied by lookupConv3x3); a tap in the padding looks its
 * patterns up in the table's all-zero tail (`nullBase`) instead, adding exactly 0 whatever
 * the border holds, and K_valid = (valid taps)·cin. Byte lanes are widened into 16-bit
 * lanes after every tap (2–3 words per pixel) or every 3 taps (1 word): ≤ 12 byte lookups
 * of ≤ 8 or ≤ 24 nibble lookups of ≤ 4, so every byte stays ≤ 96; nibble lanes are split
 * into byte lanes every ≤ 3 lookups. The nine tap blocks differ only in offsets.
 */

/** Words of one pixel word's tables: 4 byte groups × 256 patterns × 4 words. */
export const BYTE_WORD_TABLE = 4 * 256 * 4;
/** The same for nibbles: 8 groups × 16 patterns × 2 words. */
export const NIBBLE_WORD_TABLE = 8 * 16 * 2;
/** Words per pixel the unrolled kernels handle. */
export const FAST_3X3_MAX_WORDS = 3;

/** Zero words a conv's table needs after it for the padded taps: one tap of byte tables. */
export function zeroTailWords(wordsPerCin: number): number {
  return wordsPerCin * BYTE_WORD_TABLE;
}

/** Bits t = 3·ky + kx of the taps whose row (axis 0) or column (axis 1) lies inside the input. */
function validTapBits(o: number, stride: number, pad: number, size: number, axis: 0 | 1): number {
  let bits = 0;
  for (let d = 0; d < 3; d++) {
    const i = o * stride - pad + d;
    if (i < 0 || i >= size) continue;
    bits |= axis === 0 ? 0b111 << (3 * d) : 0b1001001 << d;
  }
  return bits;
}

let paddedScratch = new Int32Array(0);

/** Copies packed pixels into a zero-bordered image [n][h + 2p][w + 2p][wpc] (scratch, reused). */
function padPixels(src: Int32Array, n: number, h: number, w: number, wpc: number, pad: number): Int32Array {
  const hp = h + 2 * pad;
  const wp = w + 2 * pad;
  const size = n * hp * wp * wpc;
  if (paddedScratch.length < size) paddedScratch = new Int32Array(size);
  const padded = paddedScratch;
  padded.fill(0, 0, size);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      const from = (b * h + y) * w * wpc;
      padded.set(src.subarray(from, from + w * wpc), ((b * hp + y + pad) * wp + pad) * wpc);
    }
  }
  return padded;
}

/** Lookup conv for 3×3 kernels and ≤ FAST_3X3_MAX_WORDS words per pixel; NHWC float out. */
export function lookupConv3x3(src: Int32Array, wpc: number, g: ConvGeometry, lut: XnorLut, out: Float32Array): void {
  lookupConv3x3Bordered(padPixels(src, g.n, g.inH, g.inW, wpc, g.pad), wpc, g, lut, out);
}

/** The same on pixels already in the bordered layout [n][h + 2p][w + 2p][wpc]. */
export function lookupConv3x3Bordered(padded: Int32Array, wpc: number, g: ConvGeometry, lut: XnorLut, out: Float32Array): void {
  if (lut.groupBits === 8) lookupConv3x3Bytes(padded, wpc, g, lut, out);
  else lookupConv3x3Nibbles(padded, wpc, g, lut, out);
}

/** The unrolled 3×3 kernel with byte tables (see lookupConv3x3). */
function lookupConv3x3Bytes(padded: Int32Array, wpc: number, g: ConvGeometry, lut: XnorLut, out: Float32Array): void {
  const { n, inH, inW, outH, outW, stride, pad, cin, cout } = g;
  const hp = inH + 2 * pad;
  const wp = inW + 2 * pad;
  const rowWords = wp * wpc;
  const rowWords2 = 2 * rowWords;
  const rowBits = Int32Array.from({ length: outH }, (_, oy) => validTapBits(oy, stride, pad, inH, 0));
  const colBits = Int32Array.from({ length: outW }, (_, ox) => validTapBits(ox, stride, pad, inW, 1));
  const T = lut.table;
  const groups = Math.ceil((cin - 32 * (wpc - 1)) / 8);
  const tapStride = wpc * BYTE_WORD_TABLE;
  const nullBase = lut.chunks * 9 * tapStride;
  let x = 0, tb = 0, p = 0, q = 0;
  for (let c = 0; c < lut.chunks; c++) {
    const cb = c * 9 * tapStride;
    const col0 = c * LUT_CHUNK_COLUMNS;
    let pos = 0;
    for (let b = 0; b < n; b++) {
      for (let oy = 0; oy < outH; oy++) {
        const rowValid = rowBits[oy];
        for (let ox = 0; ox < outW; ox++, pos++) {
          const v = rowValid & colBits[ox];
          const p0 = ((b * hp + oy * stride) * wp + ox * stride) * wpc;
          let l0 = 0, l1 = 0, l2 = 0, l3 = 0, h0 = 0, h1 = 0, h2 = 0, h3 = 0;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          // tap 0: ky = 0, kx = 0
          tb = v & 1 ? cb : nullBase;
          q = p0;
          for (let w = 1; w < wpc; w++, q++, tb += BYTE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (groups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (wpc > 1) {
            l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
            l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
            s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          }
          // tap 1: ky = 0, kx = 1
          tb = v & 2 ? cb + tapStride : nullBase;
          q = p0 + wpc;
          for (let w = 1; w < wpc; w++, q++, tb += BYTE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (groups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (wpc > 1) {
            l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
            l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
            s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          }
          // tap 2: ky = 0, kx = 2
          tb = v & 4 ? cb + 2 * tapStride : nullBase;
          q = p0 + 2 * wpc;
          for (let w = 1; w < wpc; w++, q++, tb += BYTE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (groups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
          l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
          s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          // tap 3: ky = 1, kx = 0
          tb = v & 8 ? cb + 3 * tapStride : nullBase;
          q = p0 + rowWords;
          for (let w = 1; w < wpc; w++, q++, tb += BYTE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (groups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (wpc > 1) {
            l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
            l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
            s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          }
          // tap 4: ky = 1, kx = 1
          tb = v & 16 ? cb + 4 * tapStride : nullBase;
          q = p0 + rowWords + wpc;
          for (let w = 1; w < wpc; w++, q++, tb += BYTE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (groups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (wpc > 1) {
            l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
            l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
            s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          }
          // tap 5: ky = 1, kx = 2
          tb = v & 32 ? cb + 5 * tapStride : nullBase;
          q = p0 + rowWords + 2 * wpc;
          for (let w = 1; w < wpc; w++, q++, tb += BYTE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (groups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
          l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
          s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          // tap 6: ky = 2, kx = 0
          tb = v & 64 ? cb + 6 * tapStride : nullBase;
          q = p0 + rowWords2;
          for (let w = 1; w < wpc; w++, q++, tb += BYTE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (groups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (wpc > 1) {
            l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
            l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
            s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          }
          // tap 7: ky = 2, kx = 1
          tb = v & 128 ? cb + 7 * tapStride : nullBase;
          q = p0 + rowWords2 + wpc;
          for (let w = 1; w < wpc; w++, q++, tb += BYTE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (groups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (wpc > 1) {
            l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
            l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
            s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          }
          // tap 8: ky = 2, kx = 2
          tb = v & 256 ? cb + 8 * tapStride : nullBase;
          q = p0 + rowWords2 + 2 * wpc;
          for (let w = 1; w < wpc; w++, q++, tb += BYTE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (groups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (groups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
          l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
          writeByteLaneChunk(out, pos * cout + col0, cout - col0, popcount32(v) * cin, l0, h0, l1, h1, l2, h2, l3, h3);
        }
      }
    }
  }
}

/** The unrolled 3×3 kernel with nibble tables (see lookupConv3x3). */
function lookupConv3x3Nibbles(padded: Int32Array, wpc: number, g: ConvGeometry, lut: XnorLut, out: Float32Array): void {
  const { n, inH, inW, outH, outW, stride, pad, cin, cout } = g;
  const hp = inH + 2 * pad;
  const wp = inW + 2 * pad;
  const rowWords = wp * wpc;
  const rowWords2 = 2 * rowWords;
  const rowBits = Int32Array.from({ length: outH }, (_, oy) => validTapBits(oy, stride, pad, inH, 0));
  const colBits = Int32Array.from({ length: outW }, (_, ox) => validTapBits(ox, stride, pad, inW, 1));
  const T = lut.table;
  const groups = Math.ceil((cin - 32 * (wpc - 1)) / 4);
  const tapStride = wpc * NIBBLE_WORD_TABLE;
  const nullBase = lut.chunks * 9 * tapStride;
  let x = 0, tb = 0, p = 0, q = 0;
  for (let c = 0; c < lut.chunks; c++) {
    const cb = c * 9 * tapStride;
    const col0 = c * LUT_CHUNK_COLUMNS;
    let pos = 0;
    for (let b = 0; b < n; b++) {
      for (let oy = 0; oy < outH; oy++) {
        const rowValid = rowBits[oy];
        for (let ox = 0; ox < outW; ox++, pos++) {
          const v = rowValid & colBits[ox];
          const p0 = ((b * hp + oy * stride) * wp + ox * stride) * wpc;
          let L0 = 0, L1 = 0, L2 = 0, L3 = 0, L4 = 0, L5 = 0, L6 = 0, L7 = 0;
          let b0 = 0, b1 = 0, b2 = 0, b3 = 0, n0 = 0, n1 = 0;
          // tap 0: ky = 0, kx = 0
          tb = v & 1 ? cb : nullBase;
          q = p0;
          for (let w = 1; w < wpc; w++, q++, tb += NIBBLE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          }
          x = padded[q];
          p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
          if (groups > 1) { p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1]; }
          if (groups > 2) { p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1]; }
          b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          if (groups > 3) {
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            if (groups > 4) { p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1]; }
            if (groups > 5) { p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1]; }
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            if (groups > 6) {
              p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
              if (groups > 7) { p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1]; }
              b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            }
          }
          if (wpc > 1) {
            L0 += b0 & 0x00ff00ff; L1 += (b0 >>> 8) & 0x00ff00ff; L2 += b1 & 0x00ff00ff; L3 += (b1 >>> 8) & 0x00ff00ff;
            L4 += b2 & 0x00ff00ff; L5 += (b2 >>> 8) & 0x00ff00ff; L6 += b3 & 0x00ff00ff; L7 += (b3 >>> 8) & 0x00ff00ff;
            b0 = 0; b1 = 0; b2 = 0; b3 = 0;
          }
          // tap 1: ky = 0, kx = 1
          tb = v & 2 ? cb + tapStride : nullBase;
          q = p0 + wpc;
          for (let w = 1; w < wpc; w++, q++, tb += NIBBLE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          }
          x = padded[q];
          p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
          if (groups > 1) { p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1]; }
          if (groups > 2) { p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1]; }
          b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          if (groups > 3) {
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            if (groups > 4) { p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1]; }
            if (groups > 5) { p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1]; }
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            if (groups > 6) {
              p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
              if (groups > 7) { p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1]; }
              b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            }
          }
          if (wpc > 1) {
            L0 += b0 & 0x00ff00ff; L1 += (b0 >>> 8) & 0x00ff00ff; L2 += b1 & 0x00ff00ff; L3 += (b1 >>> 8) & 0x00ff00ff;
            L4 += b2 & 0x00ff00ff; L5 += (b2 >>> 8) & 0x00ff00ff; L6 += b3 & 0x00ff00ff; L7 += (b3 >>> 8) & 0x00ff00ff;
            b0 = 0; b1 = 0; b2 = 0; b3 = 0;
          }
          // tap 2: ky = 0, kx = 2
          tb = v & 4 ? cb + 2 * tapStride : nullBase;
          q = p0 + 2 * wpc;
          for (let w = 1; w < wpc; w++, q++, tb += NIBBLE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          }
          x = padded[q];
          p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
          if (groups > 1) { p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1]; }
          if (groups > 2) { p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1]; }
          b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          if (groups > 3) {
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            if (groups > 4) { p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1]; }
            if (groups > 5) { p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1]; }
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            if (groups > 6) {
              p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
              if (groups > 7) { p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1]; }
              b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            }
          }
          L0 += b0 & 0x00ff00ff; L1 += (b0 >>> 8) & 0x00ff00ff; L2 += b1 & 0x00ff00ff; L3 += (b1 >>> 8) & 0x00ff00ff;
          L4 += b2 & 0x00ff00ff; L5 += (b2 >>> 8) & 0x00ff00ff; L6 += b3 & 0x00ff00ff; L7 += (b3 >>> 8) & 0x00ff00ff;
          b0 = 0; b1 = 0; b2 = 0; b3 = 0;
          // tap 3: ky = 1, kx = 0
          tb = v & 8 ? cb + 3 * tapStride : nullBase;
          q = p0 + rowWords;
          for (let w = 1; w < wpc; w++, q++, tb += NIBBLE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          }
          x = padded[q];
          p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
          if (groups > 1) { p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1]; }
          if (groups > 2) { p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1]; }
          b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          if (groups > 3) {
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            if (groups > 4) { p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1]; }
            if (groups > 5) { p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1]; }
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            if (groups > 6) {
              p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
              if (groups > 7) { p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1]; }
              b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            }
          }
          if (wpc > 1) {
            L0 += b0 & 0x00ff00ff; L1 += (b0 >>> 8) & 0x00ff00ff; L2 += b1 & 0x00ff00ff; L3 += (b1 >>> 8) & 0x00ff00ff;
            L4 += b2 & 0x00ff00ff; L5 += (b2 >>> 8) & 0x00ff00ff; L6 += b3 & 0x00ff00ff; L7 += (b3 >>> 8) & 0x00ff00ff;
            b0 = 0; b1 = 0; b2 = 0; b3 = 0;
          }
          // tap 4: ky = 1, kx = 1
          tb = v & 16 ? cb + 4 * tapStride : nullBase;
          q = p0 + rowWords + wpc;
          for (let w = 1; w < wpc; w++, q++, tb += NIBBLE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          }
          x = padded[q];
          p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
          if (groups > 1) { p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1]; }
          if (groups > 2) { p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1]; }
          b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          if (groups > 3) {
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            if (groups > 4) { p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1]; }
            if (groups > 5) { p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1]; }
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            if (groups > 6) {
              p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
              if (groups > 7) { p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1]; }
              b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            }
          }
          if (wpc > 1) {
            L0 += b0 & 0x00ff00ff; L1 += (b0 >>> 8) & 0x00ff00ff; L2 += b1 & 0x00ff00ff; L3 += (b1 >>> 8) & 0x00ff00ff;
            L4 += b2 & 0x00ff00ff; L5 += (b2 >>> 8) & 0x00ff00ff; L6 += b3 & 0x00ff00ff; L7 += (b3 >>> 8) & 0x00ff00ff;
            b0 = 0; b1 = 0; b2 = 0; b3 = 0;
          }
          // tap 5: ky = 1, kx = 2
          tb = v & 32 ? cb + 5 * tapStride : nullBase;
          q = p0 + rowWords + 2 * wpc;
          for (let w = 1; w < wpc; w++, q++, tb += NIBBLE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          }
          x = padded[q];
          p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
          if (groups > 1) { p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1]; }
          if (groups > 2) { p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1]; }
          b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          if (groups > 3) {
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            if (groups > 4) { p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1]; }
            if (groups > 5) { p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1]; }
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            if (groups > 6) {
              p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
              if (groups > 7) { p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1]; }
              b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            }
          }
          L0 += b0 & 0x00ff00ff; L1 += (b0 >>> 8) & 0x00ff00ff; L2 += b1 & 0x00ff00ff; L3 += (b1 >>> 8) & 0x00ff00ff;
          L4 += b2 & 0x00ff00ff; L5 += (b2 >>> 8) & 0x00ff00ff; L6 += b3 & 0x00ff00ff; L7 += (b3 >>> 8) & 0x00ff00ff;
          b0 = 0; b1 = 0; b2 = 0; b3 = 0;
          // tap 6: ky = 2, kx = 0
          tb = v & 64 ? cb + 6 * tapStride : nullBase;
          q = p0 + rowWords2;
          for (let w = 1; w < wpc; w++, q++, tb += NIBBLE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          }
          x = padded[q];
          p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
          if (groups > 1) { p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1]; }
          if (groups > 2) { p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1]; }
          b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          if (groups > 3) {
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            if (groups > 4) { p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1]; }
            if (groups > 5) { p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1]; }
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            if (groups > 6) {
              p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
              if (groups > 7) { p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1]; }
              b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            }
          }
          if (wpc > 1) {
            L0 += b0 & 0x00ff00ff; L1 += (b0 >>> 8) & 0x00ff00ff; L2 += b1 & 0x00ff00ff; L3 += (b1 >>> 8) & 0x00ff00ff;
            L4 += b2 & 0x00ff00ff; L5 += (b2 >>> 8) & 0x00ff00ff; L6 += b3 & 0x00ff00ff; L7 += (b3 >>> 8) & 0x00ff00ff;
            b0 = 0; b1 = 0; b2 = 0; b3 = 0;
          }
          // tap 7: ky = 2, kx = 1
          tb = v & 128 ? cb + 7 * tapStride : nullBase;
          q = p0 + rowWords2 + wpc;
          for (let w = 1; w < wpc; w++, q++, tb += NIBBLE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          }
          x = padded[q];
          p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
          if (groups > 1) { p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1]; }
          if (groups > 2) { p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1]; }
          b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          if (groups > 3) {
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            if (groups > 4) { p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1]; }
            if (groups > 5) { p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1]; }
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            if (groups > 6) {
              p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
              if (groups > 7) { p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1]; }
              b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            }
          }
          if (wpc > 1) {
            L0 += b0 & 0x00ff00ff; L1 += (b0 >>> 8) & 0x00ff00ff; L2 += b1 & 0x00ff00ff; L3 += (b1 >>> 8) & 0x00ff00ff;
            L4 += b2 & 0x00ff00ff; L5 += (b2 >>> 8) & 0x00ff00ff; L6 += b3 & 0x00ff00ff; L7 += (b3 >>> 8) & 0x00ff00ff;
            b0 = 0; b1 = 0; b2 = 0; b3 = 0;
          }
          // tap 8: ky = 2, kx = 2
          tb = v & 256 ? cb + 8 * tapStride : nullBase;
          q = p0 + rowWords2 + 2 * wpc;
          for (let w = 1; w < wpc; w++, q++, tb += NIBBLE_WORD_TABLE) {
            x = padded[q];
            p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1];
            p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
            p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1];
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          }
          x = padded[q];
          p = tb + ((x << 1) & 30); n0 = T[p]; n1 = T[p + 1];
          if (groups > 1) { p = tb + 32 + ((x >>> 3) & 30); n0 += T[p]; n1 += T[p + 1]; }
          if (groups > 2) { p = tb + 64 + ((x >>> 7) & 30); n0 += T[p]; n1 += T[p + 1]; }
          b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
          if (groups > 3) {
            p = tb + 96 + ((x >>> 11) & 30); n0 = T[p]; n1 = T[p + 1];
            if (groups > 4) { p = tb + 128 + ((x >>> 15) & 30); n0 += T[p]; n1 += T[p + 1]; }
            if (groups > 5) { p = tb + 160 + ((x >>> 19) & 30); n0 += T[p]; n1 += T[p + 1]; }
            b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            if (groups > 6) {
              p = tb + 192 + ((x >>> 23) & 30); n0 = T[p]; n1 = T[p + 1];
              if (groups > 7) { p = tb + 224 + ((x >>> 27) & 30); n0 += T[p]; n1 += T[p + 1]; }
              b0 += n0 & 0x0f0f0f0f; b1 += (n0 >>> 4) & 0x0f0f0f0f; b2 += n1 & 0x0f0f0f0f; b3 += (n1 >>> 4) & 0x0f0f0f0f;
            }
          }
          L0 += b0 & 0x00ff00ff; L1 += (b0 >>> 8) & 0x00ff00ff; L2 += b1 & 0x00ff00ff; L3 += (b1 >>> 8) & 0x00ff00ff;
          L4 += b2 & 0x00ff00ff; L5 += (b2 >>> 8) & 0x00ff00ff; L6 += b3 & 0x00ff00ff; L7 += (b3 >>> 8) & 0x00ff00ff;
          writeNibbleLaneChunk(out, pos * cout + col0, cout - col0, popcount32(v) * cin, L0, L1, L2, L3, L4, L5, L6, L7);
        }
      }
    }
  }
}
