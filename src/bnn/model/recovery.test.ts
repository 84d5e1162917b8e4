import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../test/tf';
import { buildResNet, type ResNetSpec } from './resnet';
import { ParamStore } from './params';
import { forward } from './forward';
import { summarize, type ModelSummary } from './summary';
import { getWeightTransform } from '../quantizers/registry';
import { quantContextFor } from './model';

beforeAll(() => useBackend('wasm'));

const spec: ResNetSpec = { depth: 20, width: 16, input: [32, 32, 3], classes: 10, binary: true, recovery: 'off', recoveryRatio: 4 };
const summary = (s: Partial<ResNetSpec>): ModelSummary => summarize(buildResNet({ ...spec, ...s }), { binaryScale: true });
const row = (s: ModelSummary, name: string) => {
  const r = s.rows.find((x) => x.name === name);
  if (!r) throw new Error(`no row ${name}`);
  return r;
};

describe('IR2Net recovery for ResNet-20, w = 16 (32×32×3): counts made by hand', () => {
  // Last stage: 8×8×64 (64 positions). Stem 32×32×16 and stage 1 32×32×16 pool by 4, stage 2
  // 16×16×32 pools by 2: 16 + 16 + 32 + 64 = 128 channels at 8×8.
  const off = summary({});

  it('pooling and concatenation: 128 channels at 8×8, no parameters', () => {
    const s = summary({ recovery: 'full' });
    expect(row(s, 'recovery.pool0').outputShape).toEqual([8, 8, 16]);
    expect(row(s, 'recovery.pool1').outputShape).toEqual([8, 8, 16]);
    expect(row(s, 'recovery.pool2').outputShape).toEqual([8, 8, 32]);
    expect(row(s, 'recovery.concat').outputShape).toEqual([8, 8, 128]);
    for (const n of ['recovery.pool0', 'recovery.pool1', 'recovery.pool2', 'recovery.concat']) {
      expect(row(s, n).floatParams + row(s, n).flops).toBe(0);
    }
    expect(s.rows.some((r) => r.name === 'recovery.pool3')).toBe(false);
  });

  it('full module: 1×1 conv 128 → 64, BN, hardtanh', () => {
    const s = summary({ recovery: 'full' });
    // conv: 128·64 = 8192 weights, 8192 MACs per position · 64 positions = 524,288; BN: 4·64 = 256 floats
    expect(row(s, 'recovery.conv')).toMatchObject({ outputShape: [8, 8, 64], floatParams: 8192, flops: 524288, binaryParams: 0 });
    expect(row(s, 'recovery.bn')).toMatchObject({ outputShape: [8, 8, 64], floatParams: 256 });
    expect(s.floatParams - off.floatParams).toBe(8192 + 256);
    expect(s.flops - off.flops).toBe(524288);
    expect(s.binaryParams).toBe(off.binaryParams);
    expect(s.bops).toBe(off.bops);
    expect(s.ops - off.ops).toBe(524288);
  });

  it('compact module, ratio 4: m = 16 primary channels and 48 cheap ones, no slice', () => {
    const s = summary({ recovery: 'compact', recoveryRatio: 4 });
    // primary 1×1 conv 128 → 16: 2048 weights, 2048·64 = 131,072 MACs; BN 16: 64 floats
    expect(row(s, 'recovery.primary.conv')).toMatchObject({ outputShape: [8, 8, 16], floatParams: 2048, flops: 131072 });
    expect(row(s, 'recovery.primary.bn').floatParams).toBe(64);
    // cheap 3×3 depthwise, multiplier 3: 3·3·16·3 = 432 weights, 432·64 = 27,648 MACs; BN 48: 192 floats
    expect(row(s, 'recovery.cheap.conv')).toMatchObject({ outputShape: [8, 8, 48], floatParams: 432, flops: 27648 });
    expect(row(s, 'recovery.cheap.bn').floatParams).toBe(192);
    expect(row(s, 'recovery.ghost').outputShape).toEqual([8, 8, 64]);
    expect(s.rows.some((r) => r.op === 'slice_channels')).toBe(false);
    expect(s.floatParams - off.floatParams).toBe(2048 + 64 + 432 + 192);
    expect(s.flops - off.flops).toBe(131072 + 27648);
    expect(s.binaryParams).toBe(off.binaryParams);
    // about 3.3× fewer extra FLOPs than the full module
    expect(524288 / (131072 + 27648)).toBeGreaterThan(3.3);
  });

  it('compact module, ratio 3: m = ceil(64/3) = 22, 44 cheap channels, the first 64 of 66 kept', () => {
    const s = summary({ recovery: 'compact', recoveryRatio: 3 });
    expect(row(s, 'recovery.primary.conv')).toMatchObject({ outputShape: [8, 8, 22], floatParams: 128 * 22, flops: 128 * 22 * 64 });
    expect(row(s, 'recovery.cheap.conv')).toMatchObject({ outputShape: [8, 8, 44], floatParams: 9 * 22 * 2, flops: 9 * 44 * 64 });
    expect(row(s, 'recovery.ghost').outputShape).toEqual([8, 8, 66]);
    expect(row(s, 'recovery.slice').outputShape).toEqual([8, 8, 64]);
    expect(s.floatParams - off.floatParams).toBe(2816 + 4 * 22 + 396 + 4 * 44);
    expect(s.flops - off.flops).toBe((2816 + 396) * 64);
  });

  it('the head reads the fused 64 channels', () => {
    for (const recovery of ['full', 'compact'] as const) {
      const s = summary({ recovery });
      expect(row(s, 'head.pool').outputShape).toEqual([64]);
      expect(row(s, 'head.fc').floatParams).toBe(64 * 10 + 10);
    }
  });
});

