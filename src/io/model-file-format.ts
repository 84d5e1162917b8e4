import { z } from 'zod';
import { DATASET_NAMES } from '../data/catalog';
import { BN_EPSILON, type Architecture, type LayerOp } from '../bnn/model/architecture';
import { binaryConvOps } from '../bnn/model/binary-weights';
import type { RunConfig } from '../bnn/config';
import type { SafetensorsDtype } from './safetensors';
import { packedBytesPerTap } from './model-file-bits';

/**
 * The exported model file (docs/EXPORT_FORMAT.md): a safetensors file whose `__metadata__`
 * describes the run and whose tensors are the weights. Shared by export.ts and import.ts.
 */
export const FORMAT_NAME = 'bnn-playground';
export const FORMAT_VERSION = 1;
/** Prefix of the optional latent float weights of binary convs. */
export const LATENT_PREFIX = 'latent.';

/** `__metadata__` keys (values are strings; the JSON ones hold JSON text). */
export const META = {
  format: 'format',
  version: 'format_version',
  architecture: 'architecture',
  config: 'config',
  dataset: 'dataset',
  testAccuracy: 'test_accuracy',
  latent: 'latent',
} as const;

/** Dataset and input normalisation: x = (v / 255 − mean[c]) / std[c], NHWC. */
export interface DatasetInfo {
  name: RunConfig['dataset'];
  /** [H, W, C] */
  inputShape: [number, number, number];
  mean: number[];
  std: number[];
  classNames: string[];
}

/** An op as written to the file: the app's op plus `scale` on convs and `epsilon` on BN. */
export type ExportedOp =
  | (Extract<LayerOp, { op: 'conv2d' }> & { scale: string | null })
  | (Extract<LayerOp, { op: 'batchnorm' }> & { epsilon: number })
  | Exclude<LayerOp, { op: 'conv2d' | 'batchnorm' }>;

export interface ExportedArchitecture {
  input: [number, number, number];
  classes: number;
  depth: number;
  width: number;
  output: string;
  stageOutputs: string[];
  lastStage: string;
  ops: ExportedOp[];
}

/** Name of a binary conv's per-out-channel scale tensor. */
export function scaleTensorName(convName: string): string {
  return `${convName}.scale`;
}

export function hasBinaryScale(config: RunConfig): boolean {
  return config.precision === 'binary' && config.weightTransform !== 'none';
}

/** The architecture as stored in the file; a fresh plain object. */
export function describeArchitecture(arch: Architecture, config: RunConfig): ExportedArchitecture {
  const withScale = hasBinaryScale(config);
  const ops = arch.ops.map((op): ExportedOp => {
    if (op.op === 'conv2d') return { ...op, scale: op.binary && withScale ? scaleTensorName(op.name) : null };
    if (op.op === 'batchnorm') return { ...op, epsilon: BN_EPSILON };
    if (op.op === 'add') return { ...op, inputs: [op.inputs[0], op.inputs[1]] };
    if (op.op === 'concat') return { ...op, inputs: [...op.inputs] };
    return { ...op };
  });
  return {
    input: [...arch.input],
    classes: arch.classes,
    depth: arch.depth,
    width: arch.width,
    output: arch.output,
    stageOutputs: [...arch.stageOutputs],
    lastStage: arch.lastStage,
    ops,
  };
}

/** One tensor the file must hold. */
export interface TensorPlanEntry {
  name: string;
  dtype: Extract<SafetensorsDtype, 'U8' | 'F32'>;
  shape: number[];
  role: 'packed_bits' | 'scale' | 'float' | 'latent';
  /** The parameter (or, for scales, the conv weight) this entry belongs to. */
  param: string;
}

/**
 * Every tensor of the file, in parameter order: binary conv weights as packed bits (plus their
 * scale when the transform has one), every other parameter as F32, and optionally the latent
 * F32 weights of the binary convs under `latent.`.
 */
export function tensorPlan(arch: Architecture, config: RunConfig, includeLatent: boolean): TensorPlanEntry[] {
  const binaryByWeight = new Map(binaryConvOps(arch).map((op) => [op.weight, op]));
  const withScale = hasBinaryScale(config);
  const plan: TensorPlanEntry[] = [];
  const latent: TensorPlanEntry[] = [];
  for (const p of arch.params) {
    const op = binaryByWeight.get(p.name);
    if (!op) {
      plan.push({ name: p.name, dtype: 'F32', shape: [...p.shape], role: 'float', param: p.name });
      continue;
    }
    plan.push({
      name: p.name,
      dtype: 'U8',
      shape: [op.cout, op.kernel, op.kernel, packedBytesPerTap(op.cin)],
      role: 'packed_bits',
      param: p.name,
    });
    if (withScale) plan.push({ name: scaleTensorName(op.name), dtype: 'F32', shape: [op.cout], role: 'scale', param: p.name });
    if (includeLatent) latent.push({ name: LATENT_PREFIX + p.name, dtype: 'F32', shape: [...p.shape], role: 'latent', param: p.name });
  }
  return [...plan, ...latent];
}

