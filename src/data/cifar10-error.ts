import { FileFormatError } from './file-format-error';

/** Every reason an uploaded CIFAR-10 file (or set of files) is refused. */
export type Cifar10ErrorCode =
  | 'file_too_large'
  | 'empty_file'
  | 'wrong_format'
  | 'record_size'
  | 'bad_label'
  | 'unknown_file'
  | 'duplicate_file'
  | 'no_training_data';

/** A refused CIFAR-10 upload; `message` starts with the file name and says what is wrong. */
export class Cifar10FormatError extends FileFormatError {
  declare readonly code: Cifar10ErrorCode;
  readonly fileName: string;

  constructor(code: Cifar10ErrorCode, fileName: string, problem: string) {
    super(code, `${fileName}: ${problem}`);
    this.name = 'Cifar10FormatError';
    this.fileName = fileName;
  }
}
