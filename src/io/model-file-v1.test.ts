import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../test/tf';
import type { RunConfig } from '../bnn/config';
import { binaryWeightsOf } from '../bnn/model/binary-weights';
import { evaluate } from '../bnn/train/evaluate';
import { loadMnistSmallNode } from '../data/mnist-node';
import type { SafeTensor } from './safetensors';
import { FileFormatError } from '../data/file-format-error';
import { exportModel } from './export';
import { createInferenceModel, importModel } from './import';
import { ModelFileError } from './model-file-error';
import { tamper } from './model-file-malformed';
import { TEST_BASE_CONFIG as base, TEST_DATASET as dataset, logitsOf, randomModel as model } from './model-file-testing';
import { writeVersion1 } from './model-file-v1-fixture';

/** Version-1 files (one tensor per parameter, verbose op list) still import, unchanged. */
beforeAll(() => useBackend('cpu'));

const cases: [string, RunConfig, boolean][] = [
  ['IR-Net with latent weights', { ...base, weightTransform: 'librapb', activationEstimator: 'ede', weightEstimator: 'ede' }, true],
  ['vanilla (no scale)', { ...base, weightTransform: 'none', activationEstimator: 'ste', weightEstimator: 'ste' }, false],
  ['IR2Net compact recovery, ratio 3 (slice)', { ...base, weightTransform: 'none', activationEstimator: 'approxsign', weightEstimator: 'ste', recovery: 'compact', recoveryRatio: 3 }, false],
  ['full precision', { ...base, precision: 'full' }, false],
];

