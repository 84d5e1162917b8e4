import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { useBackend } from '../../test/tf';
import { datasetFromArrays } from '../../data/dataset';
import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { BnnModel } from '../model/model';
import { forward } from '../model/forward';
import type { BatchNormOp } from '../model/architecture';
import { calibrateBatchNorm } from './bn-calibration';

beforeAll(() => useBackend('wasm'));

/** 21 random 28×28 images (chunks of 4 leave a remainder of 1). */
function data() {
  const rng = seedrandom.alea('calibration-data');
  const n = 21;
  return datasetFromArrays({
    name: 'noise',
    images: Uint8Array.from({ length: n * 784 }, () => Math.floor(rng() * 256)),
    labels: Array.from({ length: n }, (_, i) => i % 10),
    h: 28,
    w: 28,
    c: 1,
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    trainIndices: Int32Array.from({ length: n }, (_, i) => i),
    testIndices: Int32Array.from([0]),
  });
}

/**
 * The reference, written differently: for each BN in turn, one inference pass over all images as
 * one batch with the earlier BNs already set, then tf.moments of its input.
 */
function referenceCalibration(model: BnnModel, x: tf.Tensor4D): void {
  const quant = model.quant();
  for (const op of model.arch.ops.filter((o): o is BatchNormOp => o.op === 'batchnorm')) {
    tf.tidy(() => {
      const input = forward(model.arch, model.params, x, { training: false, quant, keep: [op.input] }).outputs[op.input];
      const axes = input.shape.slice(0, -1).map((_, i) => i);
      const { mean, variance } = tf.moments(input, axes);
      model.params.get(op.mean).assign(mean as tf.Tensor1D);
      model.params.get(op.variance).assign(variance as tf.Tensor1D);
    });
  }
}

const configs: [string, RunConfig][] = [
  ['IR-Net', { ...DEFAULT_CONFIG, dataset: 'mnist-small', depth: 8, width: 8, seed: 4 }],
  ['FP with full recovery', { ...DEFAULT_CONFIG, dataset: 'mnist-small', depth: 8, width: 8, precision: 'full', recovery: 'full', seed: 5 }],
];

describe('sequential BN calibration', () => {
  const images = (ds: ReturnType<typeof data>) =>
    tf.tidy(() => {
      const buf = new Float32Array(ds.size * ds.imageSize);
      ds.fillBatch(ds.trainIndices, buf, new Int32Array(ds.size));
      return tf.tensor4d(buf, [ds.size, 28, 28, 1]);
    });
  const bnOps = (m: BnnModel) => m.arch.ops.filter((o): o is BatchNormOp => o.op === 'batchnorm');
  /** |a − b| ≤ tol · max(1, |b|) elementwise (float32 sums over ~16k positions in other orders). */
  const expectClose = (a: Float32Array, b: Float32Array, tol: number) => {
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
  };

  it.each(configs)('%s: every BN holds the moments of its input in inference mode with the earlier BNs as calibrated', async (_, cfg) => {
    const ds = data();
    const x = images(ds);
    const m = BnnModel.create(cfg, 10);
    const before = tf.memory().numTensors;
    await calibrateBatchNorm(m, ds, ds.trainIndices, 4);
    expect(tf.memory().numTensors).toBe(before);
    const ops = bnOps(m);
    const snap = await m.params.snapshot();
    // One inference pass over all images as a single batch, keeping every BN input.
    const moments = tf.tidy(() => {
      const { outputs } = forward(m.arch, m.params, x, { training: false, quant: m.quant(), keep: ops.map((o) => o.input) });
      return ops.map((op) => {
        const input = outputs[op.input];
        const { mean, variance } = tf.moments(input, input.shape.slice(0, -1).map((_, i) => i));
        return [mean.dataSync() as Float32Array, variance.dataSync() as Float32Array];
      });
    });
    ops.forEach((op, i) => {
      expectClose(snap[op.mean].data, moments[i][0], 1e-4);
      expectClose(snap[op.variance].data, moments[i][1], 1e-4);
    });
    x.dispose();
    m.dispose();
  });

  it('full precision: equals an independent sequential calibration, and inference then equals a training-mode pass', async () => {
    const cfg = configs[1][1];
    const ds = data();
    const x = images(ds);
    const a = BnnModel.create(cfg, 10);
    const b = BnnModel.fromSnapshot(cfg, 10, await a.params.snapshot());
    await calibrateBatchNorm(a, ds, ds.trainIndices, 4);
    referenceCalibration(b, x);
    const [snapA, snapB] = [await a.params.snapshot(), await b.params.snapshot()];
    for (const op of bnOps(a)) for (const key of [op.mean, op.variance]) expectClose(snapA[key].data, snapB[key].data, 1e-4);
    const [inference, training] = tf.tidy(() => [
      forward(a.arch, a.params, x, { training: false }).logits.dataSync() as Float32Array,
      forward(a.arch, a.params, x, { training: true }).logits.dataSync() as Float32Array,
    ]);
    expectClose(inference, training, 1e-3);
    x.dispose();
    a.dispose();
    b.dispose();
  });

  it('changes only the BN statistics and refuses an empty sample', async () => {
    const ds = data();
    const m = BnnModel.create(configs[0][1], 10);
    const before = await m.params.snapshot();
    await calibrateBatchNorm(m, ds, ds.trainIndices.subarray(0, 5));
    const after = await m.params.snapshot();
    const changed = Object.keys(before).filter((k) => before[k].data.some((v, i) => v !== after[k].data[i]));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((k) => k.endsWith('.mean') || k.endsWith('.variance'))).toBe(true);
    await expect(calibrateBatchNorm(m, ds, [])).rejects.toThrow(/at least one image/);
    m.dispose();
  });
});
