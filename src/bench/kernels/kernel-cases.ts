import { packColumns, packRows, packRowsInto, packWeightsHWIO, wordsForBits } from '../../kernels/bitpack';
import { binaryConv2dFromFloat, defaultGroupBits, prepareBinaryConv } from '../../kernels/binary-conv';
import { binaryConv2dIm2colFromFloat, prepareIm2colBinaryConv } from '../../kernels/binary-conv-im2col';
import { convOutputSize } from '../../kernels/conv-geometry';
import { floatConv2d, prepareFloatConv } from '../../kernels/float-conv';
import { floatGemmPanels, packColumnPanels, packRowPanels } from '../../kernels/float-gemm';
import { randomFloats, seededRandom } from '../../kernels/seeded-data';
import { int32View, xnorGemmWords } from '../../kernels/xnor-gemm';
import { xnorGemmSwarWords } from '../../kernels/xnor-gemm-swar';
import { LUT_CHUNK_COLUMNS, prepareXnorLut, xnorLutBytes } from '../../kernels/xnor-lut';
import { xnorLutGemmWords } from '../../kernels/xnor-lut-gemm';
import { tfjsConv2d, tfjsMatMul, type Tf } from './tfjs-peers';
import type { BenchCase, BenchImplementation } from './types';

export interface KernelSuiteOptions {
  /** GEMM and batch-1 conv layers only. */
  readonly quick?: boolean;
  /** tfjs module for the tfjs peers; omitted → no tfjs peers. */
  readonly tf?: Tf;
  /** tfjs backends to compare (each must be registered), e.g. ['cpu', 'wasm']. */
  readonly tfBackends?: readonly string[];
  readonly seed?: number;
}

/** A binary 3×3 conv layer of the model: cin → cout at size×size input, stride 1 or 2. */
export interface ConvLayerShape {
  readonly cin: number;
  readonly cout: number;
  readonly size: number;
  readonly stride: number;
}

/** The distinct binary conv shapes of ResNet-20 (w = 16) on 32×32 input. */
export const RESNET20_CONV_LAYERS: readonly ConvLayerShape[] = [
  { cin: 16, cout: 16, size: 32, stride: 1 },
  { cin: 32, cout: 32, size: 16, stride: 1 },
  { cin: 64, cout: 64, size: 8, stride: 1 },
  { cin: 16, cout: 32, size: 32, stride: 2 },
  { cin: 32, cout: 64, size: 16, stride: 2 },
];

/** Builds a value on first use and keeps it: case data is made only when the case runs. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

function tfjsPeers(options: KernelSuiteOptions, make: (tf: Tf, backend: string) => BenchImplementation): BenchImplementation[] {
  const tf = options.tf;
  if (!tf) return [];
  return (options.tfBackends ?? []).map((backend) => make(tf, backend));
}

/**
 * Largest table of one 16-column chunk the GEMM case gives 8-bit groups: the kernel works
 * chunk by chunk, and a chunk's tables must stay in L2 while all rows pass over them.
 */
const GEMM_CHUNK_LUT_LIMIT = 1024 * 1024;

/**
 * C [m, n] = A [m, k]·B [k, n]. The XNOR and float kernels time the multiply on operands
 * prepared beforehand (B is the weight side: packed, or turned into lookup tables, once);
 * packing A, the per-inference part, is reported on its own as 'xnor-pack'. tfjs times
 * tf.matMul on float tensors. 'xnor' is the table-lookup kernel with the largest groups
 * whose chunk tables fit the limit, 'xnor-lut4' the same with 4-bit groups when that is
 * not already it; the Harley–Seal and SWAR kernels are its bit-op peers.
 */
export function gemmCase(m: number, n: number, k: number, options: KernelSuiteOptions = {}): BenchCase {
  const data = lazy(() => {
    const random = seededRandom(options.seed ?? 1);
    return { a: randomFloats(m * k, random), b: randomFloats(k * n, random) };
  });
  const groupBits: 4 | 8 = xnorLutBytes(LUT_CHUNK_COLUMNS, wordsForBits(k), 8) <= GEMM_CHUNK_LUT_LIMIT ? 8 : 4;
  const xnorWith = (id: string, label: string, kernel: typeof xnorGemmWords): BenchImplementation => ({
    id,
    label,
    role: 'peer',
    setup() {
      const { a, b } = data();
      const pa = packRows(a, m, k);
      const pb = packColumns(b, k, n);
      const wa = int32View(pa.words);
      const wb = int32View(pb.words);
      const out = new Int32Array(m * n);
      return { run: () => kernel(wa, wb, m, n, pa.wordsPerRow, k, out) };
    },
  });
  const lutWith = (id: string, bits: 4 | 8): BenchImplementation => ({
    id,
    label: `XNOR (${bits}-bit lookup)`,
    role: 'peer',
    setup() {
      const { a, b } = data();
      const wa = int32View(packRows(a, m, k).words);
      const lut = prepareXnorLut(packColumns(b, k, n), bits);
      const out = new Int32Array(m * n);
      return { run: () => xnorLutGemmWords(wa, m, lut, out) };
    },
  });
  const implementations: BenchImplementation[] = [
    lutWith('xnor', groupBits),
    ...(groupBits === 8 ? [lutWith('xnor-lut4', 4)] : []),
    xnorWith('xnor-hs', 'XNOR (Harley–Seal)', xnorGemmWords),
    xnorWith('xnor-swar', 'XNOR (SWAR)', xnorGemmSwarWords),
    {
      id: 'xnor-pack',
      label: 'pack A',
      role: 'part',
      setup() {
        const { a } = data();
        const words = new Uint32Array(m * wordsForBits(k));
        return { run: () => packRowsInto(a, m, k, words) };
      },
    },
    {
      id: 'float',
      label: 'float tiled',
      role: 'peer',
      setup() {
        const { a, b } = data();
        const pa = packRowPanels(a, m, k);
        const pb = packColumnPanels(b, k, n);
        const out = new Float32Array(m * n);
        return { run: () => floatGemmPanels(pa, pb, out) };
      },
    },
    ...tfjsPeers(options, (tf, backend) => tfjsMatMul(tf, backend, () => [data().a, data().b], m, n, k)),
  ];
  return {
    id: `gemm-${m}x${n}x${k}`,
    title: `GEMM ${m}×${n}×${k}`,
    kind: 'gemm',
    ops: 2 * m * n * k,
    params: { m, n, k },
    reference: 'xnor',
    implementations,
  };
}

