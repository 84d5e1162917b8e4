import { convWeightsAsMatrix, packActivationsNHWC, wordsForBits, type PackedActivations, type PackedConvWeights } from './bitpack';
import { convGeometry, outputPositions, type ConvGeometry } from './convGeometry';
import { popcount32 } from './popcount';
import { int32View } from './xnorGemm';
import { LUT_CHUNK_COLUMNS, prepareXnorLut, writeLutChunk, xnorLutBytes, type XnorLut } from './xnorLut';

/**
 * A binary conv prepared for inference: the lookup tables of its weights (see xnorLut.ts),
 * built over the packed filter rows [cout][kh][kw][ceil(cin/32)].
 */
export interface BinaryConvLayer {
  readonly kh: number;
  readonly kw: number;
  readonly cin: number;
  readonly cout: number;
  readonly stride: number;
  readonly pad: number;
  readonly lut: XnorLut;
}

/** Byte tables (half the lookups) while they stay this small; nibble tables beyond. */
const BYTE_TABLE_LIMIT = 2 * 1024 * 1024;

/**
 * Prepares packed weights for binaryConv2d; pad defaults to (k − 1)/2. groupBits 8 unless
 * the byte tables would exceed 2 MiB (cache), then 4; pass it to force one.
 */
export function prepareBinaryConv(
  weights: PackedConvWeights,
  stride: number,
  options: { pad?: number; groupBits?: 4 | 8 } = {},
): BinaryConvLayer {
  const matrix = convWeightsAsMatrix(weights);
  const groupBits = options.groupBits ?? (xnorLutBytes(matrix.rows, matrix.wordsPerRow, 8) <= BYTE_TABLE_LIMIT ? 8 : 4);
  return {
    kh: weights.kh,
    kw: weights.kw,
    cin: weights.cin,
    cout: weights.cout,
    stride,
    pad: options.pad ?? (weights.kh - 1) >> 1,
    // The zero tail (one tap of byte tables) serves the unrolled 3×3 path's padded taps.
    lut: prepareXnorLut(matrix, groupBits, weights.wordsPerCin * WORD_TABLE),
  };
}

/** Geometry of applying `layer` to activations of shape [n, h, w, cin]. */
export function binaryConvGeometry(input: { n: number; h: number; w: number }, layer: BinaryConvLayer): ConvGeometry {
  return convGeometry({
    n: input.n, inH: input.h, inW: input.w, cin: layer.cin, cout: layer.cout,
    kh: layer.kh, kw: layer.kw, stride: layer.stride, pad: layer.pad,
  });
}

/**
 * Binary conv on packed NHWC activations, straight from the pixels (no im2col):
 *   out[b, oy, ox, o] = Σ over in-bounds taps t and channels c of a·w
 *                     = K_valid − 2·Σ_{in-bounds t} Σ_groups T[t, group][pattern][o],
 * K_valid = (number of in-bounds taps)·cin. Taps in the zero padding are skipped, so they
 * contribute exactly 0, as in the float graph. Output NHWC [n, outH, outW, cout], exact
 * integers as float32.
 */
export function binaryConv2d(input: PackedActivations, layer: BinaryConvLayer, out?: Float32Array): Float32Array {
  if (input.c !== layer.cin) throw new RangeError(`input has ${input.c} channels, layer expects ${layer.cin}`);
  const g = binaryConvGeometry(input, layer);
  const size = outputPositions(g) * layer.cout;
  const result = out ?? new Float32Array(size);
  if (result.length < size) throw new RangeError(`out needs ${size} elements`);
  const words = int32View(input.words);
  if (layer.kh === 3 && layer.kw === 3 && input.wordsPerPixel <= FAST_MAX_WORDS && layer.lut.groupBits === 8) {
    lutConv3x3(words, input.wordsPerPixel, g, layer.lut, result);
  } else {
    lutConv(words, input.wordsPerPixel, g, layer.lut, result);
  }
  return result;
}

let packScratch = new Uint32Array(0);

/** Packs float NHWC activations (their signs) and applies binaryConv2d: the whole per-layer cost. */
export function binaryConv2dFromFloat(
  x: Float32Array,
  shape: { n: number; h: number; w: number; c: number },
  layer: BinaryConvLayer,
  out?: Float32Array,
): Float32Array {
  const need = shape.n * shape.h * shape.w * wordsForBits(shape.c);
  if (packScratch.length < need) packScratch = new Uint32Array(need);
  return binaryConv2d(packActivationsNHWC(x, shape.n, shape.h, shape.w, shape.c, packScratch), layer, out);
}

