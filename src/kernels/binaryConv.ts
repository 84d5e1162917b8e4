import { convWeightsAsMatrix, packActivationsNHWC, wordsForBits, type PackedActivations, type PackedConvWeights } from './bitpack';
import { convGeometry, outputPositions, type ConvGeometry } from './convGeometry';
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
    lut: prepareXnorLut(matrix, groupBits),
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
  lutConv(int32View(input.words), input.wordsPerPixel, g, layer.lut, result);
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
