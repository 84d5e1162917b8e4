import { FileFormatError } from '../../data/file-format-error';

/** Every reason the safetensors reader or writer can refuse its input. */
export type SafetensorsErrorCode =
  | 'invalid_input'
  | 'file_too_large'
  | 'file_too_small'
  | 'header_length'
  | 'header_utf8'
  | 'header_json'
  | 'header_not_object'
  | 'duplicate_key'
  | 'forbidden_key'
  | 'unknown_dtype'
  | 'bad_entry'
  | 'bad_shape'
  | 'bad_offsets'
  | 'size_mismatch'
  | 'offsets_gap'
  | 'offsets_overlap'
  | 'trailing_bytes'
  | 'bad_metadata'
  | 'non_finite'
  | 'missing_tensor'
  | 'tensor_mismatch'
  | 'metadata_json';

/** The one error type the safetensors layer throws; `message` names what is wrong. */
export class SafetensorsError extends FileFormatError {
  declare readonly code: SafetensorsErrorCode;

  constructor(code: SafetensorsErrorCode, message: string) {
    super(code, `safetensors: ${message}`);
    this.name = 'SafetensorsError';
  }
}
