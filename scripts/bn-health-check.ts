/**
 * `npx tsx scripts/bn-health-check.ts MODEL.safetensors...` (official MNIST or Fashion-MNIST models)
 *
 * What the BN-health figure (the share of a binary conv's inputs whose sign differs between a
 * training-mode pass and an inference-mode pass) is made of, per binary conv of an exported model:
 *   probe     the app's 50-image stratified probe against the file's (calibrated) statistics
 *   test 1000 1,000 stratified test images against the file's statistics
 *   same 1000 the same images after calibrating the BNs on them, so the two passes see the same
 *             sample: what is left is the computation itself, not the sample
 * docs/TECHNIQUES.md ("BatchNorm calibration") gives the figures of the README's grids.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BnnModel } from '../src/bnn/model/model';
import { binaryConvOps } from '../src/bnn/model/binary-weights';
import { forward } from '../src/bnn/model/forward';
import { calibrateBatchNorm } from '../src/bnn/train/bn-calibration';
import { signDisagreement } from '../src/bnn/train/layer-stats';
import { probeImages } from '../src/bnn/train/probes';
import type { ImageDataset } from '../src/data/dataset';
import { stratifiedSample } from '../src/data/stratified-sample';
import { forEachExportedModel } from './exported-models';

/** Per binary conv input: the share of signs that differ between training and inference mode. */
function disagreement(model: BnnModel, data: ImageDataset, indices: ArrayLike<number>): number[] {
  const buf = new Float32Array(indices.length * data.imageSize);
  data.fillBatch(Array.from(indices), buf, new Int32Array(indices.length));
  const inputs = binaryConvOps(model.arch).map((l) => l.input);
  const quant = model.quant();
  return tf.tidy(() => {
    const x = tf.tensor4d(buf, [indices.length, data.height, data.width, data.channels]);
    const inference = forward(model.arch, model.params, x, { training: false, quant, keep: inputs }).outputs;
    const training = forward(model.arch, model.params, x, { training: true, quant, keep: inputs }).outputs;
    return inputs.map((n) => signDisagreement(inference[n], training[n]).dataSync()[0]);
  });
}

const percent = (shares: number[]): string => shares.map((v) => `${(100 * v).toFixed(2)}%`).join('  ');

await forEachExportedModel('bn-health-check.ts', async ({ file, data, model }) => {
  const test = stratifiedSample(data.testIndices, (i) => data.label(i), data.numClasses, 1000, 'bn-health-check');
  process.stdout.write(`${file} (per binary conv, input to output)\n`);
  process.stdout.write(`  probe     ${percent(disagreement(model, data, probeImages(data)))}\n`);
  process.stdout.write(`  test 1000 ${percent(disagreement(model, data, test))}\n`);
  await calibrateBatchNorm(model, data, test);
  process.stdout.write(`  same 1000 ${percent(disagreement(model, data, test))}\n`);
});
