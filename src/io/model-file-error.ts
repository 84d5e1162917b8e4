import { FileFormatError } from '../data/file-format-error';

/** Every reason importModel refuses a file; safetensors-level failures keep their own code. */
export type ModelFileErrorCode =
  | 'not_model_file'
  | 'format_version'
  | 'header_padding'
  | 'metadata'
  | 'config'
  | 'dataset'
  | 'architecture'
  | 'missing_tensor'
  | 'unexpected_tensor'
  | 'tensor_mismatch'
  | 'padding_bits'
  | 'bad_value'
  | `safetensors_${string}`;

/** The one error type importModel throws; `message` names what is wrong. */
export class ModelFileError extends FileFormatError {
  declare readonly code: ModelFileErrorCode;

  constructor(code: ModelFileErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, `model file: ${message}`);
    this.name = 'ModelFileError';
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
