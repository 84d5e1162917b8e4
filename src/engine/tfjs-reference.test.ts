import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../test/tf';
import { buildResNet } from '../bnn/model/resnet';
import { compileEngine } from './engine';
import { randomEngineSource } from './random-source';
import { tfjsModelOf } from './tfjs-reference';
import { randomFloats, seededRandom } from '../kernels/seeded-data';

beforeAll(() => useBackend('cpu'));

describe('tfjs forward of an engine source (the benchmark peer)', () => {
  it('computes the engine logits: ResNet-8 and ResNet-14 with compact recovery, random weights', () => {
    for (const [depth, recovery] of [[8, 'off'], [14, 'compact']] as const) {
      const arch = buildResNet({ depth, width: 8, input: [16, 16, 3], classes: 5, binary: true, recovery, recoveryRatio: 3 });
      const source = randomEngineSource(arch, depth);
      const n = 4;
      const x = randomFloats(n * 16 * 16 * 3, seededRandom(depth));
      const model = tfjsModelOf(source);
      const expected = tf.tidy(() => model.run(tf.tensor4d(x, [n, 16, 16, 3])).dataSync() as Float32Array);
      model.dispose();
      const logits = compileEngine(source, { maxBatch: n }).run(x, n);
      let scale = 0;
      let diff = 0;
      expected.forEach((v, i) => {
        scale = Math.max(scale, Math.abs(v));
        diff = Math.max(diff, Math.abs(v - logits[i]));
      });
      expect(diff / scale).toBeLessThan(1e-4);
      expect(compileEngine(source, { kernels: 'float', maxBatch: n }).run(x, n)).toEqual(logits);
    }
  });
});
