import { it } from 'vitest';
import { useBackend } from '../test/tf';
import { loadMnistNode } from '../data/mnist-node';
import { DEFAULT_CONFIG } from '../bnn/config';
import { Trainer } from '../bnn/train/trainer';
it('t', async () => {
  await useBackend('wasm');
  let t = performance.now();
  const m = loadMnistNode();
  console.log('load', performance.now() - t); t = performance.now();
  const tr = new Trainer({ ...DEFAULT_CONFIG, depth: 8, width: 8, batchSize: 32, steps: 25, evalEvery: 1000, evalLimit: 100, seed: 7, lr: 3e-3 }, m, { onStep: (s) => { if (s.step % 5 === 0) console.log(s.step, s.ms, performance.now() - t); } });
  await tr.run();
  console.log('train', performance.now() - t);
});