describe('version 1 → import → version 2', () => {
  it.each(cases)('%s: the same bits, predictions and weights, and a version-2 re-export that imports to the same model', async (_, cfg, includeLatent) => {
    const { m, snap } = await model(cfg);
    const v1 = await writeVersion1({ config: cfg, params: snap, dataset, testAccuracy: 0.75, includeLatent });
    const imp = importModel(v1);
    expect(imp.formatVersion).toBe(1);
    expect(imp.config).toEqual(cfg);
    expect(imp.arch).toEqual(m.arch);
    expect(imp.hasLatent).toBe(includeLatent);
    expect(imp.binary).toEqual(await binaryWeightsOf(m));

    const x = tf.randomNormal([3, 28, 28, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const inference = createInferenceModel(imp);
    expect(logitsOf(inference, x)).toEqual(logitsOf(m, x));
    inference.dispose();
    if (includeLatent || cfg.precision === 'full') for (const p of m.arch.params) expect(imp.snapshot![p.name].data).toEqual(snap[p.name].data);

    const v2 = await exportModel({ config: imp.config, params: imp.snapshot ?? imp.inferenceSnapshot, dataset: imp.dataset, testAccuracy: imp.testAccuracy, includeLatent: imp.hasLatent, binary: imp.binary });
    const again = importModel(v2);
    expect(again.formatVersion).toBe(2);
    expect(again.binary).toEqual(imp.binary);
    expect(again.inferenceSnapshot).toEqual(imp.inferenceSnapshot);
    expect(again.snapshot).toEqual(imp.snapshot);
    expect(v2.length).toBeLessThan(v1.length);
    x.dispose();
    m.dispose();
  });

  it('a file the previous release wrote (trained IR-Net, MNIST small) imports and evaluates to its stored accuracy', async () => {
    await useBackend('wasm'); // the backend it was trained and evaluated on
    const bytes = Uint8Array.from(readFileSync(new URL('./fixtures/v1-irnet-mnist-small.safetensors', import.meta.url)));
    const imp = importModel(bytes);
    expect(imp.formatVersion).toBe(1);
    expect([imp.config.dataset, imp.config.depth, imp.config.width, imp.config.weightTransform]).toEqual(['mnist-small', 8, 8, 'librapb']);
    const model = createInferenceModel(imp);
    const e = await evaluate(model, loadMnistSmallNode());
    model.dispose();
    expect(e.count).toBe(1424);
    expect(e.accuracy).toBe(imp.testAccuracy);
    await useBackend('cpu');
  });
});

describe('import rejects bad version-1 files with one specific message', () => {
  let good: Uint8Array;
  beforeAll(async () => {
    const cfg = { ...base, weightTransform: 'librapb' as const };
    const { m, snap } = await model(cfg);
    good = await writeVersion1({ config: cfg, params: snap, dataset, testAccuracy: 0.5, includeLatent: true });
    m.dispose();
  });

  const arch = (meta: Record<string, string>, f: (a: { ops: Record<string, unknown>[] } & Record<string, unknown>) => void): void => {
    const a = JSON.parse(meta.architecture);
    f(a);
    meta.architecture = JSON.stringify(a);
  };
  const f32 = (t: Map<string, SafeTensor>, name: string): Float32Array => Float32Array.from(t.get(name)!.data as Float32Array);

  const bad: [string, (t: Map<string, SafeTensor>, meta: Record<string, string>) => void, string, RegExp][] = [
    ['tampered stride', (_, m) => arch(m, (a) => { a.ops.find((o) => o.name === 's2.b0.conv1')!.stride = 1; }), 'architecture',
      /stored architecture differs .*: ops\[\d+\] \(s2\.b0\.conv1\)\.stride: file has 1, expected 2/],
    ['op removed', (_, m) => arch(m, (a) => { a.ops.splice(3, 1); }), 'architecture', /ops: file has \d+ entries, expected \d+/],
    ['op rewired', (_, m) => arch(m, (a) => { a.ops.find((o) => o.name === 's1.b0.conv2')!.input = 'stem.conv'; }), 'architecture',
      /ops\[\d+\] \(s1\.b0\.conv2\)\.input: file has "stem\.conv", expected "s1\.b0\.act1"/],
    ['BN epsilon changed', (_, m) => arch(m, (a) => { a.ops[1].epsilon = 1e-3; }), 'architecture', /ops\[1\] \(stem\.bn\)\.epsilon: file has 0\.001, expected 0\.00001/],
    ['unknown op field', (_, m) => arch(m, (a) => { a.ops[2].alpha = 1; }), 'architecture', /architecture' does not match its schema: ops\.2/],
    ['missing tensor', (t) => t.delete('head.bn.gamma'), 'missing_tensor', /file has no tensor 'head\.bn\.gamma'/],
    ['missing latent', (t) => t.delete('latent.s1.b0.conv2.w'), 'missing_tensor', /no tensor 'latent\.s1\.b0\.conv2\.w'/],
    ['wrong shape', (t) => t.set('head.fc.b', { dtype: 'F32', shape: [9], data: new Float32Array(9) }), 'tensor_mismatch',
      /'head\.fc\.b' has shape \[9\], expected \[10\]/],
    ['bits as floats', (t) => t.set('s1.b0.conv1.w', { dtype: 'F32', shape: [8, 3, 3, 1], data: new Float32Array(72) }), 'tensor_mismatch',
      /'s1\.b0\.conv1\.w' has dtype F32, expected U8/],
    ['extra tensor', (t) => t.set('extra', { dtype: 'U8', shape: [1], data: new Uint8Array(1) }), 'unexpected_tensor', /unexpected tensor 'extra'/],
    ['NaN weight', (t) => { const d = f32(t, 'stem.conv.w'); d[3] = NaN; t.set('stem.conv.w', { dtype: 'F32', shape: [3, 3, 1, 8], data: d }); },
      'safetensors_non_finite', /tensor 'stem\.conv\.w' \(F32\) contains NaN at element 3/],
    ['Inf scale', (t) => { const d = f32(t, 's2.b0.conv2.scale'); d[0] = Infinity; t.set('s2.b0.conv2.scale', { dtype: 'F32', shape: [16], data: d }); },
      'safetensors_non_finite', /'s2\.b0\.conv2\.scale' \(F32\) contains an infinity/],
    ['negative variance', (t) => { const d = f32(t, 's1.b0.bn2.variance'); d[2] = -1; t.set('s1.b0.bn2.variance', { dtype: 'F32', shape: [8], data: d }); },
      'bad_value', /'s1\.b0\.bn2\.variance' holds a negative variance \(-1\) at element 2/],
    ['unknown version', (_, m) => { m.format_version = '7'; }, 'format_version', /unsupported format version '7'; this app reads versions 1 and 2/],
    ['no version', (_, m) => { delete m.format_version; }, 'format_version', /unsupported format version missing/],
    ['other format', (_, m) => { m.format = 'pt'; }, 'not_model_file', /not a BNN Playground model: __metadata__ format is 'pt'/],
    ['invalid config', (_, m) => { m.config = JSON.stringify({ ...JSON.parse(m.config), depth: 9 }); }, 'config', /run config is invalid: depth/],
    ['config not JSON', (_, m) => { m.config = '{depth: 8'; }, 'config', /'config' is not acceptable JSON/],
    ['class names shortened', (_, m) => { m.dataset = JSON.stringify({ ...dataset, classNames: dataset.classNames.slice(0, 9) }); }, 'architecture',
      /classes: file has 10, expected 9/],
    ['dataset mismatch', (_, m) => { m.dataset = JSON.stringify({ ...dataset, name: 'cifar10' }); }, 'dataset', /dataset is 'cifar10' but the config trains on 'mnist'/],
    ['zero std', (_, m) => { m.dataset = JSON.stringify({ ...dataset, std: [0] }); }, 'dataset', /std\.0: must be positive/],
    ['accuracy out of range', (_, m) => { m.test_accuracy = '1.5'; }, 'metadata', /test_accuracy' does not match its schema/],
    ['latent flag lies', (_, m) => { m.latent = 'false'; }, 'unexpected_tensor', /unexpected tensor 'latent\./],
    ['latent flag garbage', (_, m) => { m.latent = 'yes'; }, 'metadata', /latent must be 'true' or 'false'/],
  ];

  it.each(bad)('%s', (_, edit, code, message) => {
    const file = tamper(good, edit);
    let caught: unknown;
    try {
      importModel(file);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ModelFileError);
    expect(caught).toBeInstanceOf(FileFormatError);
    expect((caught as ModelFileError).code).toBe(code);
    expect((caught as Error).message).toMatch(/^model file: /);
    expect((caught as Error).message).toMatch(message);
  });

  it('the untampered file imports (the table above fails for its own reason)', () => {
    expect(importModel(tamper(good, () => {})).config.weightTransform).toBe('librapb');
  });
});
