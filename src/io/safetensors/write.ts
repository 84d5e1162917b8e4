import { SafetensorsError } from './error';
import {
  HOST_IS_LITTLE_ENDIAN,
  SAFETENSORS_DTYPES,
  isSafetensorsDtype,
  swapByteOrder,
  type SafeTensor,
} from './dtypes';
import { METADATA_KEY } from './header';
import { FORBIDDEN_JSON_KEYS } from './json';
import { MAX_SAFETENSORS_HEADER_BYTES } from './read';

export type SafetensorsTensors =
  | ReadonlyMap<string, SafeTensor>
  | Iterable<readonly [string, SafeTensor]>
  | Readonly<Record<string, SafeTensor>>;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Serialises tensors and string metadata to the safetensors layout. The output is
 * canonical: `__metadata__` first with sorted keys, then tensors ordered by element
 * size (largest first) and name, so every tensor starts at a multiple of its element
 * size and the same contents always give the same bytes. The header is padded with
 * spaces so the data starts 8-byte aligned, as the reference implementation does.
 */
export function writeSafetensors(
  tensors: SafetensorsTensors,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const named = collectTensors(tensors);
  named.sort(compareForLayout);

  const headerParts: string[] = [];
  if (metadata !== undefined) headerParts.push(`${JSON.stringify(METADATA_KEY)}:${serializeMetadata(metadata)}`);
  let dataLength = 0;
  const offsets: number[] = [];
  for (const [name, tensor] of named) {
    const byteLength = tensor.data.byteLength;
    offsets.push(dataLength);
    headerParts.push(
      `${JSON.stringify(name)}:{"dtype":${JSON.stringify(tensor.dtype)},"shape":[${tensor.shape.join(',')}],` +
        `"data_offsets":[${dataLength},${dataLength + byteLength}]}`,
    );
    dataLength += byteLength;
  }
  const headerText = `{${headerParts.join(',')}}`;
  const headerUnpadded = new TextEncoder().encode(headerText);
  const headerLength = Math.ceil(headerUnpadded.length / 8) * 8;
  if (headerLength > MAX_SAFETENSORS_HEADER_BYTES) {
    throw new SafetensorsError('invalid_input', `header of ${headerLength} bytes exceeds the ${MAX_SAFETENSORS_HEADER_BYTES}-byte limit`);
  }

  const out = new Uint8Array(8 + headerLength + dataLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true); // u64 little-endian; the high word stays 0
  out.set(headerUnpadded, 8);
  out.fill(0x20, 8 + headerUnpadded.length, 8 + headerLength);
  const dataStart = 8 + headerLength;
  named.forEach(([, tensor], index) => {
    const start = dataStart + offsets[index];
    const source = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    out.set(source, start);
    if (!HOST_IS_LITTLE_ENDIAN) {
      swapByteOrder(out.subarray(start, start + source.length), SAFETENSORS_DTYPES[tensor.dtype].bytes);
    }
  });
  return out;
}

function collectTensors(tensors: SafetensorsTensors): [string, SafeTensor][] {
  const pairs: Iterable<readonly [string, SafeTensor]> =
    Symbol.iterator in tensors
      ? (tensors as Iterable<readonly [string, SafeTensor]>)
      : Object.entries(tensors as Readonly<Record<string, SafeTensor>>);
  const seen = new Set<string>();
  const named: [string, SafeTensor][] = [];
  for (const [name, tensor] of pairs) {
    checkName(name, 'tensor name');
    if (name === METADATA_KEY) throw new SafetensorsError('invalid_input', `tensor name '${METADATA_KEY}' is reserved`);
    if (seen.has(name)) throw new SafetensorsError('invalid_input', `duplicate tensor name '${name}'`);
    seen.add(name);
    checkTensor(name, tensor);
    named.push([name, tensor]);
  }
  return named;
}

function checkName(name: string, what: string): void {
  if (typeof name !== 'string') throw new SafetensorsError('invalid_input', `${what} must be a string`);
  if (FORBIDDEN_JSON_KEYS.has(name)) throw new SafetensorsError('invalid_input', `${what} '${name}' is not allowed`);
  if (LONE_SURROGATE.test(name)) throw new SafetensorsError('invalid_input', `${what} '${name}' is not valid Unicode`);
}

function checkTensor(name: string, tensor: SafeTensor): void {
  if (!isSafetensorsDtype(tensor.dtype)) {
    throw new SafetensorsError('invalid_input', `tensor '${name}': unknown dtype '${String(tensor.dtype)}'`);
  }
  const expectedArray = SAFETENSORS_DTYPES[tensor.dtype].array;
  if (!(tensor.data instanceof expectedArray)) {
    throw new SafetensorsError('invalid_input', `tensor '${name}': ${tensor.dtype} data must be a ${expectedArray.name}`);
  }
  let elements = 1;
  for (const dim of tensor.shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw new SafetensorsError('invalid_input', `tensor '${name}': shape [${tensor.shape.join(',')}] has invalid dimension ${dim}`);
    }
    elements *= dim;
  }
  if (elements !== tensor.data.length) {
    throw new SafetensorsError(
      'invalid_input',
      `tensor '${name}': shape [${tensor.shape.join(',')}] needs ${elements} elements but data has ${tensor.data.length}`,
    );
  }
}

function serializeMetadata(metadata: Readonly<Record<string, string>>): string {
  const keys = Object.keys(metadata).sort(compareCodeUnits);
  const parts = keys.map((key) => {
    checkName(key, 'metadata key');
    const value = metadata[key];
    if (typeof value !== 'string') throw new SafetensorsError('invalid_input', `metadata value for '${key}' must be a string`);
    if (LONE_SURROGATE.test(value)) throw new SafetensorsError('invalid_input', `metadata value for '${key}' is not valid Unicode`);
    return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  });
  return `{${parts.join(',')}}`;
}

function compareForLayout(a: readonly [string, SafeTensor], b: readonly [string, SafeTensor]): number {
  const sizeDifference = SAFETENSORS_DTYPES[b[1].dtype].bytes - SAFETENSORS_DTYPES[a[1].dtype].bytes;
  return sizeDifference !== 0 ? sizeDifference : compareCodeUnits(a[0], b[0]);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
