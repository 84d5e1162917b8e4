import { z } from 'zod';
import { parseRunConfig, type RunConfig } from '../bnn/config';
import { BN_EPSILON, type Architecture, type LayerOp } from '../bnn/model/architecture';
import { binaryConvOps, type BinaryConvWeights } from '../bnn/model/binary-weights';
import { architectureFor } from '../bnn/model/model';
import { requireTensor, type SafetensorsDtype, type SafetensorsFile } from './safetensors';
import { firstNonZeroPaddingByte, packedBytesPerTap, unpackBytesToSigns } from './model-file-bits';
import { ModelFileError } from './model-file-error';
import { DatasetSchema, META, firstDifference, hasBinaryScale, type DatasetInfo } from './model-file-format';
import { assembleImported, checkDataset, firstNegative, metadataJson, readTestAccuracy, type ImportedModel } from './model-file-read';

/**
 * Version 1 of the model file (docs/EXPORT_FORMAT.md, appendix): one tensor per parameter, named
 * as the op list names it, and the op list as verbose JSON with every attribute. The app no
 * longer writes it but still reads it.
 */
export const VERSION_1 = 1;

/** `__metadata__` keys only version 1 has. */
export const META_V1 = { architecture: 'architecture', latent: 'latent' } as const;

/** Prefix of the optional latent float weights of binary convs. */
export const LATENT_PREFIX = 'latent.';

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

/** The architecture as stored in the file; a fresh plain object. */
export function describeArchitectureV1(arch: Architecture, config: RunConfig): ExportedArchitecture {
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
export function tensorPlanV1(arch: Architecture, config: RunConfig, includeLatent: boolean): TensorPlanEntry[] {
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

/** The version-1 architecture JSON. */

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

export const ArchitectureSchemaV1 = z.strictObject({
  input: z.tuple([count, count, count]),
  classes: count,
  depth: count,
  width: count,
  output: name,
  stageOutputs: z.array(name).max(64),
  lastStage: name,
  ops: z.array(opSchema).min(1).max(10_000),
});

/** Reads a version-1 file whose format and version were checked; throws ModelFileError. */
export function readVersion1(file: SafetensorsFile): ImportedModel {
  const meta = file.metadata;
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(meta, key);

  const parsed = parseRunConfig(metadataJson(meta, META.config, z.unknown(), 'config'));
  if (!parsed.ok) throw new ModelFileError('config', `the run config is invalid: ${parsed.error}`);
  const config = parsed.config;
  const dataset = metadataJson(meta, META.dataset, DatasetSchema, 'dataset') as DatasetInfo;
  checkDataset(dataset, config);
  const testAccuracy = readTestAccuracy(meta);
  if (!has(META_V1.latent) || (meta[META_V1.latent] !== 'true' && meta[META_V1.latent] !== 'false')) {
    throw new ModelFileError('metadata', `__metadata__ latent must be 'true' or 'false'`);
  }
  const hasLatent = meta[META_V1.latent] === 'true';
  if (hasLatent && config.precision !== 'binary') {
    throw new ModelFileError('metadata', 'a full-precision model has no latent weights, but latent is true');
  }

  const stored = metadataJson(meta, META_V1.architecture, ArchitectureSchemaV1, 'architecture');
  const arch = architectureFor(config, dataset.classNames.length);
  const diff = firstDifference(stored, describeArchitectureV1(arch, config));
  if (diff) throw new ModelFileError('architecture', `the stored architecture differs from the one its config implies: ${diff}`);

  const plan = tensorPlanV1(arch, config, hasLatent);
  const planned = new Set(plan.map((e) => e.name));
  for (const e of plan) requireTensor(file, e.name, e.dtype, e.shape);
  for (const tensorName of file.tensors.keys()) {
    if (!planned.has(tensorName)) throw new ModelFileError('unexpected_tensor', `unexpected tensor '${tensorName}'`);
  }
  checkValues(file, arch);

  const floats = (tensorName: string): Float32Array => requireTensor(file, tensorName, 'F32').data;
  const binary: BinaryConvWeights[] = binaryConvOps(arch).map((op) => {
    const bits = requireTensor(file, op.weight, 'U8').data;
    const pad = firstNonZeroPaddingByte(bits, op.cin);
    if (pad >= 0) {
      throw new ModelFileError('padding_bits', `tensor '${op.weight}' has non-zero padding bits (past channel ${op.cin - 1}) in byte ${pad}`);
    }
    const scaleName = scaleTensorName(op.name);
    return {
      name: op.name,
      weight: op.weight,
      shape: [op.kernel, op.kernel, op.cin, op.cout],
      signs: unpackBytesToSigns(bits, op.kernel, op.kernel, op.cin, op.cout),
      scale: file.tensors.has(scaleName) ? floats(scaleName) : null,
    };
  });
  return assembleImported({
    formatVersion: VERSION_1,
    config,
    arch,
    dataset,
    testAccuracy,
    binary,
    floats,
    latent: hasLatent ? (weight) => floats(`${LATENT_PREFIX}${weight}`) : null,
  });
}

/** Values the forward pass cannot use: negative BN variances and negative binary scales. */
function checkValues(file: SafetensorsFile, arch: Architecture): void {
  const negative = (tensorName: string, what: string): void => {
    const data = requireTensor(file, tensorName, 'F32').data;
    const i = firstNegative(data);
    if (i >= 0) throw new ModelFileError('bad_value', `tensor '${tensorName}' holds a negative ${what} (${data[i]}) at element ${i}`);
  };
  for (const op of arch.ops) {
    if (op.op === 'batchnorm') negative(op.variance, 'variance');
    if (op.op === 'conv2d' && op.binary && file.tensors.has(scaleTensorName(op.name))) negative(scaleTensorName(op.name), 'scale');
  }
}