/**
 * The direct table-lookup conv. For each chunk of 16 output channels and each output
 * position, it walks the in-bounds taps, splits each pixel word into G-bit patterns and
 * adds their table entries into 4 byte-lane words; these are flushed into 16-bit lanes
 * before any byte could pass 127 (15 byte lookups of ≤ 8, or 31 nibble lookups of ≤ 4).
 */
function lutConv(src: Int32Array, wordsPerPixel: number, g: ConvGeometry, lut: XnorLut, out: Float32Array): void {
  const { n, inH, inW, outH, outW, kh, kw, stride, pad, cin, cout } = g;
  const T = lut.table;
  const G = lut.groupBits;
  const mask = (1 << G) - 1;
  const entryStride = (1 << G) * 4;
  const groupsPerWord = 32 / G;
  const wordStride = groupsPerWord * entryStride;
  const tapStride = wordsPerPixel * wordStride;
  const chunkStride = kh * kw * tapStride;
  const limit = G === 8 ? 15 : 31;
  // Only the groups holding real channels are looked up; the rest of a word is padding.
  const groupsInWord = new Int32Array(wordsPerPixel);
  for (let w = 0; w < wordsPerPixel; w++) groupsInWord[w] = Math.ceil(Math.min(32, cin - 32 * w) / G);
  for (let c = 0; c < lut.chunks; c++) {
    const col0 = c * LUT_CHUNK_COLUMNS;
    const chunkBase = c * chunkStride;
    let pos = 0;
    for (let b = 0; b < n; b++) {
      const imageBase = b * inH * inW;
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++, pos++) {
          let l0 = 0, l1 = 0, l2 = 0, l3 = 0, h0 = 0, h1 = 0, h2 = 0, h3 = 0;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          let pending = 0;
          let validTaps = 0;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * stride - pad + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * stride - pad + kx;
              if (ix < 0 || ix >= inW) continue;
              validTaps++;
              const px = (imageBase + iy * inW + ix) * wordsPerPixel;
              let tb = chunkBase + (ky * kw + kx) * tapStride;
              for (let w = 0; w < wordsPerPixel; w++, tb += wordStride) {
                const groups = groupsInWord[w];
                if (pending + groups > limit) {
                  l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff;
                  l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
                  l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff;
                  l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
                  s0 = 0; s1 = 0; s2 = 0; s3 = 0;
                  pending = 0;
                }
                pending += groups;
                let x = src[px + w];
                for (let e = tb, end = tb + groups * entryStride; e < end; e += entryStride, x >>>= G) {
                  const p = e + ((x & mask) << 2);
                  s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
                }
              }
            }
          }
          l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff;
          l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
          l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff;
          l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
          writeLutChunk(out, pos * cout + col0, cout - col0, validTaps * cin, l0, h0, l1, h1, l2, h2, l3, h3);
        }
      }
    }
  }
}

/** Words of one word-group's byte tables: 4 byte groups × 256 patterns × 4 words. */
const WORD_TABLE = 4 * 256 * 4;
/** The unrolled 3×3 path handles up to 3 words (96 channels) per pixel. */
const FAST_MAX_WORDS = 3;

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

/**
 * Fast path for 3×3 kernels over ≤ 96 channels (≤ 3 words per pixel) with byte tables: the
 * nine taps are unrolled. The input is first copied with a zero border of `pad` pixels so
 * every tap reads real words; a tap in the padding looks its patterns up in the table's
 * all-zero tail (`nullBase`) instead, adding exactly 0, and K_valid counts only real taps.
 * Byte lanes are flushed after every tap (2–3 words: ≤ 12 lookups) or every 3 taps (1 word).
 */
