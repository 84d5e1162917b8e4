import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '../../data/dataset';
import { stratifiedSample } from '../../data/stratified-sample';
import { fixedBatches } from '../../data/batches';
import type { BnnModel } from '../model/model';
import { forward } from '../model/forward';
import { correctCount, crossEntropyPerExample } from './loss';

export interface Evaluation {
  accuracy: number;
  loss: number;
  count: number;
}

/**
 * The test images an evaluation uses: the whole test split, or with `limit` > 0 a stratified
 * sample of that many (every class represented), the same for every run (a fixed seed), so runs
 * evaluated on a subset are compared on the same images.
 */
export function evaluationIndices(data: ImageDataset, limit: number): Int32Array {
  if (!(limit > 0) || limit >= data.testIndices.length) return data.testIndices;
  return stratifiedSample(data.testIndices, (i) => data.label(i), data.numClasses, limit, 'evaluation');
}

/**
 * Accuracy and mean CE in inference mode (the BN statistics the model holds), in fixed batches over
 * `indices` (default the whole test split). Yields to the event loop between batches so pause/stop
 * and UI messages stay responsive.
 */
export async function evaluate(
  model: Pick<BnnModel, 'arch' | 'params' | 'quant'>,
  data: ImageDataset,
  indices: Int32Array = data.testIndices,
  batchSize = 250,
): Promise<Evaluation> {
  const n = indices.length;
  const buf = new Float32Array(batchSize * data.imageSize);
  const labels = new Int32Array(batchSize);
  let correct = 0;
  let lossSum = 0;
  const quant = model.quant();
  for (const idx of fixedBatches(indices, batchSize)) {
    data.fillBatch(idx, buf, labels);
    const b = idx.length;
    const [c, l] = tf.tidy(() => {
      const x = tf.tensor4d(buf.subarray(0, b * data.imageSize), [b, data.height, data.width, data.channels]);
      const y = tf.tensor1d(labels.subarray(0, b), 'int32');
      const { logits } = forward(model.arch, model.params, x, { training: false, quant });
      return [correctCount(logits, y), tf.sum(crossEntropyPerExample(logits, y))];
    });
    const [hv, lv] = await Promise.all([c.data(), l.data()]);
    c.dispose();
    l.dispose();
    correct += hv[0];
    lossSum += lv[0];
    await yieldToEventLoop();
  }
  return { accuracy: correct / n, loss: lossSum / n, count: n };
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
