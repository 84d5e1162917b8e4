import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { useBackend } from '../test/tf';
import { DEFAULT_CONFIG, type RunConfig } from '../bnn/config';
import { BnnModel } from '../bnn/model/model';
import { forward } from '../bnn/model/forward';
import { binaryConvOps, binaryWeightsOf } from '../bnn/model/binary-weights';
import type { ParamSnapshot } from '../bnn/model/params';
import { readSafetensors, writeSafetensors, type SafeTensor } from './safetensors';
import { FileFormatError } from '../data/file-format-error';
import { exportModel, float32Bytes, predictExportSize } from './export';
import { createInferenceModel, importModel } from './import';
import { ModelFileError } from './model-file-error';
import type { DatasetInfo } from './model-file-format';

beforeAll(() => useBackend('cpu'));

const dataset: DatasetInfo = {
  name: 'mnist',
  inputShape: [28, 28, 1],
  mean: [0.13066047430038452],
  std: [0.30810782313346863],
  classNames: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
};
const base: RunConfig = { ...DEFAULT_CONFIG, depth: 8, width: 8, dataset: 'mnist', seed: 11 };

/** A model with non-trivial parameters everywhere (random BN statistics and affine too). */
async function model(cfg: RunConfig): Promise<{ m: BnnModel; snap: ParamSnapshot }> {
  const init = BnnModel.create(cfg, 10);
  const snap = await init.params.snapshot();
  const rng = seedrandom.alea(`perturb:${cfg.seed}`);
  for (const p of init.arch.params) {
    const d = Float32Array.from(snap[p.name].data);
    for (let i = 0; i < d.length; i++) {
      if (p.kind === 'bn_variance') d[i] = 0.2 + 2 * rng();
      else if (p.kind === 'bn_gamma') d[i] = 0.5 + rng();
      else if (p.kind === 'bn_mean' || p.kind === 'bn_beta' || p.kind === 'bias') d[i] = 0.4 * (rng() - 0.5);
    }
    snap[p.name] = { shape: snap[p.name].shape, data: d };
  }
  init.dispose();
  return { m: BnnModel.fromSnapshot(cfg, 10, snap), snap };
}

function logitsOf(m: { arch: BnnModel['arch']; params: BnnModel['params']; quant: BnnModel['quant'] }, x: tf.Tensor4D): number[] {
  return tf.tidy(() => Array.from(forward(m.arch, m.params, x, { training: false, quant: m.quant() }).logits.dataSync()));
}

const cases: [string, RunConfig, boolean][] = [
  ['IR-Net with latent weights', { ...base, weightTransform: 'librapb', activationEstimator: 'ede', weightEstimator: 'ede' }, true],
  ['DIR-Net IMB, bits only', { ...base, weightTransform: 'imb', activationEstimator: 'dte', weightEstimator: 'dte' }, false],
  ['vanilla (no scale)', { ...base, weightTransform: 'none', activationEstimator: 'ste', weightEstimator: 'ste' }, false],
  ['XNOR-Net scale with latent', { ...base, weightTransform: 'xnor', activationEstimator: 'ste', weightEstimator: 'ste' }, true],
  ['IR2Net compact recovery, ratio 3 (slice)', { ...base, weightTransform: 'none', activationEstimator: 'approxsign', weightEstimator: 'approxsign', recovery: 'compact', recoveryRatio: 3 }, false],
  ['full recovery', { ...base, recovery: 'full' }, false],
  ['full precision', { ...base, precision: 'full' }, false],
];

