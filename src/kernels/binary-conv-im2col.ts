import { packActivationsNHWC, wordsForBits, type PackedActivations, type PackedConvWeights } from './bitpack';
import { convGeometry, outputPositions, type ConvGeometry } from './conv-geometry';
import { popcount32 } from './popcount';
import { int32View, xnorGemmWords } from './xnor-gemm';

/**
 * The im2col formulation of the binary conv, kept as the benchmark's comparison for the
 * table-lookup conv of binary-conv.ts: dense packed patches, then the Harley–Seal XNOR GEMM.
 *
 * A binary conv prepared for it. Filters are re-packed densely per output channel:
 * bit t·cin + c of a filter ↔ tap t = ky·kw + kx, channel c, so a 3×3 conv over 16
 * channels is 144 bits = 5 words instead of 9 half-used ones. Patches use the same layout.
 */
export interface Im2colBinaryConv {
  readonly kh: number;
  readonly kw: number;
  readonly cin: number;
  readonly cout: number;
  readonly stride: number;
  readonly pad: number;
  /** kh·kw·cin. */
  readonly patchBits: number;
  readonly patchWords: number;
  /** [cout][patchWords]. */
  readonly filters: Int32Array;
  /**
   * [kh·kw][cout]: tapSums[t·cout + o] = Σ_c w[o, t, c] = cin − 2·popcount(w_{o,t}), what a
   * tap contributes when the activation there is all +1 (bits 0) — the correction for padding.
   */
  readonly tapSums: Int32Array;
}

/** ORs the low `len` bits of `word` into dst at bit offset `bitOffset` from word `base`. */
function appendBits(dst: Int32Array, base: number, bitOffset: number, word: number, len: number): void {
  const at = base + (bitOffset >>> 5);
  const shift = bitOffset & 31;
  dst[at] |= word << shift;
  if (shift + len > 32) dst[at + 1] |= word >>> (32 - shift);
}

/** Prepares packed weights [cout][kh][kw][ceil(cin/32)] for binaryConv2dIm2col. pad defaults to (k−1)/2. */
export function prepareIm2colBinaryConv(weights: PackedConvWeights, stride: number, pad?: number): Im2colBinaryConv {
  const { kh, kw, cin, cout, wordsPerCin } = weights;
  const taps = kh * kw;
  const patchBits = taps * cin;
  const patchWords = wordsForBits(patchBits);
  const src = int32View(weights.words);
  const filters = new Int32Array(cout * patchWords);
  const tapSums = new Int32Array(taps * cout);
  for (let o = 0; o < cout; o++) {
    for (let t = 0; t < taps; t++) {
      const s = (o * taps + t) * wordsPerCin;
      let ones = 0;
      for (let w = 0; w < wordsPerCin; w++) {
        const word = src[s + w];
        ones += popcount32(word);
        appendBits(filters, o * patchWords, t * cin + 32 * w, word, Math.min(32, cin - 32 * w));
      }
      tapSums[t * cout + o] = cin - 2 * ones;
    }
  }
  return { kh, kw, cin, cout, stride, pad: pad ?? (kh - 1) >> 1, patchBits, patchWords, filters, tapSums };
}

/** Geometry of applying `layer` to packed activations of shape [n, h, w, cin]. */
function im2colGeometry(input: { n: number; h: number; w: number }, layer: Im2colBinaryConv): ConvGeometry {
  return convGeometry({
    n: input.n, inH: input.h, inW: input.w, cin: layer.cin, cout: layer.cout,
    kh: layer.kh, kw: layer.kw, stride: layer.stride, pad: layer.pad,
  });
}

let patchScratch = new Int32Array(0);
let packScratch = new Uint32Array(0);

/**
 * Binary conv on packed NHWC activations: out[b, oy, ox, o] = Σ over valid taps and channels
 * of a·w (exact integers as float32), NHWC [n, outH, outW, cout]. Padded positions hold 0
 * in the float graph: im2col leaves their bits 0 (i.e. +1), the GEMM counts them as
 * Σ_c w[o, t, c], and that is subtracted again: out = K − 2·popcount − Σ_{padded t} tapSums[t, o].
 */
