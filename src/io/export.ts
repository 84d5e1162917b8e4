import { isDatasetName } from '../data/catalog';
import type { RunConfig } from '../bnn/config';
import { inputShapeOf } from '../bnn/config';
import type { Architecture } from '../bnn/model/architecture';
import { binaryConvOps, binaryWeightsFromSnapshot, type BinaryConvWeights } from '../bnn/model/binary-weights';
import { architectureFor } from '../bnn/model/model';
import type { ParamSnapshot } from '../bnn/model/params';
import { getWeightTransform } from '../bnn/quantizers/registry';
import type { ImageDataset } from '../data/dataset';
import { writeSafetensors, type SafeTensor } from './safetensors';
import { packSignsToBytes } from './model-file-bits';
import {
  DatasetSchema,
  FORMAT_NAME,
  FORMAT_VERSION,
  META,
  TestAccuracySchema,
  describeArchitecture,
  hasBinaryScale,
  tensorPlan,
  type DatasetInfo,
  type TensorPlanEntry,
} from './model-file-format';

export interface ExportInput {
  config: RunConfig;
  /** Every parameter of the model (latent float weights for binary convs). */
  params: ParamSnapshot;
  dataset: DatasetInfo;
  /** Test-split accuracy in [0, 1], or null when the run was never evaluated. */
  testAccuracy: number | null;
  /** Also store the binary convs' latent float weights (`latent.*`) so training can resume. */
  includeLatent?: boolean;
  /**
   * The binary weights to write. Default: computed from `params` with the config's weight
   * transform on the active backend, i.e. exactly what the forward pass uses. Pass an imported
   * file's weights to re-export it unchanged.
   */
  binary?: readonly BinaryConvWeights[];
}

export interface ExportSize {
  /** Size of the .safetensors file. */
  bytes: number;
  /** JSON header including its padding. */
  headerBytes: number;
  /** Tensor data. */
  dataBytes: number;
  /** Every parameter as float32, for comparison (the summary's float32 size). */
  float32Bytes: number;
}

/** Dataset part of the metadata, from a loaded dataset. */
export function datasetInfoOf(ds: ImageDataset): DatasetInfo {
  const name = ds.name;
  if (!isDatasetName(name)) throw new Error(`export: unknown dataset '${name}'`);
  return {
    name,
    inputShape: [ds.height, ds.width, ds.channels],
    mean: Array.from(ds.mean),
    std: Array.from(ds.std),
    classNames: [...ds.classNames],
  };
}

/**
 * Writes one .safetensors model file (docs/EXPORT_FORMAT.md): binary conv weights as packed
 * bits (U8) plus their per-out-channel scale, every other parameter as F32, optional latent
 * weights, and `__metadata__` with the format, architecture, config, dataset and accuracy.
 */
export async function exportModel(input: ExportInput): Promise<Uint8Array> {
  const { arch, metadata, plan } = prepare(input);
  const binary =
    input.binary ??
    (input.config.precision === 'binary'
      ? await binaryWeightsFromSnapshot(arch, input.params, getWeightTransform(input.config.weightTransform))
      : []);
  const byWeight = checkBinary(arch, input.config, binary);
  const tensors = new Map<string, SafeTensor>();
  for (const entry of plan) tensors.set(entry.name, tensorFor(entry, input.params, byWeight));
  return writeSafetensors(tensors, metadata);
}

/**
 * The exact size exportModel will produce for the same inputs (the weights' values do not
 * change it), with the float32 size for comparison.
 */
export function predictExportSize(input: Omit<ExportInput, 'params' | 'binary'>): ExportSize {
  const { arch, metadata, plan } = prepare(input);
  const tensors = new Map<string, SafeTensor>();
  let dataBytes = 0;
  for (const e of plan) {
    const n = e.shape.reduce((a, b) => a * b, 1);
    tensors.set(e.name, e.dtype === 'U8' ? { dtype: 'U8', shape: e.shape, data: new Uint8Array(n) } : { dtype: 'F32', shape: e.shape, data: new Float32Array(n) });
    dataBytes += e.dtype === 'U8' ? n : 4 * n;
  }
  const bytes = writeSafetensors(tensors, metadata).length;
  return { bytes, headerBytes: bytes - 8 - dataBytes, dataBytes, float32Bytes: float32Bytes(arch) };
}

