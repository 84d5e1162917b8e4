import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { useBackend } from '../../test/tf';
import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { BnnModel } from '../model/model';
import { datasetFromArrays } from '../../data/dataset';
import { Trainer, type StepMetrics } from './trainer';
import {
  LayerStatsTracker,
  binaryConvOps,
  binaryEntropy,
  flipShare,
  symmetricHistogram,
  type LayerStats,
} from './layer-stats';

beforeAll(() => useBackend('wasm'));

const tiny: RunConfig = { ...DEFAULT_CONFIG, depth: 8, width: 8, seed: 5 };
/** H(1/4) = 1/4 · 2 + 3/4 · log2(4/3) = 2 − (3/4) log2 3. */
const H_QUARTER = 2 - 0.75 * Math.log2(3);

function model(weightTransform: RunConfig['weightTransform']): BnnModel {
  return BnnModel.create({ ...tiny, weightTransform }, 10);
}

function plant(m: BnnModel, param: string, fill: (i: number) => number): number[] {
  const v = m.params.get(param);
  const values = Array.from({ length: v.size }, (_, i) => fill(i));
  tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
  return values;
}

function weightOf(m: BnnModel, layer: string): string {
  return binaryConvOps(m.arch).find((l) => l.name === layer)!.weight;
}

/** Standard normal from a seeded uniform source (Box–Muller). */
function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

function entropyOfCount(ones: number, n: number): number {
  const p = ones / n;
  return p === 0 || p === 1 ? 0 : -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
}

async function measured(t: LayerStatsTracker, ...args: Parameters<LayerStatsTracker['measure']>): Promise<LayerStats> {
  const before = tf.memory().numTensors;
  const s = await t.measure(...args);
  expect(tf.memory().numTensors).toBe(before);
  return s;
}

describe('binaryEntropy', () => {
  it('matches the closed forms', () => {
    expect(binaryEntropy(0)).toBe(0);
    expect(binaryEntropy(1)).toBe(0);
    expect(binaryEntropy(0.5)).toBe(1);
    expect(binaryEntropy(0.25)).toBeCloseTo(0.8113, 4);
    expect(binaryEntropy(0.25)).toBeCloseTo(H_QUARTER, 12);
    expect(binaryEntropy(0.75)).toBeCloseTo(H_QUARTER, 12);
  });
});

describe('symmetricHistogram', () => {
  it('bins by hand over [−max|v|, max|v|]', () => {
    // m = 2, 4 bins: [−2,−1) [−1,0) [0,1) [1,2]
    const h = symmetricHistogram([-2, -1.9, 0, 0.1, 0.5, 1.3, 2], 4);
    expect(h.edges).toEqual([-2, -1, 0, 1, 2]);
    expect(h.counts).toEqual([2, 0, 3, 2]);
  });

  it('puts all-zero values in the middle bin of [−1, 1] and skips non-finite values', () => {
    expect(symmetricHistogram([0, 0, 0], 2)).toEqual({ edges: [-1, 0, 1], counts: [0, 3] });
    expect(symmetricHistogram([NaN, Infinity, -0.5, 0.5], 2).counts).toEqual([1, 1]);
  });
});

describe('flipShare', () => {
  it('is the share of differing signs', () => {
    expect(flipShare(Uint8Array.of(1, 0, 1, 1), Uint8Array.of(1, 1, 0, 1))).toBe(0.5);
  });
});