// ---- metadata schemas (import validates with these; export checks its own output with them) ----

const name = z.string().min(1).max(200);
const count = z.number().int().min(1).max(1_000_000);
const size = z.number().int().min(0).max(1_000_000);

const convSchema = z.strictObject({
  op: z.literal('conv2d'),
  name,
  input: name,
  output: name,
  weight: name,
  scale: name.nullable(),
  kernel: count,
  stride: count,
  pad: size,
  cin: count,
  cout: count,
  binary: z.boolean(),
  inH: count,
  inW: count,
  outH: count,
  outW: count,
});
const opSchema = z.discriminatedUnion('op', [
  convSchema,
  z.strictObject({
    op: z.literal('dwconv2d'),
    name,
    input: name,
    output: name,
    weight: name,
    kernel: count,
    pad: size,
    channels: count,
    multiplier: count,
    h: count,
    w: count,
  }),
  z.strictObject({
    op: z.literal('batchnorm'),
    name,
    input: name,
    output: name,
    channels: count,
    gamma: name,
    beta: name,
    mean: name,
    variance: name,
    epsilon: z.number().positive().max(1),
  }),
  z.strictObject({ op: z.literal('hardtanh'), name, input: name, output: name }),
  z.strictObject({ op: z.literal('add'), name, inputs: z.tuple([name, name]), output: name }),
  z.strictObject({ op: z.literal('shortcut_a'), name, input: name, output: name, stride: count, padBefore: size, padAfter: size }),
  z.strictObject({ op: z.literal('avgpool'), name, input: name, output: name, size: count }),
  z.strictObject({ op: z.literal('concat'), name, inputs: z.array(name).min(1).max(64), output: name }),
  z.strictObject({ op: z.literal('slice_channels'), name, input: name, output: name, count }),
  z.strictObject({ op: z.literal('global_avgpool'), name, input: name, output: name }),
  z.strictObject({
    op: z.literal('dense'),
    name,
    input: name,
    output: name,
    weight: name,
    bias: name,
    cin: count,
    cout: count,
  }),
]);

export const ArchitectureSchema = z.strictObject({
  input: z.tuple([count, count, count]),
  classes: count,
  depth: count,
  width: count,
  output: name,
  stageOutputs: z.array(name).max(64),
  lastStage: name,
  ops: z.array(opSchema).min(1).max(10_000),
});

const finite = z.number().refine(Number.isFinite, 'must be finite');

export const DatasetSchema = z.strictObject({
  name: z.enum(DATASET_NAMES),
  inputShape: z.tuple([count, count, count]),
  mean: z.array(finite).min(1).max(16),
  std: z.array(finite.refine((v) => v > 0, 'must be positive')).min(1).max(16),
  classNames: z.array(z.string().min(1).max(200)).min(2).max(1000),
});

export const TestAccuracySchema = z.number().min(0).max(1).nullable();

/**
 * The first place two JSON values differ, as a readable path (`ops[12].stride: file has 1,
 * expected 2`), or null when they are equal. Object key order is ignored.
 */
export function firstDifference(actual: unknown, expected: unknown, path = ''): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path || '(root)'}: file has ${show(actual)}, expected a list`;
    if (actual.length !== expected.length) {
      return `${path || '(root)'}: file has ${actual.length} entries, expected ${expected.length}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(actual[i], expected[i], `${path}[${i}]${labelOf(expected[i])}`);
      if (d) return d;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return `${path || '(root)'}: file has ${show(actual)}, expected an object`;
    }
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!Object.prototype.hasOwnProperty.call(a, key)) return `${join(path, key)}: missing, expected ${show(e[key])}`;
      const d = firstDifference(a[key], e[key], join(path, key));
      if (d) return d;
    }
    for (const key of Object.keys(a)) {
      if (!Object.prototype.hasOwnProperty.call(e, key)) return `${join(path, key)}: unexpected field`;
    }
    return null;
  }
  return Object.is(actual, expected) || actual === expected ? null : `${path || '(root)'}: file has ${show(actual)}, expected ${show(expected)}`;
}

function labelOf(v: unknown): string {
  if (v !== null && typeof v === 'object' && 'name' in v && typeof (v as { name: unknown }).name === 'string') {
    return ` (${(v as { name: string }).name})`;
  }
  return '';
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
