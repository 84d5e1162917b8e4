import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { DEFAULT_CONFIG, type RunConfig } from '../bnn/config';
import { BnnModel } from '../bnn/model/model';
import { forward } from '../bnn/model/forward';
import type { ParamSnapshot } from '../bnn/model/params';
import type { DatasetInfo } from './model-file-format';

/** Test helpers shared by the model-file tests: a dataset entry, a base config and random models. */
export const TEST_DATASET: DatasetInfo = {
  name: 'mnist',
  inputShape: [28, 28, 1],
  mean: [0.13066047430038452],
  std: [0.30810782313346863],
  classNames: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
};

export const TEST_BASE_CONFIG: RunConfig = { ...DEFAULT_CONFIG, depth: 8, width: 8, dataset: 'mnist', seed: 11 };

/** A model with non-trivial parameters everywhere (random BN statistics and affine, RSign and RPReLU too). */
export async function randomModel(cfg: RunConfig): Promise<{ m: BnnModel; snap: ParamSnapshot }> {
  const init = BnnModel.create(cfg, 10);
  const snap = await init.params.snapshot();
  const rng = seedrandom.alea(`perturb:${cfg.seed}`);
  for (const p of init.arch.params) {
    const d = Float32Array.from(snap[p.name].data);
    for (let i = 0; i < d.length; i++) {
      if (p.kind === 'bn_variance') d[i] = 0.2 + 2 * rng();
      else if (p.kind === 'bn_gamma') d[i] = 0.5 + rng();
      else if (p.kind === 'bn_mean' || p.kind === 'bn_beta' || p.kind === 'bias' || p.kind === 'shift') d[i] = 0.4 * (rng() - 0.5);
      else if (p.kind === 'slope') d[i] = 0.5 * rng() - 0.1;
    }
    snap[p.name] = { shape: snap[p.name].shape, data: d };
  }
  init.dispose();
  return { m: BnnModel.fromSnapshot(cfg, 10, snap), snap };
}

/** The logits of a model (trained or imported) on a batch, inference mode. */
export function logitsOf(m: { arch: BnnModel['arch']; params: BnnModel['params']; quant: BnnModel['quant'] }, x: tf.Tensor4D): number[] {
  return tf.tidy(() => Array.from(forward(m.arch, m.params, x, { training: false, quant: m.quant() }).logits.dataSync()));
}
