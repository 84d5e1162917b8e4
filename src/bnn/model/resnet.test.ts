import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../test/tf';
import { buildResNet } from './resnet';
import { ParamStore } from './params';
import { forward } from './forward';
import { summarize } from './summary';
import { getWeightTransform } from '../quantizers/registry';
import { quantContextFor } from './model';

beforeAll(() => useBackend('cpu'));

const spec20 = { depth: 20 as const, width: 16, input: [32, 32, 3] as [number, number, number], classes: 10, binary: true, recovery: 'off' as const, recoveryRatio: 4 };

describe('ResNet-20, w = 16, 32×32×3, 10 classes: counts made by hand', () => {
  const s = summarize(buildResNet(spec20), { binaryScale: true });
  // Binary convs: stage 1: 6 × 3·3·16·16; stage 2: 3·3·16·32 + 5 × 3·3·32·32; stage 3: 3·3·32·64 + 5 × 3·3·64·64.
  const binary = 6 * 2304 + (4608 + 5 * 9216) + (18432 + 5 * 36864);
  // Floats: stem 3·3·3·16; BN: 4 floats/channel for the stem (16), 6 BNs of 16, 6 of 32, 6 of 64, head 64;
  // one scale per out channel of every binary conv (6·16 + 6·32 + 6·64); dense 64·10 + 10.
  const floats = 432 + 4 * (16 + 6 * 16 + 6 * 32 + 6 * 64 + 64) + (6 * 16 + 6 * 32 + 6 * 64) + 650;
  it('binary and float parameters', () => {
    expect(binary).toBe(267264);
    expect(s.binaryParams).toBe(binary);
    expect(s.floatParams).toBe(floats);
    expect(s.totalBits).toBe(binary + 32 * floats);
    expect(s.compression).toBeCloseTo((32 * (binary + floats)) / (binary + 32 * floats), 10);
  });
  it('binary ops and float MACs per image', () => {
    const bops = 6 * 2304 * 32 * 32 + (4608 + 5 * 9216) * 16 * 16 + (18432 + 5 * 36864) * 8 * 8;
    expect(s.bops).toBe(bops);
    expect(s.flops).toBe(432 * 32 * 32 + 640);
  });
});

describe('forward', () => {
  it.each([
    [[28, 28, 1], 8, 'full'],
    [[32, 32, 3], 14, 'binary'],
    [[28, 28, 1], 20, 'binary'],
  ] as const)('input %j depth %d %s gives [batch, classes] logits and the stage shapes', (input, depth, mode) => {
    const arch = buildResNet({ ...spec20, depth, width: 8, input: [...input] as [number, number, number], binary: mode === 'binary' });
    const params = ParamStore.init(arch, 3);
    const quant = quantContextFor({ activationEstimator: 'ede', weightEstimator: 'ede' }, getWeightTransform('librapb'));
    const shapes = tf.tidy(() => {
      const x = tf.randomNormal([2, ...input]) as tf.Tensor4D;
      const r = forward(arch, params, x, { training: false, quant, keep: arch.stageOutputs });
      return [r.logits.shape, ...arch.stageOutputs.map((n) => r.outputs[n].shape)];
    });
    const h3 = input[0] === 28 ? 7 : 8;
    expect(shapes).toEqual([[2, 10], [2, input[0], input[1], 8], [2, input[0], input[1], 8], [2, input[0] / 2, input[1] / 2, 16], [2, h3, h3, 32]]);
    params.dispose();
  });

  it('the full-precision and binary models share the graph and the parameter names', () => {
    const a = buildResNet(spec20);
    const b = buildResNet({ ...spec20, binary: false });
    expect(a.params.map((p) => p.name)).toEqual(b.params.map((p) => p.name));
    expect(a.ops.filter((o) => o.op === 'conv2d' && o.binary).length).toBe(18);
    expect(b.ops.filter((o) => o.op === 'conv2d' && o.binary).length).toBe(0);
  });

  it('option-A shortcut subsamples and zero-pads planes/4 channels on each side', () => {
    const arch = buildResNet({ ...spec20, depth: 8, width: 4, input: [4, 4, 1] });
    const sc = arch.ops.find((o) => o.op === 'shortcut_a');
    expect(sc).toMatchObject({ stride: 2, padBefore: 2, padAfter: 2 });
  });

  it('seeded initialisation is reproducible and differs across seeds', () => {
    const arch = buildResNet({ ...spec20, depth: 8, width: 8 });
    const a = ParamStore.init(arch, 7);
    const b = ParamStore.init(arch, 7);
    const c = ParamStore.init(arch, 8);
    const v = (p: ParamStore) => Array.from(p.get('s1.b0.conv1.w').dataSync().slice(0, 20));
    expect(v(a)).toEqual(v(b));
    expect(v(a)).not.toEqual(v(c));
    // He-normal: std ≈ √(2 / fanIn) over the 3·3·8·16 weights of stage 2's first conv
    const w = Array.from(a.get('s2.b0.conv1.w').dataSync());
    const sd = Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length);
    expect(sd).toBeGreaterThan(0.8 * Math.sqrt(2 / 72));
    expect(sd).toBeLessThan(1.2 * Math.sqrt(2 / 72));
    [a, b, c].forEach((p) => p.dispose());
  });
});

describe('option-A shortcut values', () => {
  it('takes x[:, ::2, ::2, :] (odd sizes too) and pads zero channels on both sides', () => {
    // ResNet-8 w=2 on a 5×5×1 input: stage 2's shortcut maps 5×5×2 → 3×3×4 (2 → 4 channels, 1 each side).
    const arch = buildResNet({ ...spec20, depth: 8, width: 2, input: [5, 5, 1], binary: false });
    const sc = arch.ops.find((o) => o.op === 'shortcut_a' && o.name.startsWith('s2'))!;
    const params = ParamStore.init(arch, 1);
    const x = Array.from({ length: 5 * 5 * 2 }, (_, i) => i + 1);
    const got = tf.tidy(() => {
      const fakeArch = { ...arch, ops: [{ ...sc, input: 'input' }], output: sc.output };
      return Array.from(forward(fakeArch, params, tf.tensor4d(x, [1, 5, 5, 2]), { training: false }).logits.dataSync());
    });
    const expected: number[] = [];
    for (const r of [0, 2, 4]) for (const c of [0, 2, 4]) expected.push(0, x[(r * 5 + c) * 2], x[(r * 5 + c) * 2 + 1], 0);
    expect(got).toEqual(expected);
    params.dispose();
  });
});