describe('recovery forward and gradients on wasm', () => {
  const quant = quantContextFor({ activationEstimator: 'approxsign', weightEstimator: 'ste' }, getWeightTransform('none'));

  it.each(['full', 'compact'] as const)('%s: shapes of the fused features and the logits', (recovery) => {
    const arch = buildResNet({ ...spec, recovery });
    const params = ParamStore.init(arch, 2);
    const fused = recovery === 'full' ? 'recovery.act' : 'recovery.ghost';
    const before = tf.memory().numTensors;
    const shapes = tf.tidy(() => {
      const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const r = forward(arch, params, x, { training: true, quant, keep: ['recovery.concat', fused, arch.lastStage] });
      return [r.outputs['recovery.concat'].shape, r.outputs[fused].shape, r.outputs[arch.lastStage].shape, r.logits.shape];
    });
    expect(shapes).toEqual([[2, 8, 8, 128], [2, 8, 8, 64], [2, 8, 8, 64], [2, 10]]);
    expect(tf.memory().numTensors).toBe(before);
    params.dispose();
  });

  it('compact: the depthwise weights get a finite gradient that matches a central difference', () => {
    const arch = buildResNet({ ...spec, recovery: 'compact' });
    const params = ParamStore.init(arch, 5);
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
    const y = tf.tensor1d([3, 7], 'int32');
    const w = params.get('recovery.cheap.conv.w');
    const loss = () =>
      tf.tidy(() => {
        const z = forward(arch, params, x, { training: true, quant }).logits;
        return tf.mean(tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(z, tf.oneHot(y, 10)), 1))) as tf.Scalar;
      });
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(loss, params.trainable());
    const g = grads[w.name].dataSync() as Float32Array;
    expect(grads[w.name].shape).toEqual([3, 3, 16, 3]);
    expect(Array.from(g).every(Number.isFinite)).toBe(true);
    for (const t of Object.values(grads)) expect(Array.from(t.dataSync()).every(Number.isFinite)).toBe(true);
    const norm = Math.hypot(...g);
    expect(norm).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads)]);

    // d/dε L(W + ε·ĝ) at ε = 0 equals ‖g‖ for the unit direction ĝ = g/‖g‖.
    const original = w.clone();
    const at = (eps: number): number => {
      tf.tidy(() => w.assign(tf.add(original, tf.mul(tf.tensor(g, w.shape), eps / norm))));
      const l = loss();
      const v = l.dataSync()[0];
      l.dispose();
      return v;
    };
    const eps = 2e-3;
    const fd = (at(eps) - at(-eps)) / (2 * eps);
    w.assign(original);
    original.dispose();
    expect(Math.abs(fd - norm)).toBeLessThan(0.01 * norm);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before - 2);
    params.dispose();
  });
});
