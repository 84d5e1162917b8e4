import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '../../data/dataset';
import { fixedBatches } from '../../data/batches';
import type { BnnModel } from '../model/model';
import { forward } from '../model/forward';
import { yieldToEventLoop } from './evaluate';

/** One test image's outcome. */
export interface Prediction {
  /** Position of the image in the dataset's canonical order (what ImageDataset.rawImage takes). */
  index: number;
  label: number;
  /** argmax of the logits (the lowest class on ties, as tf.argMax). */
  predicted: number;
  /** The model's float32 logits, one per class. */
  logits: number[];
}

/**
 * The model's class for every image of the test split, in the split's order, in inference mode
 * (moving BN statistics) — the same forward pass and batching as `evaluate`, so the share of
 * `label === predicted` equals its accuracy.
 */
export async function predictTestSplit(
  model: BnnModel,
  data: ImageDataset,
  batchSize = 250,
): Promise<Prediction[]> {
  const out: Prediction[] = [];
  const buf = new Float32Array(batchSize * data.imageSize);
  const labels = new Int32Array(batchSize);
  const quant = model.quant();
  for (const idx of fixedBatches(data.testIndices, batchSize)) {
    data.fillBatch(idx, buf, labels);
    const b = idx.length;
    const [logits, classes] = tf.tidy(() => {
      const x = tf.tensor4d(buf.subarray(0, b * data.imageSize), [b, data.height, data.width, data.channels]);
      const y = forward(model.arch, model.params, x, { training: false, quant }).logits;
      return [y, tf.argMax(y, 1)];
    });
    const values = (await logits.data()) as Float32Array;
    const predicted = await classes.data();
    tf.dispose([logits, classes]);
    const k = data.numClasses;
    for (let i = 0; i < b; i++) {
      out.push({ index: idx[i], label: labels[i], predicted: predicted[i], logits: Array.from(values.subarray(i * k, (i + 1) * k)) });
    }
    await yieldToEventLoop();
  }
  return out;
}

/** Share of predictions equal to their label (NaN for none). */
export function predictionAccuracy(predictions: readonly Prediction[]): number {
  let correct = 0;
  for (const p of predictions) if (p.label === p.predicted) correct++;
  return correct / predictions.length;
}
