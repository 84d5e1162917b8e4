import { z } from 'zod';
import { inputShapeOf, parseRunConfig, type RunConfig } from '../bnn/config';
import type { Architecture } from '../bnn/model/architecture';
import { FixedWeightsModel, binaryConvOps, fixedWeightsSnapshot, type BinaryConvWeights } from '../bnn/model/binary-weights';
import { architectureFor } from '../bnn/model/model';
import type { ParamSnapshot } from '../bnn/model/params';
import {
  SafetensorsError,
  parseMetadataJson,
  readSafetensors,
  requireTensor,
  type SafetensorsFile,
} from './safetensors';
import { firstNonZeroPaddingByte, unpackBytesToSigns } from './model-file-bits';
import { ModelFileError } from './model-file-error';
import {
  ArchitectureSchema,
  DatasetSchema,
  FORMAT_NAME,
  FORMAT_VERSION,
  META,
  TestAccuracySchema,
  describeArchitecture,
  firstDifference,
  scaleTensorName,
  tensorPlan,
  type DatasetInfo,
} from './model-file-format';

export interface ImportedModel {
  formatVersion: number;
  config: RunConfig;
  /** Rebuilt from the config; equal to the op list stored in the file. */
  arch: Architecture;
  dataset: DatasetInfo;
  classNames: string[];
  testAccuracy: number | null;
  /** The file holds the binary convs' latent float weights. */
  hasLatent: boolean;
  /** Signs and scale of every binary conv, in op order: the file's bits. */
  binary: BinaryConvWeights[];
  /**
   * Every parameter with Bw = signs · scale at the binary conv weights; run it with
   * createInferenceModel (it reproduces the exported model's predictions exactly).
   */
  inferenceSnapshot: ParamSnapshot;
  /**
   * Latent parameters for BnnModel.fromSnapshot (resuming training): present for a
   * full-precision model or a binary one exported with latent weights, else null.
   */
  snapshot: ParamSnapshot | null;
}

export interface ImportOptions {
  /** Refuse larger files (default: the safetensors reader's 256 MiB). */
  maxBytes?: number;
}

/**
 * Reads and validates an exported model file. Nothing is returned unless everything checks out:
 * safetensors structure, no NaN/Inf, format name and version, config, dataset, the stored op
 * list equal to the one the config implies, every tensor present with its dtype and shape and
 * none extra, packed padding bits zero, BN variances ≥ 0, scales ≥ 0. Throws only ModelFileError.
 */
export function importModel(bytes: Uint8Array | ArrayBuffer, options: ImportOptions = {}): ImportedModel {
  try {
    return readModel(bytes, options);
  } catch (error) {
    if (error instanceof SafetensorsError) {
      const code = error.code === 'missing_tensor' || error.code === 'tensor_mismatch' ? error.code : (`safetensors_${error.code}` as const);
      throw new ModelFileError(code, error.message.replace(/^safetensors: /, ''), { cause: error });
    }
    throw error;
  }
}

/** A model that evaluates the file's exact binary weights through the ordinary forward pass. */
export function createInferenceModel(m: ImportedModel): FixedWeightsModel {
  return FixedWeightsModel.fromSnapshot(m.config, m.arch, m.inferenceSnapshot);
}