/** Every parameter of the architecture as float32. */
export function float32Bytes(arch: Architecture): number {
  return 4 * arch.params.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0);
}

function prepare(input: Omit<ExportInput, 'params' | 'binary'>): {
  arch: Architecture;
  metadata: Record<string, string>;
  plan: TensorPlanEntry[];
} {
  const { config, dataset } = input;
  const ds = DatasetSchema.safeParse(dataset);
  if (!ds.success) throw new Error(`export: dataset info is invalid: ${ds.error.issues[0]?.message ?? ''}`);
  if (dataset.name !== config.dataset) throw new Error(`export: dataset '${dataset.name}' but the config trains on '${config.dataset}'`);
  const shape = inputShapeOf(config.dataset);
  if (dataset.inputShape.join(',') !== shape.join(',')) throw new Error(`export: input shape [${dataset.inputShape}] but the config implies [${shape}]`);
  if (dataset.mean.length !== shape[2] || dataset.std.length !== shape[2]) throw new Error(`export: mean/std need ${shape[2]} channels`);
  if (!TestAccuracySchema.safeParse(input.testAccuracy).success) throw new Error(`export: test accuracy ${input.testAccuracy} is not in [0, 1]`);
  const arch = architectureFor(config, dataset.classNames.length);
  const latent = input.includeLatent === true && config.precision === 'binary';
  const metadata: Record<string, string> = {
    [META.format]: FORMAT_NAME,
    [META.version]: String(FORMAT_VERSION),
    [META.architecture]: JSON.stringify(describeArchitecture(arch, config)),
    [META.config]: JSON.stringify(config),
    [META.dataset]: JSON.stringify({
      name: dataset.name,
      inputShape: dataset.inputShape,
      mean: dataset.mean,
      std: dataset.std,
      classNames: dataset.classNames,
    }),
    [META.testAccuracy]: JSON.stringify(input.testAccuracy),
    [META.latent]: String(latent),
  };
  return { arch, metadata, plan: tensorPlan(arch, config, latent) };
}

function checkBinary(arch: Architecture, config: RunConfig, binary: readonly BinaryConvWeights[]): Map<string, BinaryConvWeights> {
  const byWeight = new Map(binary.map((b) => [b.weight, b]));
  const ops = binaryConvOps(arch);
  if (binary.length !== ops.length) throw new Error(`export: ${binary.length} binary weight sets for ${ops.length} binary convs`);
  const withScale = hasBinaryScale(config);
  for (const op of ops) {
    const b = byWeight.get(op.weight);
    if (!b) throw new Error(`export: no binary weights for '${op.weight}'`);
    const n = op.kernel * op.kernel * op.cin * op.cout;
    if (b.signs.length !== n) throw new Error(`export: '${op.weight}' has ${b.signs.length} signs, expected ${n}`);
    if (withScale !== (b.scale !== null)) throw new Error(`export: '${op.weight}' scale ${withScale ? 'missing' : 'not expected'}`);
    if (b.scale && (b.scale.length !== op.cout || !b.scale.every(Number.isFinite))) throw new Error(`export: '${op.weight}' has an invalid scale`);
  }
  return byWeight;
}

function tensorFor(entry: TensorPlanEntry, params: ParamSnapshot, binary: Map<string, BinaryConvWeights>): SafeTensor {
  if (entry.role === 'packed_bits' || entry.role === 'scale') {
    const b = binary.get(entry.param) as BinaryConvWeights;
    if (entry.role === 'scale') return { dtype: 'F32', shape: entry.shape, data: Float32Array.from(b.scale as Float32Array) };
    const [kh, kw, cin, cout] = b.shape;
    return { dtype: 'U8', shape: entry.shape, data: packSignsToBytes(b.signs, kh, kw, cin, cout) };
  }
  const p = params[entry.param];
  if (!p) throw new Error(`export: the parameters lack '${entry.param}'`);
  if (p.shape.join(',') !== entry.shape.join(',')) throw new Error(`export: '${entry.param}' has shape [${p.shape}], expected [${entry.shape}]`);
  const bad = p.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`export: '${entry.param}' holds a non-finite value at element ${bad}`);
  return { dtype: 'F32', shape: entry.shape, data: Float32Array.from(p.data) };
}
