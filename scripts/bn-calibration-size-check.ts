/**
 * `npx tsx scripts/bn-calibration-size-check.ts MODEL.safetensors...` (official MNIST or Fashion-MNIST models)
 *
 * Test accuracy of exported models with their stored BN statistics, then recalibrated
 * (src/bnn/train/bn-calibration.ts) on 1,000, 3,000 and 10,000 stratified training images drawn
 * as a run with the model's seed draws them: does a larger calibration sample than the default
 * change the accuracy? docs/RECIPE.md gives the figures of the one-epoch grid.
 */
import { calibrateBatchNorm } from '../src/bnn/train/bn-calibration';
import { evaluate } from '../src/bnn/train/evaluate';
import { stratifiedSample } from '../src/data/stratified-sample';
import { forEachExportedModel } from './exported-models';

await forEachExportedModel('bn-calibration-size-check.ts', async ({ file, imported, data, model }) => {
  const accuracy = async (): Promise<string> => `${((await evaluate(model, data)).accuracy * 100).toFixed(2)}%`;
  const out = [`stored ${await accuracy()}`];
  for (const n of [1000, 3000, 10000]) {
    const sample = stratifiedSample(data.trainIndices, (i) => data.label(i), data.numClasses, n, `${imported.config.seed}:bn-calibration`);
    await calibrateBatchNorm(model, data, sample);
    out.push(`${n}: ${await accuracy()}`);
  }
  process.stdout.write(`${file}  ${out.join('  ')}\n`);
});
