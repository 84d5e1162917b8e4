import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../test/tf';
import { chunkedAddN } from './webgpu-kernels';

describe('chunkedAddN (the WebGPU AddN fix), around the cpu kernel', () => {
  it.each([2, 3, 7])('sums 25 tensors in groups of at most %d, exactly, and frees the partial sums', async (limit) => {
    await useBackend('cpu');
    const cpu = tf.getKernel('AddN', 'cpu');
    if (!cpu) throw new Error('cpu has no AddN');
    const seen: number[] = [];
    const counting: tf.KernelFunc = (args) => {
      seen.push((args.inputs as unknown as unknown[]).length);
      return cpu.kernelFunc(args);
    };
    const xs = Array.from({ length: 25 }, (_, i) => tf.tensor1d([i, 2 ** -i, -i * 3]));
    const backend = tf.backend();
    const before = backend.numDataIds();
    const info = chunkedAddN(counting, () => limit)({ inputs: xs as unknown as tf.NamedTensorInfoMap, backend, attrs: {} }) as tf.TensorInfo;
    // Only the result is left besides the inputs.
    expect(backend.numDataIds()).toBe(before + 1);
    const sum = tf.engine().makeTensorFromTensorInfo(info);
    const want = [0, 0, 0];
    for (let i = 0; i < 25; i++) [i, 2 ** -i, -i * 3].forEach((v, j) => (want[j] += v));
    expect(Array.from(await sum.data())).toEqual(want.map(Math.fround));
    expect(Math.max(...seen)).toBeLessThanOrEqual(limit);
    tf.dispose([sum, ...xs]);
  });

  it('passes a short list straight through', async () => {
    await useBackend('cpu');
    const cpu = tf.getKernel('AddN', 'cpu')!;
    let calls = 0;
    const xs = [tf.scalar(1), tf.scalar(2)];
    const info = chunkedAddN((a) => (calls++, cpu.kernelFunc(a)), () => 7)({ inputs: xs as unknown as tf.NamedTensorInfoMap, backend: tf.backend(), attrs: {} }) as tf.TensorInfo;
    const sum = tf.engine().makeTensorFromTensorInfo(info);
    expect(await sum.data()).toEqual(Float32Array.of(3));
    expect(calls).toBe(1);
    tf.dispose([sum, ...xs]);
  });
});
