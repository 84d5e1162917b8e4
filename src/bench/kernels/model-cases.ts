import type * as tfc from '@tensorflow/tfjs-core';
import type { Architecture } from '../../bnn/model/architecture';
import { buildResNet } from '../../bnn/model/resnet';
import { summarize } from '../../bnn/model/summary';
import { compileEngine, type EngineKernels, type EngineSource } from '../../engine/engine';
import { randomEngineSource } from '../../engine/random-source';
import { tfjsModelOf } from '../../engine/tfjs-reference';
import { randomFloats, seededRandom } from '../../kernels/seeded-data';
import { layerSuiteCases, type ConvLayerShape } from './kernel-cases';
import type { Tf } from './tfjs-peers';
import type { BenchCase, BenchImplementation, CaseResult, PreparedRun } from './types';

/**
 * Whole-model benchmark cases: one forward pass of a binarized ResNet at a batch size, by
 * the XNOR engine, the same engine with float kernels for the binary convs, and tfjs (the
 * model's own forward pass in inference mode) on each given backend. Every implementation
 * computes the logits of the same images with the same weights.
 */

export interface ModelSuiteOptions {
  /** Batch 1 only. */
  readonly quick?: boolean;
  /** Batches to measure (default [1] when quick, else [1, 32]). */
  readonly batches?: readonly number[];
  /** tfjs module for the tfjs peers; omitted → no tfjs peers. */
  readonly tf?: Tf;
  readonly tfBackends?: readonly string[];
  /**
   * Largest batch the tfjs cpu peer runs (default 1): its batch-32 forward of ResNet-20
   * takes ~10 s on a 2-core machine, minutes for a full set of samples.
   */
  readonly tfCpuMaxBatch?: number;
  /** Untimed warm-up of each implementation in setup (see warmUpModel); default 1000 ms. */
  readonly warmUpMs?: number;
  readonly seed?: number;
}

/** ResNet-20, w = 16, on 32×32×3 inputs, 10 classes: the model of the speed-up goal. */
export function resnet20Architecture(): Architecture {
  return buildResNet({ depth: 20, width: 16, input: [32, 32, 3], classes: 10, binary: true, recovery: 'off', recoveryRatio: 4 });
}

/** Storage of a model's parameters: binary weights at 1 bit, everything else float32. */
export interface ModelStorage {
  /** Binary conv weights (1 bit each). */
  readonly binaryParams: number;
  /** Float parameters as the model file stores them (BN γ, β, μ, σ², scales, stem, head). */
  readonly floatParams: number;
  /** binaryParams + 32·floatParams. */
  readonly packedBits: number;
  /** Every parameter as float32. */
  readonly float32Bits: number;
  /** float32Bits / packedBits. */
  readonly saving: number;
  /** The engine's folded form: BN and scale after each conv as 2 floats per channel. */
  readonly foldedBits: number;
}

/** Storage of `arch` with or without per-channel binary scales (they fold away in the engine). */
export function modelStorage(arch: Architecture, binaryScale: boolean): ModelStorage {
  const s = summarize(arch, { binaryScale });
  // Folding: each BN after a conv (4 floats per channel) and the conv's scale become a, b.
  let saved = 0;
  const convOutputs = new Map(arch.ops.filter((op) => op.op === 'conv2d').map((op) => [op.output, op]));
  for (const op of arch.ops) {
    if (op.op !== 'batchnorm') continue;
    const conv = convOutputs.get(op.input);
    if (!conv || conv.op !== 'conv2d') continue;
    saved += 4 * op.channels - 2 * op.channels + (conv.binary && binaryScale ? conv.cout : 0);
  }
  return {
    binaryParams: s.binaryParams,
    floatParams: s.floatParams,
    packedBits: s.totalBits,
    float32Bits: s.float32Bits,
    saving: s.float32Bits / s.totalBits,
    foldedBits: s.binaryParams + 32 * (s.floatParams - saved),
  };
}

/** Describes a model by depth, width and input, e.g. "ResNet-20 w=16 32×32×3". */
export function modelLabel(arch: Architecture): string {
  return `ResNet-${arch.depth} w=${arch.width} ${arch.input.join('×')}`;
}

/**
 * Untimed runs before the suite's own warm-up. A whole model runs dozens of distinct loops
 * once each per pass, so V8 needs many passes before all of them are optimized (measured in
 * Chromium: ~50 batch-1 passes of the XNOR engine, its first pass ~50× its steady time),
 * far more than a single kernel. Runs until ≥ ceil(64 / batch) passes and ≥ ms, or 3·ms.
 */
export function warmUpModel(run: () => void, batch: number, ms = 1000): void {
  const start = performance.now();
  const minRuns = Math.ceil(64 / batch);
  for (let i = 1; ; i++) {
    run();
    const elapsed = performance.now() - start;
    if ((i >= minRuns && elapsed >= ms) || elapsed >= 3 * ms) return;
  }
}