/**
 * One binary 3×3 conv layer (zero padding 1) at batch `batch`, input float NHWC. The XNOR
 * time includes packing the activations' signs and the zero padding; packing alone is
 * reported as 'xnor-pack'. 'xnor' is the direct table-lookup conv, 'xnor-im2col' the
 * im2col + Harley–Seal GEMM one. Float peers use real-valued data of the same shapes.
 */
export function convCase(layer: ConvLayerShape, batch: number, options: KernelSuiteOptions = {}): BenchCase {
  const { cin, cout, size, stride } = layer;
  const pad = 1;
  const data = lazy(() => {
    const random = seededRandom((options.seed ?? 1) * 7919 + cin * 131 + cout * 17 + size + stride);
    return { x: randomFloats(batch * size * size * cin, random), w: randomFloats(9 * cin * cout, random) };
  });
  const outSize = convOutputSize(size, 3, stride, pad);
  const positions = batch * outSize * outSize;
  const shape = { n: batch, h: size, w: size, c: cin };
  const tableBits = defaultGroupBits({ kh: 3, kw: 3, cin, cout });
  const implementations: BenchImplementation[] = [
    {
      id: 'xnor',
      label: `XNOR lookup (${tableBits}-bit)`,
      role: 'peer',
      setup() {
        const { x, w } = data();
        const layer = prepareBinaryConv(packWeightsHWIO(w, 3, 3, cin, cout), stride, { pad });
        const out = new Float32Array(positions * cout);
        return { run: () => binaryConv2dFromFloat(x, shape, layer, out) };
      },
    },
    {
      id: 'xnor-im2col',
      label: 'XNOR (im2col + HS)',
      role: 'peer',
      setup() {
        const { x, w } = data();
        const prepared = prepareIm2colBinaryConv(packWeightsHWIO(w, 3, 3, cin, cout), stride, pad);
        const out = new Float32Array(positions * cout);
        return { run: () => binaryConv2dIm2colFromFloat(x, shape, prepared, out) };
      },
    },
    {
      id: 'xnor-pack',
      label: 'pack activations',
      role: 'part',
      setup() {
        const { x } = data();
        const words = new Uint32Array(batch * size * size * wordsForBits(cin));
        return { run: () => packRowsInto(x, batch * size * size, cin, words) };
      },
    },
    {
      id: 'float',
      label: 'float im2col+GEMM',
      role: 'peer',
      setup() {
        const { x, w } = data();
        const prepared = prepareFloatConv(w, { kh: 3, kw: 3, cin, cout, stride, pad });
        const out = new Float32Array(positions * cout);
        return { run: () => floatConv2d(x, shape, prepared, out) };
      },
    },
    ...tfjsPeers(options, (tf, backend) =>
      tfjsConv2d(tf, backend, () => data(), [batch, size, size, cin], [3, 3, cin, cout], stride, pad),
    ),
  ];
  return {
    id: `conv-${cin}x${cout}-${size}-s${stride}-b${batch}`,
    title: `conv ${cin}→${cout} @${size}×${size} s${stride} b${batch}`,
    kind: 'conv',
    ops: 2 * positions * cout * 9 * cin,
    params: { batch, cin, cout, size, stride, outSize },
    reference: 'xnor',
    implementations,
  };
}

/**
 * The GEMM a binary 3×3 conv layer is as im2col at batch 1: M = output positions,
 * N = cout, K = 9·cin (the lookup conv computes exactly these dot products without
 * materializing the matrix).
 */
export function layerGemmCase(layer: ConvLayerShape, options: KernelSuiteOptions = {}): BenchCase {
  const out = convOutputSize(layer.size, 3, layer.stride, 1);
  const c = gemmCase(out * out, layer.cout, 9 * layer.cin, options);
  return { ...c, title: `${c.title} (${layer.cin}→${layer.cout} @${layer.size} s${layer.stride})`, params: { ...c.params, ...layer } };
}

/**
 * GEMM 256×256×2304, then (unless quick) the im2col GEMM of each layer, then each layer as a
 * conv at each batch: the kernel part of both the Node suite and a model's device suite.
 */
export function layerSuiteCases(layers: readonly ConvLayerShape[], batches: readonly number[], options: KernelSuiteOptions = {}): BenchCase[] {
  return [
    gemmCase(256, 256, 2304, options),
    ...(options.quick ? [] : layers.map((layer) => layerGemmCase(layer, options))),
    ...batches.flatMap((batch) => layers.map((layer) => convCase(layer, batch, options))),
  ];
}

/** The kernel suite over the ResNet-20 conv shapes, at batch 1 (and 32 unless quick). */
export function kernelCases(options: KernelSuiteOptions = {}): BenchCase[] {
  return layerSuiteCases(RESNET20_CONV_LAYERS, options.quick ? [1] : [1, 32], options);
}
