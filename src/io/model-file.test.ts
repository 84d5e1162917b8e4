import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { useBackend } from '../test/tf';
import { applyPreset, type RunConfig } from '../bnn/config';
import { BnnModel, architectureFor } from '../bnn/model/model';
import { binaryConvOps, binaryWeightsOf } from '../bnn/model/binary-weights';
import { readSafetensors } from './safetensors';
import { FileFormatError } from '../data/file-format-error';
import { exportModel, float32Bytes, predictExportSize } from './export';
import { createInferenceModel, importModel } from './import';
import { ModelFileError } from './model-file-error';
import type { DatasetInfo } from './model-file-format';
import { TEST_BASE_CONFIG, TEST_DATASET, logitsOf, randomModel } from './model-file-testing';
import { MALFORMED_MODEL_CASES, tamper, type MalformedModelCase } from './model-file-malformed';

beforeAll(() => useBackend('cpu'));

const dataset = TEST_DATASET;
const base = TEST_BASE_CONFIG;
const model = randomModel;

const cases: [string, RunConfig, boolean][] = [
  ['IR-Net with latent weights', { ...base, weightTransform: 'librapb', activationEstimator: 'ede', weightEstimator: 'ede' }, true],
  ['DIR-Net IMB, bits only', { ...base, weightTransform: 'imb', activationEstimator: 'dte', weightEstimator: 'dte' }, false],
  ['vanilla (no scale)', { ...base, weightTransform: 'none', activationEstimator: 'ste', weightEstimator: 'ste' }, false],
  ['XNOR-Net scale with latent', { ...base, weightTransform: 'xnor', activationEstimator: 'ste', weightEstimator: 'ste' }, true],
  ['IR2Net compact recovery, ratio 3 (slice)', { ...base, weightTransform: 'none', activationEstimator: 'approxsign', weightEstimator: 'approxsign', recovery: 'compact', recoveryRatio: 3 }, false],
  ['full recovery', { ...base, recovery: 'full' }, false],
  ['ReActNet (RSign, RPReLU, XNOR scale) with latent', applyPreset(base, 'reactnet'), true],
  ['ReActNet ops in a full-precision model', { ...applyPreset(base, 'reactnet'), precision: 'full' }, false],
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

  it('stores the bits, the floats and the latent weights in three tensors, and the metadata a third party needs', async () => {
    const cfg = { ...base, weightTransform: 'librapb' as const };
    const { m, snap } = await model(cfg);
    const bytes = await exportModel({ config: cfg, params: snap, dataset, testAccuracy: null, includeLatent: true });
    const f = readSafetensors(bytes);
    expect(f.metadata.format).toBe('bnn-playground');
    expect(f.metadata.format_version).toBe('2');
    expect(f.metadata.test_accuracy).toBe('null');
    expect(Object.keys(f.metadata).sort()).toEqual(['config', 'dataset', 'format', 'format_version', 'ops', 'test_accuracy']);
    // Only what differs from the fixed baseline: the width (8), the seed (11), and the learning
    // rates, whose defaults moved after the baseline was fixed (the baseline never changes).
    expect(JSON.parse(f.metadata.config)).toEqual({ width: 8, seed: 11, lr: 0.005, latentLr: 0.01 });
    expect(JSON.parse(f.metadata.dataset)).toEqual(dataset);
    const lines = f.metadata.ops.split('\n');
    expect(lines.map((l) => l.split(' ')[1])).toEqual(m.arch.ops.map((o) => o.name));
    expect(lines.slice(0, 4)).toEqual(['conv2d stem.conv out=8', 'batchnorm stem.bn', 'hardtanh stem.act', 'bconv2d s1.b0.conv1 out=8 scale=1']);
    expect(lines).toContain('shortcut_a s2.b0.shortcut in=s1.b0.act2 stride=2 before=4 after=4');
    expect(lines.at(-1)).toBe('dense head.fc out=10');

    expect([...f.tensors.keys()].sort()).toEqual(['bits', 'latent', 'params']);
    const binaryWeights = binaryConvOps(m.arch).reduce((a, op) => a + 9 * op.cin * op.cout, 0);
    const scales = binaryConvOps(m.arch).reduce((a, op) => a + op.cout, 0);
    const floats = m.arch.params.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0) - binaryWeights;
    expect([f.tensors.get('bits')!.dtype, f.tensors.get('bits')!.shape]).toEqual(['U8', [binaryWeights / 8]]);
    expect([f.tensors.get('params')!.dtype, f.tensors.get('params')!.shape]).toEqual(['F32', [floats + scales]]);
    expect([f.tensors.get('latent')!.dtype, f.tensors.get('latent')!.shape]).toEqual(['F32', [binaryWeights]]);
    // The first parameters in op order: the stem conv's HWIO weight, then the stem BN's γ.
    const params = f.tensors.get('params')!.data as Float32Array;
    expect(params.subarray(0, 72)).toEqual(snap['stem.conv.w'].data);
    expect(params.subarray(72, 80)).toEqual(snap['stem.bn.gamma'].data);
    // The header is padded with spaces to a multiple of 8 bytes.
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + n)).trimEnd().endsWith('}')).toBe(true);
    m.dispose();
  });

  it('a full-precision model has no bits tensor and no latent weights', async () => {
    const cfg = { ...base, precision: 'full' as const };
    const { m, snap } = await model(cfg);
    const f = readSafetensors(await exportModel({ config: cfg, params: snap, dataset, testAccuracy: 0.5, includeLatent: true }));
    expect([...f.tensors.keys()]).toEqual(['params']);
    expect(f.metadata.ops.split('\n')[3]).toBe('conv2d s1.b0.conv1 out=8');
    m.dispose();
  });

  it('predicts the file size and the full-precision export of the same architecture', () => {
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
    expect(s.float32Bytes).toBe(float32Bytes(architectureFor(cfg, 10)));
    const withLatent = predictExportSize({ config: cfg, dataset: cifar, testAccuracy: 0.5, includeLatent: true });
    expect(withLatent.dataBytes - s.dataBytes).toBe(4 * 267264);
    // The full-precision twin stores every weight as float32 and no scale.
    expect(s.fullPrecision.dataBytes).toBe(s.float32Bytes);
    expect(s.fullPrecision.bytes).toBe(8 + s.fullPrecision.headerBytes + s.fullPrecision.dataBytes);
    expect(s.fullPrecision).toEqual(predictExportSize({ config: { ...cfg, precision: 'full' }, dataset: cifar, testAccuracy: 0.5 }).fullPrecision);
    // File against file: the header is a small share of the binary file.
    expect(s.headerBytes).toBeLessThan(0.06 * s.bytes);
    expect(s.fullPrecision.bytes / s.bytes).toBeGreaterThan(19);
  });
});

