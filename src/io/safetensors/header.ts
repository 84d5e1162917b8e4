import { SafetensorsError } from './error';
import { dtypeByteSize, isSafetensorsDtype, SAFETENSORS_DTYPES, type SafetensorsDtype } from './dtypes';
import { isJsonObject, parseStrictJson, StrictJsonError, type JsonObject, type JsonValue } from './json';

/** The reserved header key holding free-form string metadata. */
export const METADATA_KEY = '__metadata__';

/** One validated header entry; `begin`/`end` are byte offsets relative to the data start. */
export interface HeaderEntry {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

export interface ParsedHeader {
  /** Entries sorted by data offset; together they tile the data buffer exactly. */
  readonly entries: readonly HeaderEntry[];
  /** `__metadata__` as a prototype-free string map (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
}

const ENTRY_FIELDS = ['dtype', 'shape', 'data_offsets'] as const;

/**
 * Decodes and validates the JSON header against a data buffer of `dataLength` bytes.
 * Nothing is returned unless every entry is well-formed and the offsets tile the
 * buffer: sorted, contiguous from 0, no overlap, no gap, no trailing bytes.
 */
export function parseSafetensorsHeader(headerBytes: Uint8Array, dataLength: number): ParsedHeader {
  const root = decodeHeaderJson(headerBytes);
  const entries: HeaderEntry[] = [];
  let metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of Object.keys(root)) {
    const value = root[name];
    if (name === METADATA_KEY) metadata = validateMetadata(value);
    else entries.push(validateEntry(name, value, dataLength));
  }
  entries.sort(compareByOffsets);
  checkTiling(entries, dataLength);
  return { entries, metadata };
}

function decodeHeaderJson(headerBytes: Uint8Array): JsonObject {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch {
    throw new SafetensorsError('header_utf8', 'header is not valid UTF-8');
  }
  let root: JsonValue;
  try {
    root = parseStrictJson(text);
  } catch (error) {
    if (!(error instanceof StrictJsonError)) throw error;
    const code =
      error.kind === 'forbidden_key' ? 'forbidden_key' : error.kind === 'duplicate_key' ? 'duplicate_key' : 'header_json';
    throw new SafetensorsError(code, `header is not acceptable JSON: ${error.message}`);
  }
  if (!isJsonObject(root)) {
    throw new SafetensorsError('header_not_object', `header must be a JSON object, found ${describeJson(root)}`);
  }
  return root;
}

function validateMetadata(value: JsonValue): Record<string, string> {
  if (!isJsonObject(value)) {
    throw new SafetensorsError('bad_metadata', `${METADATA_KEY} must be an object of strings, found ${describeJson(value)}`);
  }
  const metadata = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (typeof item !== 'string') {
      throw new SafetensorsError(
        'bad_metadata',
        `${METADATA_KEY} value for key ${quote(key)} must be a string, found ${describeJson(item)}`,
      );
    }
    metadata[key] = item;
  }
  return metadata;
}