describe('LayerStatsTracker', () => {
  it('lists the binary convs and defaults the histogram to the first', () => {
    const m = model('none');
    const t = new LayerStatsTracker(m);
    expect(t.layerNames).toEqual(['s1.b0.conv1', 's1.b0.conv2', 's2.b0.conv1', 's2.b0.conv2', 's3.b0.conv1', 's3.b0.conv2']);
    expect(t.histogramLayer).toBe('s1.b0.conv1');
    expect(t.setHistogramLayer('stem.conv')).toBe(false);
    expect(t.setHistogramLayer('s2.b0.conv2')).toBe(true);
    expect(t.histogramLayer).toBe('s2.b0.conv2');
    expect(() => new LayerStatsTracker(m, { histogramLayer: 'nope' })).toThrow(/no binary conv 'nope'/);
    expect(new LayerStatsTracker(BnnModel.create({ ...tiny, precision: 'full' }, 10)).layerNames).toEqual([]);
    m.dispose();
  });

  it('weight entropy of planted signs: all +1 → 0 bits, half/half → 1 bit, one quarter +1 → 0.8113', async () => {
    const m = model('none');
    plant(m, weightOf(m, 's1.b0.conv1'), () => 0.3);
    plant(m, weightOf(m, 's1.b0.conv2'), (i) => (i % 2 ? 0.3 : -0.3));
    plant(m, weightOf(m, 's2.b0.conv1'), (i) => (i % 4 === 0 ? 0.2 : -0.7));
    plant(m, weightOf(m, 's2.b0.conv2'), () => -1);
    const s = await measured(new LayerStatsTracker(m), 7);
    expect(s.step).toBe(7);
    const h = Object.fromEntries(s.layers.map((l) => [l.name, l.weightEntropy]));
    expect(h['s1.b0.conv1']).toBe(0);
    expect(h['s1.b0.conv2']).toBe(1);
    expect(h['s2.b0.conv1']).toBeCloseTo(H_QUARTER, 10);
    expect(h['s2.b0.conv2']).toBe(0);
    // nothing else was asked for
    for (const l of s.layers) expect([l.activationEntropy, l.flipRatio, l.gradNorm]).toEqual([null, null, null]);
    expect(s.histogram).toBeNull();
    m.dispose();
  });

  it('Libra-PB holds weight entropy near 1 bit where sign(w) of weights with a positive mean stays below', async () => {
    const rng = seedrandom.alea('planted-mean');
    const none = model('none');
    const libra = model('librapb');
    const expectedNone: number[] = [];
    const expectedLibra: number[] = [];
    for (const op of binaryConvOps(none.arch)) {
      const values = plant(none, op.weight, () => 0.5 + gaussian(rng));
      plant(libra, op.weight, (i) => values[i]);
      expectedNone.push(entropyOfCount(values.filter((v) => v >= 0).length, values.length));
      // Libra-PB's sign is that of w − mean over each out channel (the last HWIO axis)
      const cout = op.cout;
      const sums = new Array<number>(cout).fill(0);
      values.forEach((v, i) => (sums[i % cout] += v));
      const per = values.length / cout;
      const ones = values.filter((v, i) => v - sums[i % cout] / per >= 0).length;
      expectedLibra.push(entropyOfCount(ones, values.length));
    }
    const sNone = await measured(new LayerStatsTracker(none), 0);
    const sLibra = await measured(new LayerStatsTracker(libra), 0);
    sNone.layers.forEach((l, i) => {
      expect(l.weightEntropy).toBeCloseTo(expectedNone[i], 3);
      // p ≈ Φ(0.5) ≈ 0.69, H ≈ 0.89
      expect(l.weightEntropy).toBeLessThan(0.95);
    });
    sLibra.layers.forEach((l, i) => {
      expect(l.weightEntropy).toBeCloseTo(expectedLibra[i], 3);
      expect(l.weightEntropy).toBeGreaterThan(0.99);
    });
    none.dispose();
    libra.dispose();
  });

  it('activation entropy of sign(x) entering each binary conv on a probe batch (inference mode)', async () => {
    const m = model('librapb');
    // Zero stem conv: the stem BN (inference: μ 0, σ² 1, γ 1) outputs β, hardtanh keeps it, so the first
    // binary conv sees +0.5 on 2 of 8 channels and −0.5 on 6 at every pixel: p = 1/4.
    plant(m, 'stem.conv.w', () => 0);
    plant(m, 'stem.bn.beta', (c) => (c < 2 ? 0.5 : -0.5));
    const probe = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const t = new LayerStatsTracker(m);
    let s = await measured(t, 1, probe);
    expect(s.layers[0].activationEntropy).toBeCloseTo(H_QUARTER, 6);
    for (const l of s.layers) {
      expect(l.activationEntropy).toBeGreaterThanOrEqual(0);
      expect(l.activationEntropy).toBeLessThanOrEqual(1);
    }
    plant(m, 'stem.bn.beta', () => 0.5);
    s = await measured(t, 2, probe);
    expect(s.layers[0].activationEntropy).toBe(0);
    plant(m, 'stem.bn.beta', (c) => (c % 2 ? 0.5 : -0.5));
    s = await measured(t, 3, probe);
    expect(s.layers[0].activationEntropy).toBe(1);
    probe.dispose();
    m.dispose();
  });

  it('flip ratio counts the signs changed since the previous measurement', async () => {
    const m = model('none');
    const t = new LayerStatsTracker(m);
    const first = await measured(t, 0);
    expect(first.layers.every((l) => l.flipRatio === null)).toBe(true);
    const name = weightOf(m, 's1.b0.conv2');
    const w = m.params.get(name);
    const values = Array.from(await w.data());
    const flipped = [0, 7, 100, 301, 575];
    for (const i of flipped) values[i] = -values[i];
    tf.tidy(() => w.assign(tf.tensor(values, w.shape)));
    const second = await measured(t, 10);
    expect(second.layers.map((l) => l.flipRatio)).toEqual([0, flipped.length / 576, 0, 0, 0, 0]);
    const third = await measured(t, 20);
    expect(third.layers.every((l) => l.flipRatio === 0)).toBe(true);
    // baseline() sets the reference without reporting
    const t2 = new LayerStatsTracker(m);
    await t2.baseline();
    expect((await measured(t2, 30)).layers.every((l) => l.flipRatio === 0)).toBe(true);
    m.dispose();
  });

  it('gradient norms per layer and the histogram of the chosen layer from planted gradients', async () => {
    const m = model('none');
    const ops = binaryConvOps(m.arch);
    const grads: tf.NamedTensorMap = {};
    ops.forEach((op, i) => {
      const v = m.params.get(op.weight);
      grads[v.name] = tf.fill(v.shape, i + 1);
    });
    // s1.b0.conv1 (576 values): i % 7 − 3 ∈ {−3..3}; m = 3, 6 bins of width 1; +3 falls in the last bin.
    const first = m.params.get(ops[0].weight);
    tf.dispose(grads[first.name]);
    grads[first.name] = tf.tensor(Array.from({ length: 576 }, (_, i) => (i % 7) - 3), first.shape);
    const t = new LayerStatsTracker(m, { bins: 6 });
    const s = await measured(t, 4, null, grads);
    // Σ over 576 values of (i%7 − 3)²: 82 full cycles of 28 plus i%7 ∈ {0, 1} → 9 + 4
    expect(s.layers[0].gradNorm).toBeCloseTo(Math.sqrt(82 * 28 + 13), 4);
    ops.slice(1).forEach((op, j) => {
      const n = op.kernel * op.kernel * op.cin * op.cout;
      expect(s.layers[j + 1].gradNorm).toBeCloseTo((j + 2) * Math.sqrt(n), 3);
    });
    expect(s.histogram).toEqual({ layer: 's1.b0.conv1', edges: [-3, -2, -1, 0, 1, 2, 3], counts: [83, 83, 82, 82, 82, 164] });
    // another layer by name: a constant gradient c lands in the last bin of [−c, c]
    t.setHistogramLayer('s2.b0.conv1');
    const s2 = await measured(t, 5, null, grads);
    expect(s2.histogram!.layer).toBe('s2.b0.conv1');
    expect(s2.histogram!.counts).toEqual([0, 0, 0, 0, 0, 3 * 3 * 8 * 16]);
    tf.dispose(Object.values(grads));
    m.dispose();
  });

  it('the stats are plain data that survive JSON', async () => {
    const m = model('librapb');
    const t = new LayerStatsTracker(m);
    const s = await measured(t, 0);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    m.dispose();
  });
});

