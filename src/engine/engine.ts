/**
 * The binary inference engine: compiles a model's op list (src/bnn/model/architecture.ts)
 * and weights into a plan of preallocated steps that runs a whole binarized ResNet on
 * Float32Array NHWC batches, without tfjs.
 *
 * - Binary convs run on the XNOR kernels (kernels = 'xnor'): the activations' signs are
 *   packed per inference (sign(0) = +1) and binaryConv2d reproduces the float graph's zero
 *   padding exactly. With kernels = 'float' the same plan runs them through the float conv
 *   instead (sign(x) as ±1 floats against ±1 float weights): the honest float baseline. Both
 *   produce the same integer dot products, hence identical outputs.
 * - Each conv (binary or not) and depthwise conv ends in one fused per-channel epilogue:
 *     y = a_o·dot + b_o  (+ residual)  (clamped to [−1, 1] when a hardtanh follows)
 *   where a_o, b_o fold the binary scale and the BatchNorm that follows it:
 *     a_o = scale_o·γ_o/√(σ²_o + ε),  b_o = β_o − μ_o·γ_o/√(σ²_o + ε).
 *   A Bi-Real block's add and hardtanh fuse into the same pass when the conv's output feeds
 *   nothing else (fusion.ts).
 * - Every op type has its step in steps/ (ENGINE_STEPS, keyed by op type); the float ones have
 *   the semantics of the op's tfjs forward (src/bnn/model/ops/).
 * Buffers are sized for `maxBatch` once and recycled by liveness; a run allocates nothing
 * but the returned logits (unless `out` is given).
 */
import { BN_EPSILON, INPUT, type Architecture, type BatchNormOp, type LayerOp } from '../bnn/model/architecture';
import { opDef } from '../bnn/model/ops';
import type { Shape } from '../bnn/model/ops/op-def';
import { borderedWords } from '../kernels/bitpack';
import type { Epilogue } from '../kernels/float-ops';
import { fusionGroups } from './fusion';
import { int, sizeOf, type BufferView, type PlanNode, type StepContext } from './plan';
import { ENGINE_STEPS, type StepBuilder } from './steps';
import type { EngineOptions, EngineSource, EngineStep, InferenceEngine, RunOptions } from './types';

export type * from './types';

/** Per-image output shapes of every tensor, in op order (each op's shape rule, ops/). */
export function inferShapes(arch: Architecture): Map<string, Shape> {
  const shapes = new Map<string, Shape>([[INPUT, arch.input.map(int)]]);
  for (const op of arch.ops) {
    const def = opDef(op);
    const inputs = def.inputs(op).map((name) => {
      const s = shapes.get(name);
      if (!s) throw new Error(`engine: tensor '${name}' used before it is produced`);
      return s;
    });
    shapes.set(op.output, def.shape(op, inputs).map(int));
  }
  return shapes;
}

/** Compiles `source` into an engine. Throws on a graph or parameter it cannot run. */
export function compileEngine(source: EngineSource, options: EngineOptions = {}): InferenceEngine {
  const kernels = options.kernels ?? 'xnor';
  const maxBatch = options.maxBatch ?? 32;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  const { arch } = source;
  const shapes = inferShapes(arch);
  const param = (name: string, size: number): Float32Array => {
    const p = source.params[name];
    if (!p) throw new Error(`engine: missing parameter '${name}'`);
    if (p.data.length !== size) throw new Error(`engine: parameter '${name}' has ${p.data.length} values, expected ${size}`);
    return p.data;
  };
  const { groupEnd, absorbed } = fusionGroups(arch.ops, arch.output);
  const groupOf = new Map([...groupEnd.values()].map((g) => [g.producer, g]));

  // Scratch shared by all binary convs: packed words (xnor) or ±1 floats (float).
  let packWords = 0;
  let signFloats = 0;
  for (const op of arch.ops) {
    if (op.op !== 'conv2d' || !op.binary) continue;
    // The 3×3 fast path packs with a border of `pad` pixels (never fewer words than without).
    packWords = Math.max(packWords, borderedWords(maxBatch, op.inH, op.inW, op.cin, int(op.pad)));
    signFloats = Math.max(signFloats, maxBatch * op.inH * op.inW * op.cin);
  }

  const ctx: StepContext = {
    kernels,
    options,
    shapeOf: (name) => shapes.get(name) as Shape,
    param,
    epilogue: (bn, channels, scale) => epilogueOf(param, bn, channels, scale),
    group: (op) => {
      const g = groupOf.get(op);
      if (!g) throw new Error(`engine: '${op.name}' heads no fusion group`);
      return g;
    },
    binary: new Map(source.binary.map((b) => [b.name, b])),
    packScratch: new Uint32Array(kernels === 'xnor' ? packWords : 0),
    signScratch: new Float32Array(kernels === 'float' ? signFloats : 0),
  };
  const step = <O extends LayerOp>(op: O): PlanNode => (ENGINE_STEPS[op.op] as unknown as StepBuilder<O>)(op, ctx);
  const nodes: PlanNode[] = [];
  for (const op of arch.ops) {
    const group = groupEnd.get(op);
    if (group) nodes.push(step(group.producer));
    else if (!absorbed.has(op)) nodes.push(step(op));
  }

  const { view, pool } = bindBuffers(nodes, arch, maxBatch);
  const runs = nodes.map((node) => node.bind(view));
  const inputShape: [number, number, number] = [arch.input[0], arch.input[1], arch.input[2]];
  const inputSize = sizeOf(inputShape);
  const inputBuffer = view.get(INPUT);
  const logits = view.get(arch.output);
  const classes = arch.classes;

  const run = (input: Float32Array, batch: number, runOptions: RunOptions = {}): Float32Array => {
    if (!Number.isInteger(batch) || batch < 1 || batch > maxBatch) throw new RangeError(`batch must be 1…${maxBatch}, got ${batch}`);
    if (input.length < batch * inputSize) throw new RangeError(`${batch} images need ${batch * inputSize} floats, got ${input.length}`);
    inputBuffer.set(input.length === batch * inputSize ? input : input.subarray(0, batch * inputSize));
    const observe = runOptions.observeSignInputs;
    const times = runOptions.stepTimes;
    if (times) {
      for (let i = 0; i < runs.length; i++) {
        const t = performance.now();
        runs[i](batch, observe);
        times[i] = performance.now() - t;
      }
    } else {
      for (const r of runs) r(batch, observe);
    }
    const out = runOptions.out ?? new Float32Array(batch * classes);
    if (out.length < batch * classes) throw new RangeError(`out needs ${batch * classes} floats`);
    out.set(logits.subarray(0, batch * classes));
    return out;
  };

  return {
    kernels,
    maxBatch,
    inputShape,
    classes,
    steps: nodes.map((n): EngineStep => n.info),
    weightBytes: nodes.reduce((a, n) => a + n.weightBytes, 0),
    bufferBytes: pool.reduce((a, b) => a + b.byteLength, 0) + ctx.packScratch.byteLength + ctx.signScratch.byteLength,
    run,
    predict(input, batch) {
      return argmaxRows(run(input, batch), batch, classes);
    },
  };
}

