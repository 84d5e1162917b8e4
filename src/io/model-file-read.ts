import type { z } from 'zod';
import { inputShapeOf, type RunConfig } from '../bnn/config';
import type { Architecture } from '../bnn/model/architecture';
import { fixedWeightsSnapshot, type BinaryConvWeights } from '../bnn/model/binary-weights';
import type { ParamSnapshot } from '../bnn/model/params';
import { SafetensorsError, parseMetadataJson, type SafetensorsFile } from './safetensors';
import { ModelFileError } from './model-file-error';
import { META, TestAccuracySchema, type DatasetInfo } from './model-file-format';

/** What importModel returns, whatever the file's format version. */
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

export type MetadataCode = 'config' | 'dataset' | 'architecture' | 'metadata';

/** A `__metadata__` value holding JSON, parsed strictly and checked against `schema`. */
export function metadataJson<S extends z.ZodType>(meta: SafetensorsFile['metadata'], key: string, schema: S, code: MetadataCode): z.output<S> {
  try {
    return parseMetadataJson(meta, key, schema);
  } catch (error) {
    if (error instanceof SafetensorsError) throw new ModelFileError(code, error.message.replace(/^safetensors: /, ''), { cause: error });
    throw error;
  }
}

export function readTestAccuracy(meta: SafetensorsFile['metadata']): number | null {
  return metadataJson(meta, META.testAccuracy, TestAccuracySchema, 'metadata');
}

/** The dataset entry must describe the config's dataset: its name, input shape and channel count. */
export function checkDataset(dataset: DatasetInfo, config: RunConfig): void {
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
}

/** Index of the first negative value, or −1. */
export function firstNegative(data: Float32Array): number {
  return data.findIndex((v) => v < 0);
}

/**
 * The ImportedModel of a checked file: `floats` gives every non-binary parameter by name,
 * `latent` (when the file has them) every binary conv's latent weight.
 */
export function assembleImported(parts: {
  formatVersion: number;
  config: RunConfig;
  arch: Architecture;
  dataset: DatasetInfo;
  testAccuracy: number | null;
  binary: BinaryConvWeights[];
  floats: (param: string) => Float32Array;
  latent: ((weight: string) => Float32Array) | null;
}): ImportedModel {
  const { config, arch, binary } = parts;
  const binaryWeights = new Set(binary.map((b) => b.weight));
  const common: ParamSnapshot = {};
  for (const p of arch.params) {
    if (!binaryWeights.has(p.name)) common[p.name] = { shape: [...p.shape], data: parts.floats(p.name) };
  }
  let snapshot: ParamSnapshot | null = null;
  if (config.precision === 'full') snapshot = common;
  else if (parts.latent) {
    snapshot = { ...common };
    for (const b of binary) snapshot[b.weight] = { shape: [...b.shape], data: parts.latent(b.weight) };
  }
  return {
    formatVersion: parts.formatVersion,
    config,
    arch,
    dataset: parts.dataset,
    classNames: [...parts.dataset.classNames],
    testAccuracy: parts.testAccuracy,
    hasLatent: parts.latent !== null,
    binary,
    inferenceSnapshot: fixedWeightsSnapshot(common, binary),
    snapshot,
  };
}
