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
import { DatasetSchema, TestAccuracySchema, hasBinaryScale, type DatasetInfo } from './model-file-format';
import { BITS_TENSOR, LATENT_TENSOR, PARAMS_TENSOR, fileLayout, type FileLayout } from './model-file-layout';
import { metadataV2 } from './model-file-v2';

export interface ExportInput {
  config: RunConfig;
  /** Every parameter of the model (latent float weights for binary convs). */
  params: ParamSnapshot;
  dataset: DatasetInfo;
  /** Test-split accuracy in [0, 1], or null when the run was never evaluated. */
  testAccuracy: number | null;
  /** Also store the binary convs' latent float weights (the `latent` tensor) so training can resume. */
  includeLatent?: boolean;
  /**
   * The binary weights to write. Default: computed from `params` with the config's weight
   * transform on the active backend, i.e. exactly what the forward pass uses. Pass an imported
   * file's weights to re-export it unchanged.
   */
  binary?: readonly BinaryConvWeights[];
}

/** A file's size and what it is made of. */
export interface FileSize {
  /** Size of the .safetensors file: 8 bytes of header length, the header, the data. */
  bytes: number;
  /** JSON header including its padding. */
  headerBytes: number;
  /** Tensor data. */
  dataBytes: number;
}

export interface ExportSize extends FileSize {
  /** Every parameter as float32: tensor data only, no header. */
  float32Bytes: number;
  /**
   * The full-precision export of the same architecture (same config with precision 'full'):
   * what the binary file is compared with, file against file.
   */
  fullPrecision: FileSize;
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
 * Writes one .safetensors model file, format version 2 (docs/EXPORT_FORMAT.md): the packed sign
 * bits of every binary conv in the U8 tensor `bits`, every float parameter (binary scales
 * included) in the F32 tensor `params`, optionally the latent weights in `latent`, and
 * `__metadata__` with the op list, config, dataset and accuracy.
 */
export async function exportModel(input: ExportInput): Promise<Uint8Array> {
  const { arch, metadata, layout } = prepare(input);
  const binary =
    input.binary ??
    (input.config.precision === 'binary'
      ? await binaryWeightsFromSnapshot(arch, input.params, getWeightTransform(input.config.weightTransform))
      : []);
  const byWeight = checkBinary(arch, input.config, binary);
  return writeSafetensors(tensorsOf(layout, input.params, byWeight), metadata);
}

/**
 * The exact size exportModel will produce for the same inputs (the weights' values do not
 * change it), with the float32 size of the parameters and the size of the full-precision export
 * of the same architecture for comparison.
 */
export function predictExportSize(input: Omit<ExportInput, 'params' | 'binary'>): ExportSize {
  const own = fileSize(input);
  const fullPrecision = input.config.precision === 'full' ? own : fileSize({ ...input, config: { ...input.config, precision: 'full' }, includeLatent: false });
  return { ...own, float32Bytes: float32Bytes(architectureFor(input.config, input.dataset.classNames.length)), fullPrecision };
}

function fileSize(input: Omit<ExportInput, 'params' | 'binary'>): FileSize {
  const { metadata, layout } = prepare(input);
  const tensors = new Map<string, SafeTensor>();
  const { params, bits, latent } = layout.lengths;
  tensors.set(PARAMS_TENSOR, { dtype: 'F32', shape: [params], data: new Float32Array(params) });
  if (bits > 0) tensors.set(BITS_TENSOR, { dtype: 'U8', shape: [bits], data: new Uint8Array(bits) });
  if (latent > 0) tensors.set(LATENT_TENSOR, { dtype: 'F32', shape: [latent], data: new Float32Array(latent) });
  const bytes = writeSafetensors(tensors, metadata).length;
  const dataBytes = 4 * (params + latent) + bits;
  return { bytes, headerBytes: bytes - 8 - dataBytes, dataBytes };
}

/** Every parameter of the architecture as float32. */
export function float32Bytes(arch: Architecture): number {
  return 4 * arch.params.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0);
}

function prepare(input: Omit<ExportInput, 'params' | 'binary'>): { arch: Architecture; metadata: Record<string, string>; layout: FileLayout } {
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
  return {
    arch,
    metadata: metadataV2(arch, config, dataset, input.testAccuracy),
    layout: fileLayout(arch, hasBinaryScale(config), latent),
  };
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

/** The file's tensors: every segment of the layout copied into its place. */
function tensorsOf(layout: FileLayout, params: ParamSnapshot, binary: ReadonlyMap<string, BinaryConvWeights>): Map<string, SafeTensor> {
  const byOp = new Map([...binary.values()].map((b) => [b.name, b]));
  const floats = new Float32Array(layout.lengths.params);
  const bits = new Uint8Array(layout.lengths.bits);
  const latent = new Float32Array(layout.lengths.latent);
  for (const s of layout.segments) {
    if (s.role === 'bits' || s.role === 'scale') {
      const b = byOp.get(s.op);
      if (!b) throw new Error(`export: no binary weights for '${s.op}'`);
      if (s.role === 'scale') floats.set(b.scale as Float32Array, s.offset);
      else bits.set(packSignsToBytes(b.signs, ...b.shape), s.offset);
      continue;
    }
    const p = params[s.name];
    if (!p) throw new Error(`export: the parameters lack '${s.name}'`);
    if (p.shape.join(',') !== s.shape.join(',')) throw new Error(`export: '${s.name}' has shape [${p.shape}], expected [${s.shape}]`);
    const bad = p.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`export: '${s.name}' holds a non-finite value at element ${bad}`);
    (s.role === 'latent' ? latent : floats).set(p.data, s.offset);
  }
  const tensors = new Map<string, SafeTensor>([[PARAMS_TENSOR, { dtype: 'F32', shape: [floats.length], data: floats }]]);
  if (bits.length > 0) tensors.set(BITS_TENSOR, { dtype: 'U8', shape: [bits.length], data: bits });
  if (latent.length > 0) tensors.set(LATENT_TENSOR, { dtype: 'F32', shape: [latent.length], data: latent });
  return tensors;
}
