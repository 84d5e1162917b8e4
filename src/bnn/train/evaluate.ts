import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '../../data/dataset';
import { fixedBatches } from '../../data/batches';
import type { BnnModel } from '../model/model';
import { forward } from '../model/forward';
import { correctCount, crossEntropyPerExample } from './loss';
import type { EstimatorParams } from '../quantizers/estimator';

export interface Evaluation {
  accuracy: number;
  loss: number;
  count: number;
}

/**
 * Test-split accuracy and mean CE in inference mode (moving BN statistics), in fixed batches.
 * `limit` evaluates the first `limit` test images (0 = all). Yields to the event loop between
 * batches so pause/stop and UI messages stay responsive.
 */
export async function evaluate(
  model: Pick<BnnModel, 'arch' | 'params' | 'quant'>,
  data: ImageDataset,
  tk: EstimatorParams,
  limit = 0,
  batchSize = 250,
): Promise<Evaluation> {
  const n = limit > 0 ? Math.min(limit, data.testIndices.length) : data.testIndices.length;
  const buf = new Float32Array(batchSize * data.imageSize);
  const labels = new Int32Array(batchSize);
  let correct = 0;
  let lossSum = 0;
  const quant = model.quant(tk);
  for (const idx of fixedBatches(data.testIndices, batchSize, n)) {
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
