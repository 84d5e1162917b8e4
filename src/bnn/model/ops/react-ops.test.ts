import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../../test/tf';
import { ParamStore } from '../params';
import { rprelu } from './rprelu';
import { rsign } from './rsign';
import type { ForwardContext } from './op-def';

beforeAll(() => useBackend('cpu'));

function store(values: Record<string, number[]>): ParamStore {
  const specs = Object.entries(values).map(([name, v]) => ({ name, shape: [v.length], kind: 'shift' as const, trainable: true }));
  const s = ParamStore.fromSnapshot(
    { input: [1, 1, 2], classes: 2, depth: 8, width: 8, ops: [], params: specs, stageOutputs: [], lastStage: '', output: '' },
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { shape: [v.length], data: Float32Array.from(v) }])),
  );
  return s;
}

describe('ReActNet ops', () => {
  const x = [0.5, -0.3, -1.2, 0.1]; // [1, 2, 1, 2]: channel 0 gets 0.5, −1.2; channel 1 gets −0.3, 0.1

  it('RSign: y = x − α_c; its gradient w.r.t. α is −Σ dy', () => {
    const params = store({ t: [0.2, -0.4] });
    const op = { op: 'rsign' as const, name: 'r', input: 'i', output: 'r', channels: 2, threshold: 't' };
    const ctx: ForwardContext = { params, training: false, stats: {} };
    const y = tf.tidy(() => Array.from(rsign.forward(op, [tf.tensor4d(x, [1, 2, 1, 2])], ctx).dataSync()));
    expect(y.map((v) => +v.toFixed(6))).toEqual([0.3, 0.1, -1.4, 0.5]);
    const g = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(rsign.forward(op, [tf.tensor4d(x, [1, 2, 1, 2])], ctx), tf.tensor4d([1, 2, 3, 4], [1, 2, 1, 2]))) as tf.Scalar, [params.get('t')]);
      return Array.from(grads[params.get('t').name].dataSync());
    });
    expect(g).toEqual([-(1 + 3), -(2 + 4)]);
    params.dispose();
  });

  it('RPReLU: (x − γ) above the shift, β·(x − γ) below, then + ζ', () => {
    const [gamma, beta, zeta] = [[0.1, -0.5], [0.25, 0.5], [1, -1]];
    const params = store({ g: gamma, b: beta, z: zeta });
    const op = { op: 'rprelu' as const, name: 'p', input: 'i', output: 'p', channels: 2, shiftIn: 'g', slope: 'b', shiftOut: 'z' };
    const y = tf.tidy(() => Array.from(rprelu.forward(op, [tf.tensor4d(x, [1, 2, 1, 2])], { params, training: false, stats: {} }).dataSync()));
    const expected = x.map((v, i) => {
      const c = i % 2;
      const s = v - gamma[c];
      return (s > 0 ? s : beta[c] * s) + zeta[c];
    });
    y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    params.dispose();
  });
});
