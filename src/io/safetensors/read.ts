import { SafetensorsError } from './error';
import {
  HOST_IS_LITTLE_ENDIAN,
  SAFETENSORS_DTYPES,
  swapByteOrder,
  type SafeTensor,
} from './dtypes';
import { parseSafetensorsHeader, type HeaderEntry } from './header';

/** Default refusal threshold for whole files; exported runs are a few MB at most. */
export const DEFAULT_MAX_SAFETENSORS_BYTES = 256 * 1024 * 1024;
/** The reference implementation's cap on the JSON header. */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

export interface ReadSafetensorsOptions {
  /** Refuse files larger than this many bytes (default 256 MiB). */
  readonly maxBytes?: number;
  /** Refuse NaN or ±Infinity in any float tensor (F64, F32, F16, BF16). */
  readonly rejectNonFinite?: boolean;
  /**
   * Always copy tensor data into fresh buffers. By default tensors are views into the
   * input where alignment allows, so they change if the caller mutates the input.
   */
  readonly copy?: boolean;
}

export interface SafetensorsFile {
  /** Tensors by name, in data-offset order. */
  readonly tensors: ReadonlyMap<string, SafeTensor>;
  /** `__metadata__` as a prototype-free string map (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Reads a safetensors file, validating everything (sizes, header JSON, dtypes, shapes,
 * offsets, optionally finiteness) before returning. Throws only SafetensorsError.
 */
export function readSafetensors(input: Uint8Array | ArrayBuffer, options: ReadSafetensorsOptions = {}): SafetensorsFile {
  const bytes = toUint8Array(input);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SAFETENSORS_BYTES;
  if (bytes.length > maxBytes) {
    throw new SafetensorsError('file_too_large', `file is ${bytes.length} bytes, over the ${maxBytes}-byte limit`);
  }
  if (bytes.length < 8) {
    throw new SafetensorsError('file_too_small', `file is ${bytes.length} bytes, too short to hold the 8-byte header length`);
  }
  const headerLength = readHeaderLength(bytes);
  const dataStart = 8 + headerLength;
  // TextDecoder refuses views of shared memory, so such headers are copied first.
  const headerBytes = bytes.buffer instanceof ArrayBuffer ? bytes.subarray(8, dataStart) : bytes.slice(8, dataStart);
  const header = parseSafetensorsHeader(headerBytes, bytes.length - dataStart);
  const data = bytes.subarray(dataStart);
  const tensors = new Map<string, SafeTensor>();
  for (const entry of header.entries) {
    const tensor = materialize(entry, data, options.copy === true);
    if (options.rejectNonFinite === true) checkFinite(entry.name, tensor);
    tensors.set(entry.name, tensor);
  }
  return { tensors, metadata: header.metadata };
}

function toUint8Array(input: Uint8Array | ArrayBuffer): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  throw new SafetensorsError('invalid_input', 'input must be a Uint8Array or an ArrayBuffer');
}

function readHeaderLength(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const available = bytes.length - 8;
  if (high !== 0 || low > MAX_SAFETENSORS_HEADER_BYTES) {
    const length = BigInt(high) * 2n ** 32n + BigInt(low);
    throw new SafetensorsError(
      'header_length',
      `header length ${length} exceeds the ${MAX_SAFETENSORS_HEADER_BYTES}-byte limit`,
    );
  }
  if (low < 2) throw new SafetensorsError('header_length', `header length ${low} is too small to hold a JSON object`);
  if (low > available) {
    throw new SafetensorsError(
      'header_length',
      `header length ${low} runs past the end of the file (only ${available} bytes follow the length field)`,
    );
  }
  return low;
}

/** Wraps an entry's bytes in its typed array: a view when aligned, otherwise a copy. */
function materialize(entry: HeaderEntry, data: Uint8Array, forceCopy: boolean): SafeTensor {
  const { bytes: elementBytes, array } = SAFETENSORS_DTYPES[entry.dtype];
  const length = (entry.end - entry.begin) / elementBytes;
  const absoluteOffset = data.byteOffset + entry.begin;
  const TypedArray = array as unknown as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => SafeTensor['data'];
  let values: SafeTensor['data'];
  if (!forceCopy && HOST_IS_LITTLE_ENDIAN && absoluteOffset % elementBytes === 0) {
    values = new TypedArray(data.buffer, absoluteOffset, length);
  } else {
    // new Uint8Array(view) always copies; a Node Buffer's slice() would return a view instead.
    const copy = new Uint8Array(data.subarray(entry.begin, entry.end));
    if (!HOST_IS_LITTLE_ENDIAN) swapByteOrder(copy, elementBytes);
    values = new TypedArray(copy.buffer, 0, length);
  }
  return { dtype: entry.dtype, shape: entry.shape, data: values } as SafeTensor;
}

function checkFinite(name: string, tensor: SafeTensor): void {
  const index = firstNonFiniteIndex(tensor);
  if (index < 0) return;
  const kind = describeNonFinite(tensor, index);
  throw new SafetensorsError('non_finite', `tensor '${name}' (${tensor.dtype}) contains ${kind} at element ${index}`);
}

/** Exponent-all-ones masks: such a 16-bit pattern is NaN or ±Infinity. */
const HALF_EXPONENT_MASK = { F16: 0x7c00, BF16: 0x7f80 } as const;

function firstNonFiniteIndex(tensor: SafeTensor): number {
  switch (tensor.dtype) {
    case 'F32':
    case 'F64': {
      const values = tensor.data;
      for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
      return -1;
    }
    case 'F16':
    case 'BF16': {
      const mask = HALF_EXPONENT_MASK[tensor.dtype];
      const bits = tensor.data;
      for (let i = 0; i < bits.length; i++) if ((bits[i] & mask) === mask) return i;
      return -1;
    }
    default:
      return -1;
  }
}

function describeNonFinite(tensor: SafeTensor, index: number): string {
  if (tensor.dtype === 'F32' || tensor.dtype === 'F64') return Number.isNaN(tensor.data[index]) ? 'NaN' : 'an infinity';
  if (tensor.dtype === 'F16') return (tensor.data[index] & 0x03ff) !== 0 ? 'NaN' : 'an infinity';
  if (tensor.dtype === 'BF16') return (tensor.data[index] & 0x007f) !== 0 ? 'NaN' : 'an infinity';
  return 'a non-finite value';
}
