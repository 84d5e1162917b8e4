/**
 * Random but plausible weights for any architecture, without tfjs: what the benchmarks run
 * when no trained model is at hand (speed does not depend on the values). Binary convs get
 * uniform random signs and positive scales; BatchNorms statistics near a trained model's.
 */
import type { Architecture } from '../bnn/model/architecture';
import type { EngineBinaryConv, EngineParam, EngineSource } from './engine';
import { seededRandom } from '../kernels/seeded-data';

/** A seeded random EngineSource for `arch` (binary convs: signs and scales; every other parameter). */
export function randomEngineSource(arch: Architecture, seed = 1): EngineSource {
  const random = seededRandom(seed);
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * random();
  const params: Record<string, EngineParam> = {};
  for (const spec of arch.params) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    const std = Math.sqrt(2 / (spec.fanIn ?? 1));
    for (let i = 0; i < size; i++) {
      switch (spec.kind) {
        case 'conv':
        case 'dwconv':
        case 'dense':
          data[i] = uniform(-1.7, 1.7) * std;
          break;
        case 'bn_gamma':
          data[i] = uniform(0.5, 1.5);
          break;
        case 'bn_variance':
          data[i] = uniform(0.5, 2);
          break;
        default:
          data[i] = uniform(-0.2, 0.2);
      }
    }
    params[spec.name] = { shape: [...spec.shape], data };
  }
  const binary: EngineBinaryConv[] = [];
  for (const op of arch.ops) {
    if (op.op !== 'conv2d' || !op.binary) continue;
    const shape = [op.kernel, op.kernel, op.cin, op.cout];
    const signs = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < signs.length; i++) signs[i] = random() < 0.5 ? -1 : 1;
    const scale = new Float32Array(op.cout);
    for (let o = 0; o < op.cout; o++) scale[o] = uniform(0.02, 0.1);
    binary.push({ name: op.name, shape, signs, scale });
  }
  return { arch, params, binary };
}
