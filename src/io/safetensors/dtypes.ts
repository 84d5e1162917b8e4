/**
 * The safetensors element types this project reads and writes, with their byte sizes
 * and the typed array that holds each. F16 and BF16 have no JS array type in our
 * targets, so they travel as their raw 16-bit patterns in a Uint16Array.
 */
export const SAFETENSORS_DTYPES = {
  F64: { bytes: 8, array: Float64Array },
  F32: { bytes: 4, array: Float32Array },
  F16: { bytes: 2, array: Uint16Array },
  BF16: { bytes: 2, array: Uint16Array },
  I64: { bytes: 8, array: BigInt64Array },
  I32: { bytes: 4, array: Int32Array },
  I16: { bytes: 2, array: Int16Array },
  I8: { bytes: 1, array: Int8Array },
  U64: { bytes: 8, array: BigUint64Array },
  U32: { bytes: 4, array: Uint32Array },
  U16: { bytes: 2, array: Uint16Array },
  U8: { bytes: 1, array: Uint8Array },
  BOOL: { bytes: 1, array: Uint8Array },
} as const;

export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPES;

/** The typed array holding the elements of each dtype. */
export interface DtypeArrayMap {
  F64: Float64Array;
  F32: Float32Array;
  F16: Uint16Array;
  BF16: Uint16Array;
  I64: BigInt64Array;
  I32: Int32Array;
  I16: Int16Array;
  I8: Int8Array;
  U64: BigUint64Array;
  U32: Uint32Array;
  U16: Uint16Array;
  U8: Uint8Array;
  BOOL: Uint8Array;
}

/** One tensor of a given dtype: row-major elements, `data.length === product(shape)`. */
export interface TensorOf<D extends SafetensorsDtype> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: DtypeArrayMap[D];
}

/** A tensor of any supported dtype, discriminated by `dtype`. */
export type SafeTensor = { [D in SafetensorsDtype]: TensorOf<D> }[SafetensorsDtype];

export function isSafetensorsDtype(value: string): value is SafetensorsDtype {
  return Object.prototype.hasOwnProperty.call(SAFETENSORS_DTYPES, value);
}

export function dtypeByteSize(dtype: SafetensorsDtype): number {
  return SAFETENSORS_DTYPES[dtype].bytes;
}

/** safetensors data is little-endian; typed arrays use the host's order. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses each `elementBytes`-sized group in place (little- <-> big-endian). */
export function swapByteOrder(bytes: Uint8Array, elementBytes: number): void {
  if (elementBytes === 1) return;
  for (let start = 0; start < bytes.length; start += elementBytes) {
    for (let i = 0, j = elementBytes - 1; i < j; i++, j--) {
      const tmp = bytes[start + i];
      bytes[start + i] = bytes[start + j];
      bytes[start + j] = tmp;
    }
  }
}