export function binaryConv2dIm2col(input: PackedActivations, layer: Im2colBinaryConv, out?: Float32Array): Float32Array {
  if (input.c !== layer.cin) throw new RangeError(`input has ${input.c} channels, layer expects ${layer.cin}`);
  const g = im2colGeometry(input, layer);
  const rows = outputPositions(g);
  const result = out ?? new Float32Array(rows * layer.cout);
  if (result.length < rows * layer.cout) throw new RangeError(`out needs ${rows * layer.cout} elements`);
  const need = rows * layer.patchWords;
  if (patchScratch.length < need) patchScratch = new Int32Array(need);
  im2colPacked(int32View(input.words), input.wordsPerPixel, g, layer, patchScratch);
  xnorGemmWords(patchScratch, layer.filters, rows, layer.cout, layer.patchWords, layer.patchBits, result);
  subtractPaddingContributions(result, g, layer);
  return result;
}

/** Packs float NHWC activations (signs) and applies binaryConv2dIm2col: the full per-layer cost. */
export function binaryConv2dIm2colFromFloat(
  x: Float32Array,
  shape: { n: number; h: number; w: number; c: number },
  layer: Im2colBinaryConv,
  out?: Float32Array,
): Float32Array {
  const need = shape.n * shape.h * shape.w * wordsForBits(shape.c);
  if (packScratch.length < need) packScratch = new Uint32Array(need);
  const packed = packActivationsNHWC(x, shape.n, shape.h, shape.w, shape.c, packScratch);
  return binaryConv2dIm2col(packed, layer, out);
}

/**
 * Writes one dense patch row per output position (layout of Im2colBinaryConv.filters).
 * The rows are zeroed first, so taps outside the input stay 0.
 */
function im2colPacked(src: Int32Array, wordsPerPixel: number, g: ConvGeometry, layer: Im2colBinaryConv, patches: Int32Array): void {
  const { n, inH, inW, outH, outW, kh, kw, stride, pad, cin } = g;
  const P = layer.patchWords;
  const aligned = (cin & 31) === 0;
  patches.fill(0, 0, n * outH * outW * P);
  let base = 0;
  for (let b = 0; b < n; b++) {
    const imageBase = b * inH * inW;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, base += P) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * stride - pad + ky;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * stride - pad + kx;
            if (ix < 0 || ix >= inW) continue;
            const s = (imageBase + iy * inW + ix) * wordsPerPixel;
            const t = ky * kw + kx;
            if (aligned) {
              const d = base + t * wordsPerPixel;
              for (let w = 0; w < wordsPerPixel; w++) patches[d + w] = src[s + w];
            } else {
              for (let w = 0; w < wordsPerPixel; w++) {
                appendBits(patches, base, t * cin + 32 * w, src[s + w], Math.min(32, cin - 32 * w));
              }
            }
          }
        }
      }
    }
  }
}

/** Bit mask of the kernel offsets (along one axis) that fall into the padding at output index o. */
function paddedOffsets(o: number, k: number, stride: number, pad: number, size: number): number {
  let mask = 0;
  for (let d = 0; d < k; d++) {
    const i = o * stride - pad + d;
    if (i < 0 || i >= size) mask |= 1 << d;
  }
  return mask;
}

/** out[pos, o] −= Σ over the padded taps of pos of tapSums[t, o] (border positions only). */
function subtractPaddingContributions(out: Float32Array, g: ConvGeometry, layer: Im2colBinaryConv): void {
  if (g.pad === 0) return;
  const { n, outH, outW, kh, kw, stride, pad, inH, inW, cout } = g;
  const rowMasks = Array.from({ length: outH }, (_, oy) => paddedOffsets(oy, kh, stride, pad, inH));
  const colMasks = Array.from({ length: outW }, (_, ox) => paddedOffsets(ox, kw, stride, pad, inW));
  const corrections = new Map<number, Int32Array>();
  const correctionFor = (rowMask: number, colMask: number): Int32Array => {
    const key = rowMask * (1 << kw) + colMask;
    let c = corrections.get(key);
    if (c === undefined) {
      c = new Int32Array(cout);
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          if (((rowMask >>> ky) & 1) === 0 && ((colMask >>> kx) & 1) === 0) continue;
          const t = (ky * kw + kx) * cout;
          for (let o = 0; o < cout; o++) c[o] += layer.tapSums[t + o];
        }
      }
      corrections.set(key, c);
    }
    return c;
  };
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const rowMask = rowMasks[oy];
      for (let ox = 0; ox < outW; ox++) {
        const colMask = colMasks[ox];
        if (rowMask === 0 && colMask === 0) continue;
        const c = correctionFor(rowMask, colMask);
        const at = ((b * outH + oy) * outW + ox) * cout;
        for (let o = 0; o < cout; o++) out[at + o] -= c[o];
      }
    }
  }
}