/** The folded BN (and binary scale) of a conv's epilogue: a_o = scale_o·γ_o/√(σ²_o + ε), b_o = β_o − μ_o·γ_o/√(σ²_o + ε). */
function epilogueOf(param: (name: string, size: number) => Float32Array, bn: BatchNormOp | undefined, channels: number, scale: Float32Array | null): Epilogue {
  const a = new Float32Array(channels);
  const b = new Float32Array(channels);
  for (let o = 0; o < channels; o++) {
    const s = scale ? scale[o] : 1;
    if (bn) {
      const gamma = param(bn.gamma, channels)[o];
      const inv = gamma / Math.sqrt(param(bn.variance, channels)[o] + BN_EPSILON);
      a[o] = s * inv;
      b[o] = param(bn.beta, channels)[o] - param(bn.mean, channels)[o] * inv;
    } else {
      a[o] = s;
      b[o] = 0;
    }
  }
  return { a, b };
}

/** Buffers by liveness: a tensor's buffer returns to the pool after its last reader. */
function bindBuffers(nodes: readonly PlanNode[], arch: Architecture, maxBatch: number): { view: BufferView; pool: Float32Array[] } {
  const lastUse = new Map<string, number>();
  nodes.forEach((node, i) => node.inputs.forEach((name) => lastUse.set(name, i)));
  lastUse.set(arch.output, Infinity);
  const pool: Float32Array[] = [];
  const free: Float32Array[] = [];
  const bufferOf = new Map<string, Float32Array>();
  const take = (floats: number): Float32Array => {
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      if (free[i].length >= floats && (best < 0 || free[i].length < free[best].length)) best = i;
    }
    if (best >= 0) return free.splice(best, 1)[0];
    const b = new Float32Array(floats);
    pool.push(b);
    return b;
  };
  bufferOf.set(INPUT, take(maxBatch * sizeOf(arch.input)));
  nodes.forEach((node, i) => {
    const need = maxBatch * sizeOf(node.info.shape);
    const reuse = node.inPlace !== undefined ? node.inputs[node.inPlace] : undefined;
    const dying = (name: string): boolean => lastUse.get(name) === i && node.inputs.indexOf(name) === node.inputs.lastIndexOf(name);
    if (reuse !== undefined && dying(reuse) && (bufferOf.get(reuse) as Float32Array).length >= need) {
      bufferOf.set(node.output, bufferOf.get(reuse) as Float32Array);
    } else {
      bufferOf.set(node.output, take(need));
    }
    for (const name of new Set(node.inputs)) {
      if (lastUse.get(name) === i && bufferOf.get(name) !== bufferOf.get(node.output)) free.push(bufferOf.get(name) as Float32Array);
    }
  });
  const view: BufferView = {
    get: (name) => {
      const b = bufferOf.get(name);
      if (!b) throw new Error(`engine: no buffer for '${name}'`);
      return b;
    },
  };
  return { view, pool };
}

/** Index of the largest value of each row (the first one on ties). */
export function argmaxRows(values: Float32Array, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (values[r * cols + c] > values[r * cols + best]) best = c;
    out[r] = best;
  }
  return out;
}
