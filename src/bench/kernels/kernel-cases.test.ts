import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convCase, gemmCase, kernelCases, RESNET20_CONV_LAYERS } from './kernel-cases';

describe('kernel benchmark cases', () => {
  it('lists GEMM 256×256×2304 and every ResNet-20 conv shape at batch 1 (quick) and 1, 32 (full)', () => {
    const quick = kernelCases({ quick: true });
    expect(quick.map((c) => c.id)).toEqual([
      'gemm-256x256x2304',
      'conv-16x16-32-s1-b1', 'conv-32x32-16-s1-b1', 'conv-64x64-8-s1-b1', 'conv-16x32-32-s2-b1', 'conv-32x64-16-s2-b1',
    ]);
    expect(quick[0].ops).toBe(2 * 256 * 256 * 2304);
    const full = kernelCases();
    expect(full).toHaveLength(1 + 3 * RESNET20_CONV_LAYERS.length);
    // each layer as its im2col GEMM: 16→16 @32: M = 32·32 positions, N = 16, K = 9·16
    expect(full.slice(1, 6).map((c) => c.id)).toEqual([
      'gemm-1024x16x144', 'gemm-256x32x288', 'gemm-64x64x576', 'gemm-256x32x144', 'gemm-64x64x288',
    ]);
    // conv 32→64 @16×16 stride 2 at batch 32: 8×8 outputs, ops = 2·positions·cout·9·cin.
    const c = full.find((x) => x.id === 'conv-32x64-16-s2-b32');
    expect(c?.ops).toBe(2 * 32 * 8 * 8 * 64 * 9 * 32);
    expect(c?.params.outSize).toBe(8);
  });

  it('sets up and runs every implementation of small cases, tfjs cpu included', async () => {
    await tf.setBackend('cpu');
    const cases = [gemmCase(6, 21, 70, { tf, tfBackends: ['cpu'] }), convCase({ cin: 5, cout: 18, size: 7, stride: 2 }, 2, { tf, tfBackends: ['cpu'] })];
    const ids = cases.map((c) => c.implementations.map((i) => i.id));
    expect(ids[0]).toEqual(['xnor', 'xnor-lut4', 'xnor-hs', 'xnor-swar', 'xnor-pack', 'float', 'tfjs-cpu']);
    expect(ids[1]).toEqual(['xnor', 'xnor-im2col', 'xnor-pack', 'float', 'tfjs-cpu']);
    const before = tf.memory().numTensors;
    for (const c of cases) {
      for (const impl of c.implementations) {
        const p = await impl.setup();
        await p.activate?.();
        p.run();
        p.run();
        p.dispose?.();
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
