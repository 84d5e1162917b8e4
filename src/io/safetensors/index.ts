/**
 * The safetensors file format: an 8-byte little-endian u64 header length N, N bytes of
 * UTF-8 JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}`,
 * then the little-endian data buffer the offsets index into. Entry point for the
 * writer, the strict reader and their helpers.
 */
export { SafetensorsError, type SafetensorsErrorCode } from './error';
export {
  SAFETENSORS_DTYPES,
  dtypeByteSize,
  isSafetensorsDtype,
  type DtypeArrayMap,
  type SafeTensor,
  type SafetensorsDtype,
  type TensorOf,
} from './dtypes';
export { METADATA_KEY } from './header';
export {
  DEFAULT_MAX_SAFETENSORS_BYTES,
  MAX_SAFETENSORS_HEADER_BYTES,
  readSafetensors,
  type ReadSafetensorsOptions,
  type SafetensorsFile,
} from './read';
export { writeSafetensors, type SafetensorsTensors } from './write';
export { requireTensor } from './access';
export { parseMetadataJson } from './metadata';