async function useBackend(tf: Tf, backend: string): Promise<void> {
  if (tf.getBackend() === backend) return;
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend "${backend}" could not be initialised`);
  await tf.ready();
}

/** The binary conv layer shapes of a model (3×3, square inputs), distinct, in op order. */
export function binaryLayerShapes(arch: Architecture): ConvLayerShape[] {
  const seen = new Map<string, ConvLayerShape>();
  for (const op of arch.ops) {
    if (op.op !== 'conv2d' || !op.binary || op.kernel !== 3 || op.pad !== 1 || op.inH !== op.inW) continue;
    // `| 0`: the op builder's sizes can be boxed doubles, which would slow the kernels (engine.ts, int).
    const shape = { cin: op.cin | 0, cout: op.cout | 0, size: op.inH | 0, stride: op.stride | 0 };
    seen.set(`${shape.cin}-${shape.cout}-${shape.size}-${shape.stride}`, shape);
  }
  return [...seen.values()];
}

/**
 * One forward pass of the model in `source` on `batch` images (seeded, uniform in [−1, 1)).
 * ops counts 2·(binary + float MACs), so GOPS compare with the kernel cases. The case's
 * params carry the storage figures (ModelStorage) for machine-readable output.
 */
export function modelCase(source: EngineSource, batch: number, options: ModelSuiteOptions = {}): BenchCase {
  const { arch } = source;
  const [h, w, c] = arch.input;
  let input: Float32Array | undefined;
  const images = () => (input ??= randomFloats(batch * h * w * c, seededRandom((options.seed ?? 1) * 104729 + batch)));
  const engine = (kernels: EngineKernels, id: string, label: string): BenchImplementation => ({
    id,
    label,
    role: 'peer',
    setup(): PreparedRun {
      const e = compileEngine(source, { kernels, maxBatch: batch });
      const x = images();
      const out = new Float32Array(batch * arch.classes);
      const run = (): void => void e.run(x, batch, { out });
      warmUpModel(run, batch, options.warmUpMs);
      return { run };
    },
  });
  const tfPeer = (tf: Tf, backend: string): BenchImplementation => ({
    id: `tfjs-${backend}`,
    label: `tfjs ${backend} forward`,
    role: 'peer',
    async setup(): Promise<PreparedRun> {
      await useBackend(tf, backend);
      const model = tfjsModelOf(source);
      const x = tf.tensor4d(images(), [batch, h, w, c]) as tfc.Tensor4D;
      const run = (): void => model.run(x).dispose();
      warmUpModel(run, batch, options.warmUpMs);
      return {
        activate: () => useBackend(tf, backend),
        run,
        dispose: () => {
          x.dispose();
          model.dispose();
        },
      };
    },
  });
  const tf = options.tf;
  const implementations: BenchImplementation[] = [
    engine('xnor', 'xnor', 'XNOR engine'),
    engine('float', 'float', 'float engine'),
    ...(tf
      ? (options.tfBackends ?? []).filter((b) => b !== 'cpu' || batch <= (options.tfCpuMaxBatch ?? 1)).map((backend) => tfPeer(tf, backend))
      : []),
  ];
  const summary = summarize(arch, { binaryScale: source.binary.some((b) => b.scale !== null) });
  const storage = modelStorage(arch, source.binary.some((b) => b.scale !== null));
  return {
    id: `model-resnet${arch.depth}-w${arch.width}-${arch.input.join('x')}-b${batch}`,
    title: `${modelLabel(arch)} b${batch}`,
    kind: 'model',
    ops: 2 * (summary.bops + summary.flops) * batch,
    params: {
      batch,
      depth: arch.depth,
      width: arch.width,
      input: arch.input.join('x'),
      binaryParams: storage.binaryParams,
      floatParams: storage.floatParams,
      packedBits: storage.packedBits,
      float32Bits: storage.float32Bits,
      storageSaving: storage.saving,
      foldedBits: storage.foldedBits,
    },
    reference: 'xnor',
    implementations,
  };
}

/** Whole-model cases for `source` (default: ResNet-20 w = 16 on 32×32×3 with random weights). */
export function modelCases(options: ModelSuiteOptions = {}, source?: EngineSource): BenchCase[] {
  const s = source ?? randomEngineSource(resnet20Architecture(), options.seed ?? 1);
  const batches = options.batches ?? (options.quick ? [1] : [1, 32]);
  return batches.map((batch) => modelCase(s, batch, options));
}

/**
 * The device suite of one model: GEMM 256×256×2304, unless quick the GEMM of each distinct
 * binary conv layer of the model, each such layer at the given batches, and the whole model
 * at the same batches.
 */
export function deviceCases(options: ModelSuiteOptions = {}, source?: EngineSource): BenchCase[] {
  const s = source ?? randomEngineSource(resnet20Architecture(), options.seed ?? 1);
  const batches = options.batches ?? (options.quick ? [1] : [1, 32]);
  const kernelOptions = { quick: options.quick, tf: options.tf, tfBackends: options.tfBackends, seed: options.seed };
  return [...layerSuiteCases(binaryLayerShapes(s.arch), batches, kernelOptions), ...batches.map((batch) => modelCase(s, batch, options))];
}

/** Storage of a finished model case as text (from its params). */
export function formatStorage(c: CaseResult): string {
  const p = c.params;
  const num = (k: string): number => Number(p[k]);
  const kib = (bits: number): string => `${(bits / 8 / 1024).toFixed(1)} KiB`;
  return (
    `  storage: ${num('binaryParams')} binary weights at 1 bit + ${num('floatParams')} float32 params = ${kib(num('packedBits'))} ` +
    `vs ${kib(num('float32Bits'))} all float32: ${num('storageSaving').toFixed(1)}× smaller ` +
    `(BN and scales folded: ${kib(num('foldedBits'))}, ${(num('float32Bits') / num('foldedBits')).toFixed(1)}×)`
  );
}
