import { FixedWeightsModel } from '../bnn/model/binary-weights';
import { SafetensorsError, readSafetensors } from './safetensors';
import { ModelFileError } from './model-file-error';
import { FORMAT_NAME, META, READABLE_VERSIONS } from './model-file-format';
import type { ImportedModel } from './model-file-read';
import { readVersion1 } from './model-file-v1';
import { readVersion2 } from './model-file-v2';

export type { ImportedModel } from './model-file-read';

export interface ImportOptions {
  /** Refuse larger files (default: the safetensors reader's 256 MiB). */
  maxBytes?: number;
}

/**
 * Reads and validates an exported model file of any readable version. Nothing is returned unless
 * everything checks out: safetensors structure, a header padded with spaces to a multiple of 8
 * bytes, no NaN/Inf, format name and version, config, dataset, the stored op list equal to the
 * one the config implies, every tensor present with its dtype and shape and none extra, packed
 * padding bits zero, BN variances ≥ 0, scales ≥ 0. Throws only ModelFileError.
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

function readModel(input: Uint8Array | ArrayBuffer, options: ImportOptions): ImportedModel {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const file = readSafetensors(bytes, { rejectNonFinite: true, copy: true, maxBytes: options.maxBytes });
  checkHeaderPadding(bytes);
  const meta = file.metadata;
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(meta, key);
  if (!has(META.format) || meta[META.format] !== FORMAT_NAME) {
    const found = has(META.format) ? `'${meta[META.format]}'` : 'missing';
    throw new ModelFileError('not_model_file', `not a BNN Playground model: __metadata__ format is ${found}, expected '${FORMAT_NAME}'`);
  }
  const version = has(META.version) ? meta[META.version] : null;
  if (version === '1') return readVersion1(file);
  if (version === '2') return readVersion2(file);
  throw new ModelFileError(
    'format_version',
    `unsupported format version ${version === null ? 'missing' : `'${version}'`}; this app reads versions ${READABLE_VERSIONS.join(' and ')}`,
  );
}

/**
 * The header (already valid JSON) fills a multiple of 8 bytes and ends in its closing brace and
 * spaces only, so the data starts 8-byte aligned for zero-copy readers.
 */
function checkHeaderPadding(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const length = view.getUint32(0, true);
  if (length % 8 !== 0) throw new ModelFileError('header_padding', `the header is ${length} bytes; it must be padded with spaces to a multiple of 8`);
  let end = 8 + length;
  while (end > 8 && bytes[end - 1] === 0x20) end--;
  if (bytes[end - 1] !== 0x7d) throw new ModelFileError('header_padding', 'the header must end with its JSON object padded by spaces (0x20) only');
}
