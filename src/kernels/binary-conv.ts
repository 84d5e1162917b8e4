import {
  borderedWords, convWeightsAsMatrix, packActivationsNHWC, packBorderedNHWC, wordsForBits,
  type PackedActivations, type PackedConvWeights,
} from './bitpack';
import { FAST_3X3_MAX_WORDS, lookupConv3x3, lookupConv3x3Bordered, zeroTailWords } from './binary-conv3x3';
import { lookupConv } from './binary-conv-lookup';
import { convGeometry, outputPositions, type ConvGeometry } from './conv-geometry';
import { int32View } from './xnor-gemm';
import { LUT_CHUNK_COLUMNS, prepareXnorLut, xnorLutBytes, type XnorLut } from './xnor-lut';

/**
 * A binary conv prepared for inference: the lookup tables of its weights (see xnor-lut.ts)
 * over the packed filter rows [cout][kh][kw][ceil(cin/32)].
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

/**
 * Byte tables take half the lookups of nibble tables but 16× the memory. The kernels work
 * one 16-channel chunk of outputs at a time, so it is one chunk's tables that must stay in
 * L2: bytes up to 512 KiB per chunk (3×3 over ≤ 224 channels). They measured faster for
 * every ResNet-20 w = 16 layer, and 1.4–2.8× the nibble tables at 128→128 (w = 32, 288 KiB
 * per chunk; 8×8 and 16×16, batch 1 and 8).
 */
const BYTE_CHUNK_TABLE_LIMIT = 512 * 1024;

/** The default group size for a conv shape: bytes if one chunk's tables stay ≤ 512 KiB, else nibbles. */
export function defaultGroupBits(shape: { kh: number; kw: number; cin: number; cout: number }): 4 | 8 {
  return xnorLutBytes(LUT_CHUNK_COLUMNS, shape.kh * shape.kw * wordsForBits(shape.cin), 8) <= BYTE_CHUNK_TABLE_LIMIT ? 8 : 4;
}

/**
 * Prepares packed weights for binaryConv2d. pad defaults to (k − 1)/2 (1 for 3×3);
 * groupBits to defaultGroupBits.
 */
export function prepareBinaryConv(
  weights: PackedConvWeights,
  stride: number,
  options: { pad?: number; groupBits?: 4 | 8 } = {},
): BinaryConvLayer {
  return {
    kh: weights.kh,
    kw: weights.kw,
    cin: weights.cin,
    cout: weights.cout,
    stride,
    pad: options.pad ?? (weights.kh - 1) >> 1,
    lut: prepareXnorLut(convWeightsAsMatrix(weights), options.groupBits ?? defaultGroupBits(weights), zeroTailWords(weights.wordsPerCin)),
  };
}

/** Geometry of applying `layer` to activations of shape [n, h, w, cin]. */
export function binaryConvGeometry(input: { n: number; h: number; w: number }, layer: BinaryConvLayer): ConvGeometry {
  return convGeometry({
    n: input.n, inH: input.h, inW: input.w, cin: layer.cin, cout: layer.cout,
    kh: layer.kh, kw: layer.kw, stride: layer.stride, pad: layer.pad,
  });
}

/** `out` checked for the NHWC output of `g`, or a new array. */
function outputArray(g: ConvGeometry, out: Float32Array | undefined): Float32Array {
  const size = outputPositions(g) * g.cout;
  const result = out ?? new Float32Array(size);
  if (result.length < size) throw new RangeError(`out needs ${size} elements`);
  return result;
}

/**
 * Binary conv on packed NHWC activations by table lookup, straight from the pixels:
 *   out[b, oy, ox, o] = Σ over in-bounds taps t and channels c of a·w
 *                     = K_valid − 2·Σ_{in-bounds t} Σ_groups T[t, group][pattern][o],
 * K_valid = (number of in-bounds taps)·cin. Taps in the zero padding contribute exactly 0,
 * as in the float graph. Output NHWC [n, outH, outW, cout]: exact integers as float32.
 */
export function binaryConv2d(input: PackedActivations, layer: BinaryConvLayer, out?: Float32Array): Float32Array {
  if (input.c !== layer.cin) throw new RangeError(`input has ${input.c} channels, layer expects ${layer.cin}`);
  const g = binaryConvGeometry(input, layer);
  const result = outputArray(g, out);
  const words = int32View(input.words);
  if (usesBorderedFastPath(layer)) lookupConv3x3(words, input.wordsPerPixel, g, layer.lut, result);
  else lookupConv(words, input.wordsPerPixel, g, layer.lut, result);
  return result;
}

/** Whether a layer runs the unrolled 3×3 kernel, which reads its input with a border. */
function usesBorderedFastPath(layer: BinaryConvLayer): boolean {
  return layer.kh === 3 && layer.kw === 3 && wordsForBits(layer.cin) <= FAST_3X3_MAX_WORDS;
}

/** Scratch words binaryConv2dFromFloat needs for an input of this shape. */
export function packedInputWords(shape: { n: number; h: number; w: number; c: number }, layer: BinaryConvLayer): number {
  return usesBorderedFastPath(layer) ? borderedWords(shape.n, shape.h, shape.w, shape.c, layer.pad) : shape.n * shape.h * shape.w * wordsForBits(shape.c);
}

let packScratch = new Uint32Array(0);

/**
 * Packs float NHWC activations (their signs) and applies binaryConv2d: the whole per-layer
 * cost. The 3×3 fast path packs straight into its bordered layout. `scratch` (at least
 * packedInputWords) is reused if given, else a module-level buffer.
 */
export function binaryConv2dFromFloat(
  x: Float32Array,
  shape: { n: number; h: number; w: number; c: number },
  layer: BinaryConvLayer,
  out?: Float32Array,
  scratch?: Uint32Array,
): Float32Array {
  const need = packedInputWords(shape, layer);
  let words = scratch;
  if (!words) {
    if (packScratch.length < need) packScratch = new Uint32Array(need);
    words = packScratch;
  }
  if (!usesBorderedFastPath(layer)) return binaryConv2d(packActivationsNHWC(x, shape.n, shape.h, shape.w, shape.c, words), layer, out);
  if (shape.c !== layer.cin) throw new RangeError(`input has ${shape.c} channels, layer expects ${layer.cin}`);
  packBorderedNHWC(x, shape.n, shape.h, shape.w, shape.c, layer.pad, words);
  const g = binaryConvGeometry(shape, layer);
  const result = outputArray(g, out);
  lookupConv3x3Bordered(int32View(words), wordsForBits(shape.c), g, layer.lut, result);
  return result;
}