describe('import rejects spoilt version-2 files with one specific message', () => {
  const good: Partial<Record<MalformedModelCase['base'], Uint8Array>> = {};
  beforeAll(async () => {
    for (const [kind, cfg] of [['binary', { ...base, weightTransform: 'librapb' }], ['full', { ...base, precision: 'full' }]] as const) {
      const { m, snap } = await model(cfg);
      good[kind] = await exportModel({ config: cfg, params: snap, dataset, testAccuracy: 0.5, includeLatent: kind === 'binary' });
      m.dispose();
    }
  });

  it.each(MALFORMED_MODEL_CASES.map((c) => [c.what, c] as const))('%s', (_, c) => {
    const file = c.spoil(good[c.base]!);
    let caught: unknown;
    try {
      importModel(file);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ModelFileError);
    expect(caught).toBeInstanceOf(FileFormatError);
    expect((caught as ModelFileError).code).toBe(c.code);
    expect((caught as Error).message).toMatch(/^model file: /);
    expect((caught as Error).message).toMatch(c.message);
  });

  it('the good files import (each case above fails for its own reason)', () => {
    expect(importModel(tamper(good.binary!, () => {})).config.weightTransform).toBe('librapb');
    expect(importModel(good.full!).config.precision).toBe('full');
  });

  it('truncated files and random byte damage give only ModelFileError', () => {
    const bytes = good.binary!;
    expect(() => importModel(bytes.subarray(0, bytes.length - 1))).toThrow(ModelFileError);
    expect(() => importModel(new Uint8Array(4))).toThrow(/model file: .*too short/);
    const rng = seedrandom.alea('damage');
    let rejected = 0;
    for (let i = 0; i < 300; i++) {
      const b = Uint8Array.from(bytes);
      const flips = 1 + Math.floor(rng() * 4);
      for (let k = 0; k < flips; k++) {
        // Half the damage lands in the header, where every byte matters.
        const at = rng() < 0.5 ? 8 + Math.floor(rng() * 1500) : Math.floor(rng() * b.length);
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
