import { z } from 'zod';
import type { RunConfig } from '../bnn/config';
import type { Architecture } from '../bnn/model/architecture';
import type { BinaryConvWeights } from '../bnn/model/binary-weights';
import { architectureFor } from '../bnn/model/model';
import { requireTensor, type SafetensorsFile } from './safetensors';
import { firstNonZeroPaddingByte, unpackBytesToSigns } from './model-file-bits';
import { configDiff, configFromDiff } from './model-file-config';
import { ModelFileError } from './model-file-error';
import { DatasetSchema, FORMAT_NAME, META, hasBinaryScale, type DatasetInfo } from './model-file-format';
import { BITS_TENSOR, LATENT_TENSOR, PARAMS_TENSOR, fileLayout, type FileLayout, type Segment } from './model-file-layout';
import { OpsSyntaxError, encodeOps, firstOpDifference, opLinesOf, parseOps, type OpLine } from './model-file-ops';
import { assembleImported, checkDataset, firstNegative, metadataJson, readTestAccuracy, type ImportedModel } from './model-file-read';

/**
 * Version 2 of the model file (docs/EXPORT_FORMAT.md): the compact op list (model-file-ops.ts),
 * the config as its differences from a fixed baseline (model-file-config.ts), and the
 * parameters in three concatenated tensors (model-file-layout.ts).
 */
export const VERSION_2 = 2;

/** `__metadata__` keys only version 2 has. */
export const META_V2 = { ops: 'ops' } as const;

/** The complete `__metadata__` of a version-2 file. */
export function metadataV2(arch: Architecture, config: RunConfig, dataset: DatasetInfo, testAccuracy: number | null): Record<string, string> {
  return {
    [META.format]: FORMAT_NAME,
    [META.version]: String(VERSION_2),
    [META_V2.ops]: encodeOps(opLinesOf(arch, hasBinaryScale(config))),
    [META.config]: JSON.stringify(configDiff(config)),
    [META.dataset]: JSON.stringify({
      name: dataset.name,
      inputShape: dataset.inputShape,
      mean: dataset.mean,
      std: dataset.std,
      classNames: dataset.classNames,
    }),
    [META.testAccuracy]: JSON.stringify(testAccuracy),
  };
}

const KNOWN_TENSORS = new Set<string>([PARAMS_TENSOR, BITS_TENSOR, LATENT_TENSOR]);