describe('Trainer layer statistics', () => {
  const data = (() => {
    const rng = seedrandom.alea('images');
    const count = 48;
    const images = new Uint8Array(count * 28 * 28);
    for (let i = 0; i < images.length; i++) images[i] = Math.floor(rng() * 256);
    return datasetFromArrays({
      name: 'noise',
      images,
      labels: Array.from({ length: count }, (_, i) => i % 10),
      h: 28,
      w: 28,
      c: 1,
      classNames: Array.from({ length: 10 }, (_, i) => `${i}`),
      trainIndices: Int32Array.from({ length: 40 }, (_, i) => i),
      testIndices: Int32Array.from({ length: 8 }, (_, i) => 40 + i),
    });
  })();
  const cfg: RunConfig = { ...tiny, batchSize: 4, steps: 7, evalEvery: 5, evalLimit: 8 };

  it('reports every statsEvery steps, at evaluations and at the end, without leaking tensors', async () => {
    const stats: LayerStats[] = [];
    const steps: StepMetrics[] = [];
    const counts: number[] = [];
    const trainer = new Trainer(
      cfg,
      data,
      {
        onStep: (m) => {
          steps.push(m);
          counts.push(tf.memory().numTensors);
        },
        onLayerStats: (s) => stats.push(s),
      },
      { statsEvery: 2, histogramLayer: 's2.b0.conv1' },
    );
    expect(trainer.statsLayers).toHaveLength(6);
    await trainer.run();
    expect(stats.map((s) => s.step)).toEqual([2, 4, 5, 6, 7]);
    for (const s of stats) {
      const step = steps.find((m) => m.step === s.step)!;
      const norms = s.layers.map((l) => l.gradNorm!);
      for (const g of norms) expect(g).toBeGreaterThan(0);
      // the binary convs' latent gradients are part of all gradients
      expect(Math.hypot(...norms)).toBeLessThanOrEqual(step.gradNorm * (1 + 1e-5));
      for (const l of s.layers) {
        expect(l.flipRatio).toBeGreaterThanOrEqual(0);
        expect(l.flipRatio).toBeLessThanOrEqual(1);
        expect(l.activationEntropy).not.toBeNull();
      }
      expect(s.histogram!.layer).toBe('s2.b0.conv1');
      expect(s.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(3 * 3 * 8 * 16);
      expect(s.histogram!.edges).toHaveLength(31);
    }
    expect(Math.max(...counts.slice(2))).toBe(Math.min(...counts.slice(2)));
    trainer.dispose();
  });

  it('measures nothing without a listener, for statsEvery 0 or for a full-precision model', async () => {
    for (const [c, every] of [
      [cfg, 0],
      [{ ...cfg, precision: 'full' as const }, 2],
    ] as const) {
      const stats: LayerStats[] = [];
      const t = new Trainer({ ...c, steps: 2 }, data, { onLayerStats: (s) => stats.push(s) }, { statsEvery: every });
      await t.run();
      expect(stats).toEqual([]);
      expect(t.statsLayers).toEqual([]);
      t.dispose();
    }
  });
});
