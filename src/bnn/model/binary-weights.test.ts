import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../test/tf';
import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { BnnModel } from './model';
import { forward, binaryWeight } from './forward';
import {
  FixedWeightsModel,
  binaryConvOps,
  binaryWeightsFromSnapshot,
  binaryWeightsOf,
  effectiveWeight,
  fixedWeightsSnapshot,
} from './binary-weights';
import type { ParamSnapshot } from './params';
import { getWeightTransform } from '../quantizers/registry';

beforeAll(() => useBackend('cpu'));

const base: RunConfig = { ...DEFAULT_CONFIG, depth: 8, width: 8, dataset: 'mnist', seed: 5 };

/** Per out channel o of an HWIO weight: its kh·kw·cin values. */
function channel(data: ArrayLike<number>, cout: number, o: number): number[] {
  const out: number[] = [];
  for (let i = o; i < data.length; i += cout) out.push(data[i]);
  return out;
}

/** Libra-PB / IMB balance and standardise in float64: (w − mean) / std (unbiased). */
function standardized(v: number[]): number[] {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const c = v.map((x) => x - m);
  const sd = Math.sqrt(c.reduce((a, b) => a + b * b, 0) / (v.length - 1));
  return c.map((x) => x / sd);
}

/** A snapshot whose binary conv latents carry a per-channel offset, so sign(raw) ≠ sign(balanced). */
async function offsetModel(cfg: RunConfig): Promise<{ model: BnnModel; snap: ParamSnapshot }> {
  const init = BnnModel.create(cfg, 10);
  const snap = await init.params.snapshot();
  init.dispose();
  for (const op of binaryConvOps(init.arch)) {
    const d = Float32Array.from(snap[op.weight].data);
    for (let i = 0; i < d.length; i++) d[i] = 0.05 * d[i] + 0.2 * (((i % op.cout) % 3) - 1) + 0.01;
    snap[op.weight] = { shape: snap[op.weight].shape, data: d };
  }
  return { model: BnnModel.fromSnapshot(cfg, 10, snap), snap };
}

describe('binary weights of a model', () => {
  it('Libra-PB: signs of the balanced weights (not of the raw latents) and power-of-two scales', async () => {
    const { model, snap } = await offsetModel({ ...base, weightTransform: 'librapb' });
    const bw = await binaryWeightsOf(model);
    expect(bw.map((b) => b.name)).toEqual(binaryConvOps(model.arch).map((o) => o.name));
    let differsFromRaw = 0;
    for (const b of bw) {
      const cout = b.shape[3];
      for (let o = 0; o < cout; o++) {
        const raw = channel(snap[b.weight].data, cout, o);
        const ws = standardized(raw);
        expect(channel(b.signs, cout, o)).toEqual(ws.map((x) => (x >= 0 ? 1 : -1)));
        differsFromRaw += raw.filter((x, i) => (x >= 0 ? 1 : -1) !== (ws[i] >= 0 ? 1 : -1)).length;
        const meanAbs = ws.reduce((a, x) => a + Math.abs(x), 0) / ws.length;
        expect(b.scale![o]).toBe(2 ** Math.round(Math.log2(meanAbs)));
      }
    }
    expect(differsFromRaw).toBeGreaterThan(100);
    model.dispose();
  });

  it('IMB: scale = mean |ŵs|; none: raw signs and no scale; xnor: mean |w|', async () => {
    for (const t of ['imb', 'none', 'xnor'] as const) {
      const { model, snap } = await offsetModel({ ...base, weightTransform: t });
      for (const b of await binaryWeightsOf(model)) {
        const cout = b.shape[3];
        for (let o = 0; o < cout; o++) {
          const raw = channel(snap[b.weight].data, cout, o);
          const v = t === 'imb' ? standardized(raw) : raw;
          expect(channel(b.signs, cout, o)).toEqual(v.map((x) => (x >= 0 ? 1 : -1)));
          if (t === 'none') expect(b.scale).toBeNull();
          else expect(b.scale![o]).toBeCloseTo(v.reduce((a, x) => a + Math.abs(x), 0) / v.length, 5);
        }
      }
      model.dispose();
    }
  });

  it('signs · scale is exactly the Bw of the forward pass; from a snapshot gives the same', async () => {
    const { model, snap } = await offsetModel({ ...base, weightTransform: 'imb' });
    const quant = model.quant()!;
    const bw = await binaryWeightsOf(model);
    expect(await binaryWeightsFromSnapshot(model.arch, snap, getWeightTransform('imb'))).toEqual(bw);
    for (const b of bw) {
      const expected = tf.tidy(() => binaryWeight(model.params.get(b.weight) as tf.Tensor as tf.Tensor4D, quant).dataSync());
      expect(Array.from(effectiveWeight(b))).toEqual(Array.from(expected));
    }
    model.dispose();
  });

  it('a full-precision model has no binary weights', async () => {
    const m = BnnModel.create({ ...base, precision: 'full' }, 10);
    expect(await binaryWeightsOf(m)).toEqual([]);
    m.dispose();
  });

  it.each(['librapb', 'imb', 'xnor', 'none'] as const)(
    'FixedWeightsModel with Bw in place of the latents predicts exactly like the model (%s)',
    async (t) => {
      const { model, snap } = await offsetModel({ ...base, weightTransform: t });
      const bw = await binaryWeightsOf(model);
      const fixed = FixedWeightsModel.fromSnapshot(model.config, model.arch, fixedWeightsSnapshot(snap, bw));
      const x = tf.randomNormal([3, 28, 28, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
      const a = tf.tidy(() => forward(model.arch, model.params, x, { training: false, quant: model.quant() }).logits.dataSync());
      const b = tf.tidy(() => forward(fixed.arch, fixed.params, x, { training: false, quant: fixed.quant() }).logits.dataSync());
      expect(Array.from(b)).toEqual(Array.from(a));
      // Re-deriving binary weights from the fixed model gives the same bits and scales back.
      const again = await binaryWeightsOf(fixed);
      for (let i = 0; i < bw.length; i++) {
        expect(again[i].signs).toEqual(bw[i].signs);
        if (bw[i].scale) expect(again[i].scale).toEqual(bw[i].scale);
      }
      x.dispose();
      fixed.dispose();
      model.dispose();
    },
  );
});
