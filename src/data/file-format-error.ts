/**
 * Base class for every "this file is not acceptable" failure (safetensors import,
 * CIFAR-10 upload). The UI catches this one type to show `message` verbatim and
 * leave app state untouched; anything else escaping a reader is a bug.
 */
export class FileFormatError extends Error {
  /** Stable machine-readable reason, e.g. `header_json` or `record_size`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'FileFormatError';
    this.code = code;
  }
}