/** Reads a version-2 file whose container, format and version were checked; throws ModelFileError. */
export function readVersion2(file: SafetensorsFile): ImportedModel {
  const meta = file.metadata;
  const dataset = metadataJson(meta, META.dataset, DatasetSchema, 'dataset') as DatasetInfo;
  const parsed = configFromDiff(metadataJson(meta, META.config, z.unknown(), 'config'), dataset.name);
  if (!parsed.ok) throw new ModelFileError('config', `the run config is invalid: ${parsed.error}`);
  const config = parsed.config;
  checkDataset(dataset, config);
  const testAccuracy = readTestAccuracy(meta);

  if (!Object.prototype.hasOwnProperty.call(meta, META_V2.ops)) throw new ModelFileError('architecture', `__metadata__ has no '${META_V2.ops}' entry`);
  let stored: OpLine[];
  try {
    stored = parseOps(meta[META_V2.ops]);
  } catch (error) {
    if (error instanceof OpsSyntaxError) throw new ModelFileError('architecture', `the op list is malformed: ${error.message}`, { cause: error });
    throw error;
  }
  const arch = architectureFor(config, dataset.classNames.length);
  const diff = firstOpDifference(stored, opLinesOf(arch, hasBinaryScale(config)));
  if (diff) throw new ModelFileError('architecture', `the op list differs from the one its config implies: ${diff}`);

  for (const name of file.tensors.keys()) {
    if (!KNOWN_TENSORS.has(name)) throw new ModelFileError('unexpected_tensor', `unexpected tensor '${name}' (a version-2 file holds only params, bits and latent)`);
  }
  const hasLatent = file.tensors.has(LATENT_TENSOR);
  if (hasLatent && config.precision !== 'binary') {
    throw new ModelFileError('unexpected_tensor', "unexpected tensor 'latent': a full-precision model has no latent weights");
  }
  const layout = fileLayout(arch, hasBinaryScale(config), hasLatent);
  const data = tensorsOf(file, layout);
  checkValues(arch, layout, data);

  const byName = (tensor: 'params' | 'latent'): Map<string, Float32Array> =>
    new Map(
      layout.segments
        .filter((s) => s.tensor === tensor)
        .map((s) => [s.name, (data[tensor] as Float32Array).slice(s.offset, s.offset + s.length)] as const),
    );
  const floats = byName(PARAMS_TENSOR);
  const latents = byName(LATENT_TENSOR);
  const binary: BinaryConvWeights[] = layout.segments
    .filter((s) => s.role === 'bits')
    .map((s) => {
      const [cout, k] = s.shape;
      const op = arch.ops.find((o) => o.name === s.op);
      const cin = op && op.op === 'conv2d' ? op.cin : 0;
      return {
        name: s.op,
        weight: s.name,
        shape: [k, k, cin, cout],
        signs: unpackBytesToSigns(data.bits!.subarray(s.offset, s.offset + s.length), k, k, cin, cout),
        scale: floats.get(`${s.op}.scale`) ?? null,
      };
    });
  return assembleImported({
    formatVersion: VERSION_2,
    config,
    arch,
    dataset,
    testAccuracy,
    binary,
    floats: (param) => floats.get(param) as Float32Array,
    latent: hasLatent ? (weight) => latents.get(weight) as Float32Array : null,
  });
}

interface TensorData {
  params: Float32Array;
  bits: Uint8Array | null;
  latent: Float32Array | null;
}

/** Each tensor the layout needs, with its dtype and length; a tensor it does not need is refused. */
function tensorsOf(file: SafetensorsFile, layout: FileLayout): TensorData {
  const { lengths } = layout;
  if (lengths.bits === 0 && file.tensors.has(BITS_TENSOR)) {
    throw new ModelFileError('unexpected_tensor', "unexpected tensor 'bits': the op list has no binary conv");
  }
  return {
    params: requireTensor(file, PARAMS_TENSOR, 'F32', [lengths.params]).data,
    bits: lengths.bits > 0 ? requireTensor(file, BITS_TENSOR, 'U8', [lengths.bits]).data : null,
    latent: lengths.latent > 0 ? requireTensor(file, LATENT_TENSOR, 'F32', [lengths.latent]).data : null,
  };
}

/** Values the forward pass cannot use: padding bits set, negative BN variances or binary scales. */
function checkValues(arch: Architecture, layout: FileLayout, data: TensorData): void {
  const variances = new Set(arch.ops.flatMap((op) => (op.op === 'batchnorm' ? [op.variance] : [])));
  const cinOf = new Map(arch.ops.flatMap((op) => (op.op === 'conv2d' ? [[op.name, op.cin] as const] : [])));
  const where = (s: Segment, i: number): string => `'${s.name}' (element ${s.offset + i} of '${s.tensor}')`;
  for (const s of layout.segments) {
    if (s.role === 'bits') {
      const cin = cinOf.get(s.op) as number;
      const pad = firstNonZeroPaddingByte(data.bits!.subarray(s.offset, s.offset + s.length), cin);
      if (pad >= 0) throw new ModelFileError('padding_bits', `${where(s, pad)} has non-zero padding bits (past channel ${cin - 1})`);
      continue;
    }
    const what = s.role === 'scale' ? 'scale' : variances.has(s.name) ? 'variance' : null;
    if (what === null) continue;
    const values = data.params.subarray(s.offset, s.offset + s.length);
    const i = firstNegative(values);
    if (i >= 0) throw new ModelFileError('bad_value', `${where(s, i)} holds a negative ${what} (${values[i]})`);
  }
}