function lutConv3x3(src: Int32Array, wpc: number, g: ConvGeometry, lut: XnorLut, out: Float32Array): void {
  const { n, inH, inW, outH, outW, stride, pad, cin, cout } = g;
  const padded = padPixels(src, n, inH, inW, wpc, pad);
  const hp = inH + 2 * pad;
  const wp = inW + 2 * pad;
  const rowWords = wp * wpc;
  const rowWords2 = 2 * rowWords;
  const rowBits = Int32Array.from({ length: outH }, (_, oy) => validTapBits(oy, stride, pad, inH, 0));
  const colBits = Int32Array.from({ length: outW }, (_, ox) => validTapBits(ox, stride, pad, inW, 1));
  const T = lut.table;
  const lastGroups = Math.ceil((cin - 32 * (wpc - 1)) / 8);
  const tapStride = wpc * WORD_TABLE;
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
          tb = v & 1 ? cb + 0 * tapStride : nullBase;
          q = p0;
          for (let w = 1; w < wpc; w++, q++, tb += 4096) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (lastGroups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (wpc > 1) {
            l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
            l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
            s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          }
          // tap 1: ky = 0, kx = 1
          tb = v & 2 ? cb + 1 * tapStride : nullBase;
          q = p0 + wpc;
          for (let w = 1; w < wpc; w++, q++, tb += 4096) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (lastGroups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (wpc > 1) {
            l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
            l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
            s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          }
          // tap 2: ky = 0, kx = 2
          tb = v & 4 ? cb + 2 * tapStride : nullBase;
          q = p0 + 2 * wpc;
          for (let w = 1; w < wpc; w++, q++, tb += 4096) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (lastGroups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
          l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
          s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          // tap 3: ky = 1, kx = 0
          tb = v & 8 ? cb + 3 * tapStride : nullBase;
          q = p0 + rowWords;
          for (let w = 1; w < wpc; w++, q++, tb += 4096) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (lastGroups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (wpc > 1) {
            l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
            l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
            s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          }
          // tap 4: ky = 1, kx = 1
          tb = v & 16 ? cb + 4 * tapStride : nullBase;
          q = p0 + rowWords + wpc;
          for (let w = 1; w < wpc; w++, q++, tb += 4096) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (lastGroups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (wpc > 1) {
            l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
            l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
            s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          }
          // tap 5: ky = 1, kx = 2
          tb = v & 32 ? cb + 5 * tapStride : nullBase;
          q = p0 + rowWords + 2 * wpc;
          for (let w = 1; w < wpc; w++, q++, tb += 4096) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (lastGroups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
          l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
          s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          // tap 6: ky = 2, kx = 0
          tb = v & 64 ? cb + 6 * tapStride : nullBase;
          q = p0 + rowWords2;
          for (let w = 1; w < wpc; w++, q++, tb += 4096) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (lastGroups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (wpc > 1) {
            l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
            l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
            s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          }
          // tap 7: ky = 2, kx = 1
          tb = v & 128 ? cb + 7 * tapStride : nullBase;
          q = p0 + rowWords2 + wpc;
          for (let w = 1; w < wpc; w++, q++, tb += 4096) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (lastGroups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (wpc > 1) {
            l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
            l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
            s0 = 0; s1 = 0; s2 = 0; s3 = 0;
          }
          // tap 8: ky = 2, kx = 2
          tb = v & 256 ? cb + 8 * tapStride : nullBase;
          q = p0 + rowWords2 + 2 * wpc;
          for (let w = 1; w < wpc; w++, q++, tb += 4096) {
            x = padded[q];
            p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
            p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          }
          x = padded[q];
          p = tb + ((x << 2) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3];
          if (lastGroups > 1) { p = tb + 1024 + ((x >>> 6) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 2) { p = tb + 2048 + ((x >>> 14) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          if (lastGroups > 3) { p = tb + 3072 + ((x >>> 22) & 1020); s0 += T[p]; s1 += T[p + 1]; s2 += T[p + 2]; s3 += T[p + 3]; }
          l0 += s0 & 0x00ff00ff; h0 += (s0 >>> 8) & 0x00ff00ff; l1 += s1 & 0x00ff00ff; h1 += (s1 >>> 8) & 0x00ff00ff;
          l2 += s2 & 0x00ff00ff; h2 += (s2 >>> 8) & 0x00ff00ff; l3 += s3 & 0x00ff00ff; h3 += (s3 >>> 8) & 0x00ff00ff;
          writeLutChunk(out, pos * cout + col0, cout - col0, popcount32(v) * cin, l0, h0, l1, h1, l2, h2, l3, h3);
        }
      }
    }
  }
}
