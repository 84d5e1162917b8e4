import type { readSafetensors, SafetensorsErrorCode } from './index';
import { assembleSafetensors, float32Bytes } from './fixtures';

/**
 * Malformed safetensors files, each with the error the strict reader must give. Shared by the
 * reader's tests and the Python package's tests (which get them as files).
 */

/** A well-formed entry: F32 of `count` elements at [begin, begin + 4·count]. */
function f32(begin: number, count: number): object {
  return { dtype: 'F32', shape: [count], data_offsets: [begin, begin + 4 * count] };
}

export interface MalformedCase {
  readonly what: string;
  readonly file: Uint8Array;
  readonly code: SafetensorsErrorCode;
  readonly message: string;
  readonly options?: Parameters<typeof readSafetensors>[1];
}

const zeros = (n: number): Uint8Array => new Uint8Array(n);

export const MALFORMED_SAFETENSORS_CASES: MalformedCase[] = [
  {
    what: 'file shorter than the length field',
    file: zeros(5),
    code: 'file_too_small',
    message: 'file is 5 bytes, too short to hold the 8-byte header length',
  },
  {
    what: 'file over the size limit',
    file: assembleSafetensors({ a: f32(0, 4) }, zeros(16)),
    options: { maxBytes: 32 },
    code: 'file_too_large',
    message: 'over the 32-byte limit',
  },
  {
    what: 'header length past the end of the file',
    file: assembleSafetensors('{}', zeros(0), 100n),
    code: 'header_length',
    message: 'header length 100 runs past the end of the file (only 2 bytes follow the length field)',
  },
  {
    what: 'header length over the 100 MB cap',
    file: assembleSafetensors('{}', zeros(0), 2n ** 40n),
    code: 'header_length',
    message: 'header length 1099511627776 exceeds the 100000000-byte limit',
  },
  {
    what: 'header length too small for an object',
    file: assembleSafetensors('{}', zeros(0), 1n),
    code: 'header_length',
    message: 'header length 1 is too small to hold a JSON object',
  },
  {
    what: 'header not UTF-8',
    file: assembleSafetensors(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])),
    code: 'header_utf8',
    message: 'header is not valid UTF-8',
  },
  {
    what: 'header not JSON',
    file: assembleSafetensors('{dtype: F32}'),
    code: 'header_json',
    message: 'header is not acceptable JSON: expected a string key, found character "d" at character 1',
  },
  {
    what: 'garbage after the JSON header',
    file: assembleSafetensors('{}  x'),
    code: 'header_json',
    message: 'unexpected character "x" after the JSON value',
  },
  {
    what: 'header is a JSON array',
    file: assembleSafetensors('[1,2]'),
    code: 'header_not_object',
    message: 'header must be a JSON object, found array [1,2]',
  },
  {
    what: 'header is a JSON number',
    file: assembleSafetensors('42'),
    code: 'header_not_object',
    message: 'header must be a JSON object, found number 42',
  },
  {
    what: 'unknown dtype',
    file: assembleSafetensors({ w: { dtype: 'F8_E4M3', shape: [4], data_offsets: [0, 4] } }, zeros(4)),
    code: 'unknown_dtype',
    message: "tensor 'w': unknown dtype 'F8_E4M3' (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL)",
  },
  {
    what: 'dtype not a string',
    file: assembleSafetensors({ w: { dtype: 4, shape: [1], data_offsets: [0, 4] } }, zeros(4)),
    code: 'bad_entry',
    message: "tensor 'w': dtype must be a string, found number 4",
  },
  {
    what: 'negative dimension',
    file: assembleSafetensors({ w: { dtype: 'F32', shape: [2, -1], data_offsets: [0, 8] } }, zeros(8)),
    code: 'bad_shape',
    message: "tensor 'w': shape has invalid dimension number -1 (dimensions must be non-negative integers)",
  },
  {
    what: 'fractional dimension',
    file: assembleSafetensors({ w: { dtype: 'U8', shape: [1.5], data_offsets: [0, 1] } }, zeros(1)),
    code: 'bad_shape',
    message: "tensor 'w': shape has invalid dimension number 1.5",
  },
  {
    what: 'shape not an array',
    file: assembleSafetensors({ w: { dtype: 'U8', shape: '4', data_offsets: [0, 4] } }, zeros(4)),
    code: 'bad_shape',
    message: `tensor 'w': shape must be an array, found string "4"`,
  },
  {
    what: 'entry not an object',
    file: assembleSafetensors({ w: [0, 4] }, zeros(4)),
    code: 'bad_entry',
    message: "tensor 'w': entry must be an object with dtype, shape and data_offsets, found array [0,4]",
  },
  {
    what: 'missing data_offsets',
    file: assembleSafetensors({ w: { dtype: 'U8', shape: [4] } }, zeros(4)),
    code: 'bad_entry',
    message: "tensor 'w': missing field 'data_offsets'",
  },
  {
    what: 'unexpected entry field',
    file: assembleSafetensors({ w: { ...f32(0, 1), scale: 2 } }, zeros(4)),
    code: 'bad_entry',
    message: "tensor 'w': unexpected field 'scale' (allowed: dtype, shape, data_offsets)",
  },
  {
    what: 'three offsets',
    file: assembleSafetensors({ w: { dtype: 'U8', shape: [4], data_offsets: [0, 2, 4] } }, zeros(4)),
    code: 'bad_offsets',
    message: "tensor 'w': data_offsets must be two non-negative integers [begin, end], found array [0,2,4]",
  },
  {
    what: 'offsets ending before they begin',
    file: assembleSafetensors({ w: { dtype: 'U8', shape: [0], data_offsets: [4, 0] } }, zeros(4)),
    code: 'bad_offsets',
    message: "tensor 'w': data_offsets [4, 0] end before they begin",
  },
  {
    what: 'offsets past the data buffer',
    file: assembleSafetensors({ w: f32(0, 4) }, zeros(12)),
    code: 'bad_offsets',
    message: "tensor 'w': data_offsets [0, 16] extend past the end of the 12-byte data buffer",
  },
  {
    what: 'size mismatch between offsets and shape',
    file: assembleSafetensors(
      { 'stem.conv.w': { dtype: 'F32', shape: [3, 3, 1, 16], data_offsets: [0, 100] } },
      zeros(100),
    ),
    code: 'size_mismatch',
    message: "tensor 'stem.conv.w': data_offsets [0, 100] (100 bytes) do not match shape [3,3,1,16] × F32 = 576 bytes",
  },
  {
    what: 'shape whose byte size overflows',
    file: assembleSafetensors({ w: { dtype: 'F32', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 4] } }, zeros(4)),
    code: 'size_mismatch',
    message: 'F32 = more than 9007199254740991 bytes',
  },
  {
    what: 'first tensor not at offset 0',
    file: assembleSafetensors({ w: f32(4, 1) }, zeros(8)),
    code: 'offsets_gap',
    message: "tensor 'w': data_offsets [4, 8] leave a gap; bytes 0..4 belong to no tensor",
  },
  {
    what: 'gap between tensors',
    file: assembleSafetensors({ a: f32(0, 1), b: f32(8, 1) }, zeros(12)),
    code: 'offsets_gap',
    message: "tensor 'b': data_offsets [8, 12] leave a gap; bytes 4..8 belong to no tensor",
  },
  {
    what: 'overlapping tensors',
    file: assembleSafetensors({ b: f32(4, 2), a: f32(0, 2) }, zeros(12)),
    code: 'offsets_overlap',
    message: "tensor 'b': data_offsets [4, 12] overlap tensor 'a' [0, 8]",
  },
  {
    what: 'two tensors sharing the same bytes',
    file: assembleSafetensors({ a: f32(0, 2), b: f32(0, 2) }, zeros(8)),
    code: 'offsets_overlap',
    message: "tensor 'b': data_offsets [0, 8] overlap tensor 'a' [0, 8]",
  },
  {
    what: 'trailing bytes after the last tensor',
    file: assembleSafetensors({ a: f32(0, 1) }, zeros(8)),
    code: 'trailing_bytes',
    message: '4 trailing bytes after the last tensor (tensors cover 4 of 8 data bytes)',
  },
  {
    what: 'data without any tensor',
    file: assembleSafetensors({}, zeros(3)),
    code: 'trailing_bytes',
    message: '3 trailing bytes after the last tensor (tensors cover 0 of 3 data bytes)',
  },
  {
    what: '__proto__ key',
    file: assembleSafetensors('{"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', zeros(1)),
    code: 'forbidden_key',
    message: 'header is not acceptable JSON: forbidden key "__proto__" at character 1',
  },
  {
    what: '__proto__ key spelled with escapes',
    file: assembleSafetensors('{"\\u005f_proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', zeros(1)),
    code: 'forbidden_key',
    message: 'forbidden key "__proto__"',
  },
  {
    what: 'constructor key inside metadata',
    file: assembleSafetensors('{"__metadata__":{"constructor":"x"}}'),
    code: 'forbidden_key',
    message: 'forbidden key "constructor"',
  },
  {
    what: 'duplicate tensor name',
    file: assembleSafetensors(
      '{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}',
      zeros(2),
    ),
    code: 'duplicate_key',
    message: 'duplicate key "a"',
  },
  {
    what: 'metadata not an object',
    file: assembleSafetensors({ __metadata__: ['format', 'bnn'] }),
    code: 'bad_metadata',
    message: '__metadata__ must be an object of strings, found array ["format","bnn"]',
  },
  {
    what: 'metadata value not a string',
    file: assembleSafetensors({ __metadata__: { format: 'bnn', version: 1 } }),
    code: 'bad_metadata',
    message: "__metadata__ value for key 'version' must be a string, found number 1",
  },
  {
    what: 'nesting too deep',
    file: assembleSafetensors(`{"__metadata__":${'['.repeat(70)}${']'.repeat(70)}}`),
    code: 'header_json',
    message: 'nesting deeper than 64 levels',
  },
  {
    what: 'NaN in F32 with the finiteness check on',
    file: assembleSafetensors({ w: f32(0, 3) }, float32Bytes([1, NaN, 2])),
    options: { rejectNonFinite: true },
    code: 'non_finite',
    message: "tensor 'w' (F32) contains NaN at element 1",
  },
  {
    what: 'infinity in F32 with the finiteness check on',
    file: assembleSafetensors({ w: f32(0, 3) }, float32Bytes([1, 2, -Infinity])),
    options: { rejectNonFinite: true },
    code: 'non_finite',
    message: "tensor 'w' (F32) contains an infinity at element 2",
  },
];
