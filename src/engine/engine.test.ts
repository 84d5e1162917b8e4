import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../test/tf';
import { loadMnistSmallNode } from '../data/mnist-node';
import type { ImageDataset } from '../data/dataset';
import { DEFAULT_CONFIG, applyPreset, type RunConfig } from '../bnn/config';
import { Trainer } from '../bnn/train/trainer';
import { forward } from '../bnn/model/forward';
import type { BnnModel } from '../bnn/model/model';
import { datasetInfoOf, exportModel } from '../io/export';
import { importModel } from '../io/import';
import { compileEngine, type InferenceEngine } from './engine';
import { measureAgreement } from './agreement';
import { engineSourceFromImport, engineSourceFromModel, engineSourceFromSnapshot } from './sources';

let mnist: ImageDataset;
beforeAll(async () => {
  await useBackend('wasm');
  mnist = loadMnistSmallNode();
});

const tiny: RunConfig = {
  ...DEFAULT_CONFIG,
  dataset: 'mnist-small',
  depth: 8,
  width: 8,
  batchSize: 16,
  steps: 10,
  evalEvery: 1000,
  evalLimit: 100,
  seed: 7,
  lr: 3e-3,
};

/** The first `n` test images, normalised NHWC. */
function testBatch(n: number): { x: Float32Array; labels: Int32Array } {
  const x = new Float32Array(n * mnist.imageSize);
  const labels = new Int32Array(n);
  mnist.fillBatch(mnist.testIndices.subarray(0, n), x, labels);
  return { x, labels };
}