function validateEntry(name: string, value: JsonValue, dataLength: number): HeaderEntry {
  const label = `tensor ${quote(name)}`;
  if (!isJsonObject(value)) {
    throw new SafetensorsError('bad_entry', `${label}: entry must be an object with dtype, shape and data_offsets, found ${describeJson(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!(ENTRY_FIELDS as readonly string[]).includes(key)) {
      throw new SafetensorsError('bad_entry', `${label}: unexpected field ${quote(key)} (allowed: dtype, shape, data_offsets)`);
    }
  }
  for (const field of ENTRY_FIELDS) {
    if (!(field in value)) throw new SafetensorsError('bad_entry', `${label}: missing field ${quote(field)}`);
  }
  const dtype = validateDtype(label, value.dtype);
  const shape = validateShape(label, value.shape);
  const [begin, end] = validateOffsets(label, value.data_offsets, dataLength);
  const expectedBytes = shapeByteSize(shape, dtypeByteSize(dtype));
  if (expectedBytes !== end - begin) {
    const expectedText = Number.isSafeInteger(expectedBytes) ? `${expectedBytes}` : `more than ${Number.MAX_SAFE_INTEGER}`;
    throw new SafetensorsError(
      'size_mismatch',
      `${label}: data_offsets [${begin}, ${end}] (${end - begin} bytes) do not match shape ${formatShape(shape)} × ${dtype} = ${expectedText} bytes`,
    );
  }
  return { name, dtype, shape, begin, end };
}

function validateDtype(label: string, value: JsonValue | undefined): SafetensorsDtype {
  if (typeof value !== 'string') throw new SafetensorsError('bad_entry', `${label}: dtype must be a string, found ${describeJson(value)}`);
  if (!isSafetensorsDtype(value)) {
    throw new SafetensorsError(
      'unknown_dtype',
      `${label}: unknown dtype ${quote(value)} (supported: ${Object.keys(SAFETENSORS_DTYPES).join(', ')})`,
    );
  }
  return value;
}

function validateShape(label: string, value: JsonValue | undefined): number[] {
  if (!Array.isArray(value)) throw new SafetensorsError('bad_shape', `${label}: shape must be an array, found ${describeJson(value)}`);
  const shape: number[] = [];
  for (const dim of value as readonly JsonValue[]) {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) {
      throw new SafetensorsError(
        'bad_shape',
        `${label}: shape has invalid dimension ${describeJson(dim)} (dimensions must be non-negative integers)`,
      );
    }
    shape.push(dim);
  }
  return shape;
}

function validateOffsets(label: string, value: JsonValue | undefined, dataLength: number): [number, number] {
  const isOffset = (v: JsonValue | undefined): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!Array.isArray(value) || value.length !== 2 || !isOffset(value[0]) || !isOffset(value[1])) {
    throw new SafetensorsError(
      'bad_offsets',
      `${label}: data_offsets must be two non-negative integers [begin, end], found ${describeJson(value)}`,
    );
  }
  const begin: number = value[0];
  const end: number = value[1];
  if (end < begin) throw new SafetensorsError('bad_offsets', `${label}: data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataLength) {
    throw new SafetensorsError(
      'bad_offsets',
      `${label}: data_offsets [${begin}, ${end}] extend past the end of the ${dataLength}-byte data buffer`,
    );
  }
  return [begin, end];
}

/** product(shape) × elementBytes, or a number above MAX_SAFE_INTEGER when it would overflow. */
function shapeByteSize(shape: readonly number[], elementBytes: number): number {
  if (shape.includes(0)) return 0;
  let bytes = elementBytes;
  for (const dim of shape) {
    bytes *= dim;
    if (bytes > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER + 1;
  }
  return bytes;
}

function compareByOffsets(a: HeaderEntry, b: HeaderEntry): number {
  if (a.begin !== b.begin) return a.begin - b.begin;
  if (a.end !== b.end) return a.end - b.end;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function checkTiling(sorted: readonly HeaderEntry[], dataLength: number): void {
  let covered = 0;
  let previous: HeaderEntry | undefined;
  for (const entry of sorted) {
    if (entry.begin > covered) {
      throw new SafetensorsError(
        'offsets_gap',
        `tensor ${quote(entry.name)}: data_offsets [${entry.begin}, ${entry.end}] leave a gap; bytes ${covered}..${entry.begin} belong to no tensor`,
      );
    }
    if (entry.begin < covered && previous !== undefined) {
      throw new SafetensorsError(
        'offsets_overlap',
        `tensor ${quote(entry.name)}: data_offsets [${entry.begin}, ${entry.end}] overlap tensor ${quote(previous.name)} [${previous.begin}, ${previous.end}]`,
      );
    }
    covered = entry.end;
    previous = entry;
  }
  if (covered !== dataLength) {
    throw new SafetensorsError(
      'trailing_bytes',
      `${dataLength - covered} trailing bytes after the last tensor (tensors cover ${covered} of ${dataLength} data bytes)`,
    );
  }
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

function quote(text: string): string {
  return `'${text.length > 80 ? `${text.slice(0, 80)}…` : text}'`;
}

/** A short description of a JSON value for error messages, never the whole value. */
function describeJson(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const text = value.length <= 8 ? JSON.stringify(value) : '';
    return text !== '' && text.length <= 60 ? `array ${text}` : `an array of ${value.length} items`;
  }
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