function readModel(bytes: Uint8Array | ArrayBuffer, options: ImportOptions): ImportedModel {
  const file = readSafetensors(bytes, { rejectNonFinite: true, copy: true, maxBytes: options.maxBytes });
  const meta = file.metadata;
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(meta, key);

  if (!has(META.format) || meta[META.format] !== FORMAT_NAME) {
    const found = has(META.format) ? `'${meta[META.format]}'` : 'missing';
    throw new ModelFileError('not_model_file', `not a BNN Playground model: __metadata__ format is ${found}, expected '${FORMAT_NAME}'`);
  }
  if (!has(META.version) || meta[META.version] !== String(FORMAT_VERSION)) {
    const found = has(META.version) ? `'${meta[META.version]}'` : 'missing';
    throw new ModelFileError('format_version', `unsupported format version ${found}; this app reads version ${FORMAT_VERSION}`);
  }

  const rawConfig = metadataJson(meta, META.config, z.unknown(), 'config');
  const parsed = parseRunConfig(rawConfig);
  if (!parsed.ok) throw new ModelFileError('config', `the run config is invalid: ${parsed.error}`);
  const config = parsed.config;

  const dataset = metadataJson(meta, META.dataset, DatasetSchema, 'dataset') as DatasetInfo;
  const shape = inputShapeOf(config.dataset);
  if (dataset.name !== config.dataset) {
    throw new ModelFileError('dataset', `dataset is '${dataset.name}' but the config trains on '${config.dataset}'`);
  }
  if (dataset.inputShape.join(',') !== shape.join(',')) {
    throw new ModelFileError('dataset', `input shape [${dataset.inputShape}] does not match ${config.dataset}'s [${shape}]`);
  }
  if (dataset.mean.length !== shape[2] || dataset.std.length !== shape[2]) {
    throw new ModelFileError('dataset', `mean and std need ${shape[2]} channel(s), found ${dataset.mean.length} and ${dataset.std.length}`);
  }

  const testAccuracy = metadataJson(meta, META.testAccuracy, TestAccuracySchema, 'metadata');
  if (!has(META.latent) || (meta[META.latent] !== 'true' && meta[META.latent] !== 'false')) {
    throw new ModelFileError('metadata', `__metadata__ latent must be 'true' or 'false'`);
  }
  const hasLatent = meta[META.latent] === 'true';
  if (hasLatent && config.precision !== 'binary') {
    throw new ModelFileError('metadata', 'a full-precision model has no latent weights, but latent is true');
  }

  const stored = metadataJson(meta, META.architecture, ArchitectureSchema, 'architecture');
  const arch = architectureFor(config, dataset.classNames.length);
  const diff = firstDifference(stored, describeArchitecture(arch, config));
  if (diff) throw new ModelFileError('architecture', `the stored architecture differs from the one its config implies: ${diff}`);

  const plan = tensorPlan(arch, config, hasLatent);
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
  const binaryWeights = new Set(binary.map((b) => b.weight));
  const common: ParamSnapshot = {};
  for (const p of arch.params) {
    if (!binaryWeights.has(p.name)) common[p.name] = { shape: [...p.shape], data: floats(p.name) };
  }
  let snapshot: ParamSnapshot | null = null;
  if (config.precision === 'full') snapshot = common;
  else if (hasLatent) {
    snapshot = { ...common };
    for (const b of binary) snapshot[b.weight] = { shape: [...b.shape], data: floats(`latent.${b.weight}`) };
  }

  return {
    formatVersion: FORMAT_VERSION,
    config,
    arch,
    dataset,
    classNames: [...dataset.classNames],
    testAccuracy,
    hasLatent,
    binary,
    inferenceSnapshot: fixedWeightsSnapshot(common, binary),
    snapshot,
  };
}

function metadataJson<S extends z.ZodType>(
  meta: SafetensorsFile['metadata'],
  key: string,
  schema: S,
  code: 'config' | 'dataset' | 'architecture' | 'metadata',
): z.output<S> {
  try {
    return parseMetadataJson(meta, key, schema);
  } catch (error) {
    if (error instanceof SafetensorsError) throw new ModelFileError(code, error.message.replace(/^safetensors: /, ''), { cause: error });
    throw error;
  }
}

/** Values the forward pass cannot use: negative BN variances and negative binary scales. */
function checkValues(file: SafetensorsFile, arch: Architecture): void {
  const negative = (tensorName: string, what: string): void => {
    const data = requireTensor(file, tensorName, 'F32').data;
    const i = data.findIndex((v) => v < 0);
    if (i >= 0) throw new ModelFileError('bad_value', `tensor '${tensorName}' holds a negative ${what} (${data[i]}) at element ${i}`);
  };
  for (const op of arch.ops) {
    if (op.op === 'batchnorm') negative(op.variance, 'variance');
    if (op.op === 'conv2d' && op.binary && file.tensors.has(scaleTensorName(op.name))) negative(scaleTensorName(op.name), 'scale');
  }
}