/** The tfjs model's logits in inference mode (moving BN statistics), as the app evaluates. */
function tfLogits(model: BnnModel, x: Float32Array, n: number): Float32Array {
  return tf.tidy(() => {
    const input = tf.tensor4d(x, [n, mnist.height, mnist.width, mnist.channels]);
    const { logits } = forward(model.arch, model.params, input, { training: false, quant: model.quant() });
    return logits.dataSync() as Float32Array;
  });
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** Per image: max |engine − tfjs| over its logits, divided by max |tfjs logit|. */
function worstRelativeError(engine: Float32Array, reference: Float32Array, classes: number): number {
  let worst = 0;
  for (let r = 0; r < reference.length / classes; r++) {
    let scale = 0;
    let diff = 0;
    for (let c = 0; c < classes; c++) {
      const i = r * classes + c;
      scale = Math.max(scale, Math.abs(reference[i]));
      diff = Math.max(diff, Math.abs(engine[i] - reference[i]));
    }
    worst = Math.max(worst, diff / scale);
  }
  return worst;
}

async function trained(config: RunConfig): Promise<Trainer> {
  const trainer = new Trainer(config, mnist);
  const out = await trainer.run();
  expect(out.status).toBe('finished');
  return trainer;
}

function expectMatchesTfjs(engine: InferenceEngine, model: BnnModel, n: number): Float32Array {
  const { x } = testBatch(n);
  const reference = tfLogits(model, x, n);
  const logits = engine.run(x, n);
  expect(logits).toHaveLength(n * 10);
  expect(worstRelativeError(logits, reference, 10)).toBeLessThan(1e-4);
  const agree = Array.from({ length: n }, (_, r) => argmax(logits.subarray(r * 10, r * 10 + 10)) === argmax(reference.subarray(r * 10, r * 10 + 10)));
  expect(agree.every(Boolean)).toBe(true);
  return logits;
}

describe('inference engine vs the tfjs model (ResNet-8, w = 8, trained briefly on MNIST, wasm)', () => {
  it('IR-Net (Libra-PB, EDE): logits within 1e-4, predictions agree, float engine = XNOR engine, batch 1 = batch 32', async () => {
    const trainer = await trained(tiny);
    const source = await engineSourceFromModel(trainer.model);
    const xnor = compileEngine(source, { kernels: 'xnor', maxBatch: 32 });
    const logits = expectMatchesTfjs(xnor, trainer.model, 32);

    const float = compileEngine(source, { kernels: 'float', maxBatch: 32 });
    const { x } = testBatch(32);
    expect(float.run(x, 32)).toEqual(logits);
    // Smaller batches reuse the same buffers and give the same rows.
    expect(xnor.run(x, 1)).toEqual(logits.subarray(0, 10));
    expect(xnor.run(x.subarray(5 * mnist.imageSize), 3)).toEqual(logits.subarray(50, 80));
    expect(Array.from(xnor.predict(x, 32))).toEqual(Array.from({ length: 32 }, (_, r) => argmax(logits.subarray(r * 10, r * 10 + 10))));

    // Each binary conv fused with its BN, the block's add and hardtanh into one step.
    const binarySteps = xnor.steps.filter((s) => s.kind === 'binary-conv');
    expect(binarySteps).toHaveLength(6);
    expect(binarySteps[0].ops).toEqual(['s1.b0.conv1', 's1.b0.bn1', 's1.b0.add1', 's1.b0.act1']);
    expect(xnor.steps[0].ops).toEqual(['stem.conv', 'stem.bn', 'stem.act']);

    // The same weights from the run's config and snapshot, and from an exported file.
    const snapshot = await trainer.snapshot();
    const fromSnapshot = compileEngine(await engineSourceFromSnapshot(tiny, snapshot), { maxBatch: 32 });
    expect(fromSnapshot.run(x, 32)).toEqual(logits);
    const bytes = await exportModel({ config: tiny, params: snapshot, dataset: datasetInfoOf(mnist), testAccuracy: null });
    const fromFile = compileEngine(engineSourceFromImport(importModel(bytes)), { maxBatch: 32 });
    expect(fromFile.run(x, 32)).toEqual(logits);

    // 200 test images: every disagreement (if any) explained by a tie or a sign input at ~0.
    const report = await measureAgreement(trainer.model, xnor, mnist, { limit: 200 });
    expect(report.images).toBe(200);
    expect(report.disagreements.filter((d) => d.reason === 'unexplained')).toEqual([]);
    expect(report.agreement).toBeGreaterThanOrEqual(0.99);
    expect(report.maxRelativeLogitError).toBeLessThan(1e-4);
    trainer.dispose();
  });

  it('IR2Net compact recovery (ratio 3: depthwise conv, pooling, concat, slice) and IMB scales', async () => {
    const config: RunConfig = { ...tiny, weightTransform: 'imb', activationEstimator: 'dte', weightEstimator: 'dte', recovery: 'compact', recoveryRatio: 3, seed: 9 };
    const trainer = await trained(config);
    const source = await engineSourceFromModel(trainer.model);
    const xnor = compileEngine(source, { maxBatch: 16 });
    expect(xnor.steps.map((s) => s.kind)).toEqual(expect.arrayContaining(['dwconv', 'avgpool', 'concat', 'slice_channels']));
    const logits = expectMatchesTfjs(xnor, trainer.model, 16);
    const { x } = testBatch(16);
    expect(compileEngine(source, { kernels: 'float', maxBatch: 16 }).run(x, 16)).toEqual(logits);
    trainer.dispose();
  });

  it('ReActNet (RSign thresholds, RPReLU, XNOR scale): logits within 1e-4, predictions agree, float engine = XNOR engine', async () => {
    const config = applyPreset({ ...tiny, seed: 12 }, 'reactnet');
    const trainer = await trained(config);
    const source = await engineSourceFromModel(trainer.model);
    const xnor = compileEngine(source, { maxBatch: 16 });
    const kinds = xnor.steps.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'rsign')).toHaveLength(6);
    expect(kinds.filter((k) => k === 'rprelu')).toHaveLength(6);
    // the thresholds and the RPReLU parameters moved away from their initial 0 and 0.25
    const snap = await trainer.snapshot();
    expect(snap['s1.b0.rsign1.threshold'].data.some((v) => v !== 0)).toBe(true);
    expect(snap['s1.b0.act1.slope'].data.some((v) => v !== 0.25)).toBe(true);
    const logits = expectMatchesTfjs(xnor, trainer.model, 16);
    const { x } = testBatch(16);
    expect(compileEngine(source, { kernels: 'float', maxBatch: 16 }).run(x, 16)).toEqual(logits);
    trainer.dispose();
  });

  it('full-precision model (every conv in float) and full recovery', async () => {
    const config: RunConfig = { ...tiny, precision: 'full', recovery: 'full', steps: 4, seed: 4 };
    const trainer = await trained(config);
    const engine = compileEngine(await engineSourceFromModel(trainer.model), { maxBatch: 8 });
    expect(engine.steps.some((s) => s.kind === 'binary-conv')).toBe(false);
    expectMatchesTfjs(engine, trainer.model, 8);
    trainer.dispose();
  });

  it('rejects batches above maxBatch and short inputs', async () => {
    const trainer = new Trainer({ ...tiny, steps: 1 }, mnist);
    const engine = compileEngine(await engineSourceFromModel(trainer.model), { maxBatch: 2 });
    expect(() => engine.run(new Float32Array(3 * mnist.imageSize), 3)).toThrow(/batch must be 1…2/);
    expect(() => engine.run(new Float32Array(10), 1)).toThrow(/need 784 floats/);
    trainer.dispose();
  });
});
