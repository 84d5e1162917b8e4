import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../test/tf';
import { buildResNet } from '../../bnn/model/resnet';
import { randomEngineSource } from '../../engine/random-source';
import { binaryLayerShapes, deviceCases, modelCase, modelCases, modelStorage, resnet20Architecture } from './model-cases';
import { RESNET20_CONV_LAYERS } from './kernel-cases';

beforeAll(() => useBackend('cpu'));

describe('whole-model benchmark cases', () => {
  it('ResNet-20 (w = 16) at batch 1 and 32; tfjs cpu only at batch 1 by default; ops = 2·(binary + float MACs)', () => {
    const cases = modelCases({ tf, tfBackends: ['cpu', 'wasm'] });
    expect(cases.map((c) => c.id)).toEqual(['model-resnet20-w16-32x32x3-b1', 'model-resnet20-w16-32x32x3-b32']);
    expect(cases[0].implementations.map((i) => i.id)).toEqual(['xnor', 'float', 'tfjs-cpu', 'tfjs-wasm']);
    expect(cases[1].implementations.map((i) => i.id)).toEqual(['xnor', 'float', 'tfjs-wasm']);
    expect(modelCases({ quick: true }).map((c) => c.params.batch)).toEqual([1]);
    // MACs per image by hand: stem 32·32·16·27; stage 1: 6 convs of 32·32·16·144;
    // stage 2: 16·16·32·144 + 5·16·16·32·288; stage 3: 8·8·64·288 + 5·8·8·64·576; dense 64·10.
    const macs = 32 * 32 * 16 * 27 + 6 * 32 * 32 * 16 * 144 + 16 * 16 * 32 * 144 + 5 * 16 * 16 * 32 * 288 + 8 * 8 * 64 * 288 + 5 * 8 * 8 * 64 * 576 + 640;
    expect(cases[0].ops).toBe(2 * macs);
    expect(cases[1].ops).toBe(64 * macs);
  });

  it('storage of ResNet-20: 1-bit binary weights + float32 rest vs all float32, and with BN folded', () => {
    // Binary weights: stage 1 6·9·16·16; stage 2 9·16·32 + 5·9·32·32; stage 3 9·32·64 + 5·9·64·64.
    const binary = 6 * 9 * 16 * 16 + 9 * 16 * 32 + 5 * 9 * 32 * 32 + 9 * 32 * 64 + 5 * 9 * 64 * 64;
    // Float: stem conv, 4 per BN channel (stem, 18 convs, head), 1 scale per binary out channel, dense.
    const bnChannels = 16 + 6 * 16 + 6 * 32 + 6 * 64 + 64;
    const scales = 6 * 16 + 6 * 32 + 6 * 64;
    const floats = 9 * 3 * 16 + 4 * bnChannels + scales + 64 * 10 + 10;
    const s = modelStorage(resnet20Architecture(), true);
    expect(s.binaryParams).toBe(binary);
    expect(s.floatParams).toBe(floats);
    expect(s.packedBits).toBe(binary + 32 * floats);
    expect(s.float32Bits).toBe(32 * (binary + floats));
    expect(s.saving).toBeGreaterThan(20);
    // Folded: every BN after a conv (all but the head's) keeps 2 floats per channel, scales vanish.
    const folded = floats - 2 * (bnChannels - 64) - scales;
    expect(s.foldedBits).toBe(binary + 32 * folded);
    const c = modelCase(randomEngineSource(resnet20Architecture()), 1);
    expect(c.params.packedBits).toBe(s.packedBits);
    expect(c.params.storageSaving).toBeCloseTo(s.saving, 12);
  });

  it('device suite: GEMM, the binary conv shapes of the model, then the model; runs every implementation of a tiny model', async () => {
    expect(binaryLayerShapes(resnet20Architecture())).toEqual(expect.arrayContaining([...RESNET20_CONV_LAYERS]));
    expect(binaryLayerShapes(resnet20Architecture())).toHaveLength(RESNET20_CONV_LAYERS.length);
    const arch = buildResNet({ depth: 8, width: 8, input: [12, 12, 3], classes: 4, binary: true, recovery: 'compact', recoveryRatio: 2 });
    const source = randomEngineSource(arch, 3);
    const cases = deviceCases({ quick: true, tf, tfBackends: ['cpu'], warmUpMs: 0 }, source);
    // 12×12 → 6×6 → 3×3: 8→8 s1, 8→16 s2, 16→16 s1, 16→32 s2, 32→32 s1.
    expect(cases.map((c) => c.title)).toEqual([
      'GEMM 256×256×2304',
      'conv 8→8 @12×12 s1 b1', 'conv 8→16 @12×12 s2 b1', 'conv 16→16 @6×6 s1 b1', 'conv 16→32 @6×6 s2 b1', 'conv 32→32 @3×3 s1 b1',
      'ResNet-8 w=8 12×12×3 b1',
    ]);
    const before = tf.memory().numTensors;
    const model = cases[6];
    for (const impl of model.implementations) {
      const p = await impl.setup();
      await p.activate?.();
      p.run();
      p.run();
      p.dispose?.();
    }
    expect(tf.memory().numTensors).toBe(before);
    // The full suite adds each layer's im2col GEMM (M = positions, N = cout, K = 9·cin) and batch 32.
    const full = deviceCases({ tf, tfBackends: [], warmUpMs: 0 }, source);
    expect(full.filter((c) => c.kind === 'gemm').map((c) => c.id)).toEqual([
      'gemm-256x256x2304', 'gemm-144x8x72', 'gemm-36x16x72', 'gemm-36x16x144', 'gemm-9x32x144', 'gemm-9x32x288',
    ]);
    expect(full.filter((c) => c.kind === 'conv').map((c) => c.params.batch)).toEqual([1, 1, 1, 1, 1, 32, 32, 32, 32, 32]);
    const layerGemm = full[2];
    expect(layerGemm.title).toBe('GEMM 36×16×72 (8→16 @12 s2)');
    expect(layerGemm.ops).toBe(2 * 36 * 16 * 72);
  });
});