describe('export → import round trip', () => {
  it.each(cases)('%s: identical bits, predictions, metadata and re-exported bytes', async (_, cfg, includeLatent) => {
    const { m, snap } = await model(cfg);
    const bytes = await exportModel({ config: cfg, params: snap, dataset, testAccuracy: 0.8125, includeLatent });
    expect(bytes.length).toBe(predictExportSize({ config: cfg, dataset, testAccuracy: 0.8125, includeLatent }).bytes);

    const imp = importModel(bytes);
    expect(imp.config).toEqual(cfg);
    expect(imp.dataset).toEqual(dataset);
    expect(imp.classNames).toEqual(dataset.classNames);
    expect(imp.testAccuracy).toBe(0.8125);
    expect(imp.arch).toEqual(m.arch);
    expect(imp.hasLatent).toBe(includeLatent && cfg.precision === 'binary');
    expect(imp.binary).toEqual(await binaryWeightsOf(m));
    if (cfg.precision === 'binary') expect(imp.binary.length).toBe(6);

    const x = tf.randomNormal([4, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const expected = logitsOf(m, x);
    const inference = createInferenceModel(imp);
    expect(logitsOf(inference, x)).toEqual(expected);
    inference.dispose();
    if (includeLatent || cfg.precision === 'full') {
      expect(imp.snapshot).not.toBeNull();
      for (const p of m.arch.params) expect(imp.snapshot![p.name].data).toEqual(snap[p.name].data);
      const resumed = BnnModel.fromSnapshot(imp.config, imp.classNames.length, imp.snapshot!);
      expect(logitsOf(resumed, x)).toEqual(expected);
      resumed.dispose();
    } else {
      expect(imp.snapshot).toBeNull();
    }
    x.dispose();

    const again = await exportModel({
      config: imp.config,
      params: imp.snapshot ?? imp.inferenceSnapshot,
      dataset: imp.dataset,
      testAccuracy: imp.testAccuracy,
      includeLatent: imp.hasLatent,
      binary: imp.binary,
    });
    expect(again).toEqual(bytes);
    m.dispose();
  });

  it('stores packed U8 bits, F32 scales and floats, and the metadata a third party needs', async () => {
    const cfg = { ...base, weightTransform: 'librapb' as const };
    const { m, snap } = await model(cfg);
    const bytes = await exportModel({ config: cfg, params: snap, dataset, testAccuracy: null, includeLatent: true });
    const f = readSafetensors(bytes);
    expect(f.metadata.format).toBe('bnn-playground');
    expect(f.metadata.format_version).toBe('1');
    expect(f.metadata.latent).toBe('true');
    expect(f.metadata.test_accuracy).toBe('null');
    expect(JSON.parse(f.metadata.config)).toEqual(cfg);
    expect(JSON.parse(f.metadata.dataset)).toEqual(dataset);
    const arch = JSON.parse(f.metadata.architecture) as { ops: Record<string, unknown>[] };
    expect(arch.ops.map((o) => o.name)).toEqual(m.arch.ops.map((o) => o.name));
    expect(arch.ops.find((o) => o.op === 'batchnorm')!.epsilon).toBe(1e-5);
    expect(arch.ops.find((o) => o.name === 's1.b0.conv1')).toMatchObject({ binary: true, scale: 's1.b0.conv1.scale', weight: 's1.b0.conv1.w' });
    expect(arch.ops.find((o) => o.name === 'stem.conv')).toMatchObject({ binary: false, scale: null });
    const w = f.tensors.get('s3.b0.conv1.w')!;
    expect([w.dtype, w.shape]).toEqual(['U8', [32, 3, 3, 2]]);
    expect([f.tensors.get('s3.b0.conv1.scale')!.dtype, f.tensors.get('s3.b0.conv1.scale')!.shape]).toEqual(['F32', [32]]);
    expect(f.tensors.get('latent.s3.b0.conv1.w')!.shape).toEqual([3, 3, 16, 32]);
    expect(f.tensors.get('stem.conv.w')!.dtype).toBe('F32');
    expect(f.tensors.get('head.bn.variance')!.dtype).toBe('F32');
    expect(f.tensors.size).toBe(m.arch.params.length + 2 * binaryConvOps(m.arch).length);
    m.dispose();
  });

  it('predicts the file size; bits plus header are far below float32', () => {
    const cfg: RunConfig = { ...base, dataset: 'cifar10', depth: 20, width: 16, weightTransform: 'librapb' };
    const cifar: DatasetInfo = { name: 'cifar10', inputShape: [32, 32, 3], mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26], classNames: dataset.classNames };
    const s = predictExportSize({ config: cfg, dataset: cifar, testAccuracy: 0.5 });
    // 267264 binary weights → 33408 bytes. Floats: stem conv, 4 per BN channel, one scale per
    // binary out channel, dense 64·10 + 10 (the counts of resnet.test.ts).
    const floats = 432 + 4 * (16 + 6 * 16 + 6 * 32 + 6 * 64 + 64) + (6 * 16 + 6 * 32 + 6 * 64) + 650;
    expect(s.dataBytes).toBe(267264 / 8 + 4 * floats);
    expect(s.bytes).toBe(8 + s.headerBytes + s.dataBytes);
    expect(s.headerBytes % 8).toBe(0);
    expect(s.float32Bytes).toBe(4 * (267264 + floats - (6 * 16 + 6 * 32 + 6 * 64)));
    expect(s.float32Bytes).toBe(float32Bytes(BnnModel.create(cfg, 10).arch));
    const withLatent = predictExportSize({ config: cfg, dataset: cifar, testAccuracy: 0.5, includeLatent: true });
    expect(withLatent.dataBytes - s.dataBytes).toBe(4 * 267264);
    expect(s.bytes).toBeLessThan(s.float32Bytes / 10);
  });
});

/** Re-writes a file after editing its tensors and metadata (a hand-made bad file). */
function tamper(bytes: Uint8Array, edit: (t: Map<string, SafeTensor>, meta: Record<string, string>) => void): Uint8Array {
  const f = readSafetensors(bytes, { copy: true });
  const tensors = new Map(f.tensors);
  const meta = { ...f.metadata };
  edit(tensors, meta);
  return writeSafetensors(tensors, meta);
}

describe('import rejects bad files with one specific message', () => {
  let good: Uint8Array;
  beforeAll(async () => {
    const cfg = { ...base, weightTransform: 'librapb' as const };
    const { m, snap } = await model(cfg);
    good = await exportModel({ config: cfg, params: snap, dataset, testAccuracy: 0.5, includeLatent: true });
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
    ['unknown version', (_, m) => { m.format_version = '2'; }, 'format_version', /unsupported format version '2'; this app reads version 1/],
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

  it('truncated files and random byte damage give only ModelFileError', () => {
    expect(() => importModel(good.subarray(0, good.length - 1))).toThrow(ModelFileError);
    expect(() => importModel(new Uint8Array(4))).toThrow(/model file: .*too short/);
    const rng = seedrandom.alea('damage');
    let rejected = 0;
    for (let i = 0; i < 300; i++) {
      const b = Uint8Array.from(good);
      const flips = 1 + Math.floor(rng() * 4);
      for (let k = 0; k < flips; k++) {
        // Half the damage lands in the header, where every byte matters.
        const at = rng() < 0.5 ? 8 + Math.floor(rng() * 4000) : Math.floor(rng() * b.length);
        b[at] ^= 1 << Math.floor(rng() * 8);
      }
      try {
        importModel(b);
      } catch (e) {
        expect(e).toBeInstanceOf(ModelFileError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(100);
  });
});
