import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '../../data/dataset';
import { INPUT, type BatchNormOp, type LayerOp } from '../model/architecture';
import { runOp } from '../model/forward';
import type { BnnModel } from '../model/model';

/**
 * Sequential BatchNorm recalibration in inference mode. The moving averages of a binary network's
 * BN statistics describe an average over weights that kept flipping sign, and a sign after each
 * BN turns small shifts of μ and σ² into different activations; a short run's moving averages
 * can evaluate far below its training accuracy. This sets every BN op's statistics, in graph
 * order, to those of its input over the given images with every earlier BN already fixed:
 *
 *   for BN_1 … BN_L in order:  x_l = the input of BN_l, computed in inference mode from the
 *                              images with BN_1 … BN_{l−1} at their new statistics
 *                              μ_l = mean(x_l),  σ²_l = mean((x_l − μ_l)²)   per channel, over
 *                              all images and positions (the biased variance BN normalises with)
 *
 * Done in one pass over the op list: the images are held as chunks, each op runs on every chunk,
 * and a BN op first gathers its input's statistics over all chunks. A tensor is released after
 * the last op that reads it, so memory is a few activations of all the images.
 */
export async function calibrateBatchNorm(
  model: Pick<BnnModel, 'arch' | 'params' | 'quant'>,
  data: ImageDataset,
  indices: ArrayLike<number>,
  chunkSize = 250,
): Promise<void> {
  if (indices.length === 0) throw new RangeError('BN calibration needs at least one image');
  const { arch, params } = model;
  const opts = { training: false, quant: model.quant() };
  const lastUse = lastUses(arch.ops);
  const chunks: Map<string, tf.Tensor>[] = [];
  for (let start = 0; start < indices.length; start += chunkSize) {
    const n = Math.min(chunkSize, indices.length - start);
    const buf = new Float32Array(n * data.imageSize);
    data.fillBatch(Array.from({ length: n }, (_, i) => indices[start + i]), buf, new Int32Array(n));
    chunks.push(new Map([[INPUT, tf.tensor4d(buf, [n, data.height, data.width, data.channels])]]));
  }
  try {
    for (let i = 0; i < arch.ops.length; i++) {
      const op = arch.ops[i];
      if (op.op === 'batchnorm') setStatistics(op, chunks.map((env) => env.get(op.input)!), params);
      for (const env of chunks) {
        const get = (name: string): tf.Tensor => {
          const t = env.get(name);
          if (!t) throw new Error(`BN calibration: tensor '${name}' used before it is produced`);
          return t;
        };
        env.set(op.output, tf.tidy(() => runOp(op, get, params, opts, {})));
        for (const name of inputsOf(op)) if (lastUse.get(name) === i) release(env, name);
      }
      // Between ops, so a long calibration leaves room for other messages (pause, stop, redraws).
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
  } finally {
    for (const env of chunks) for (const t of env.values()) t.dispose();
  }
}

/** μ and the biased σ² per channel over every chunk of a BN op's input, written into its variables. */
function setStatistics(op: BatchNormOp, inputs: tf.Tensor[], params: BnnModel['params']): void {
  tf.tidy(() => {
    const axes = inputs[0].shape.slice(0, -1).map((_, i) => i);
    const count = inputs.reduce((n, x) => n + x.size / op.channels, 0);
    const mean = tf.div(tf.addN(inputs.map((x) => tf.sum(x, axes))), count);
    const variance = tf.div(tf.addN(inputs.map((x) => tf.sum(tf.square(tf.sub(x, mean)), axes))), count);
    params.get(op.mean).assign(mean as tf.Tensor1D);
    params.get(op.variance).assign(variance as tf.Tensor1D);
  });
}

function inputsOf(op: LayerOp): string[] {
  return 'inputs' in op ? [...op.inputs] : [op.input];
}

/** For every tensor name, the index of the last op that reads it. */
function lastUses(ops: readonly LayerOp[]): Map<string, number> {
  const last = new Map<string, number>();
  ops.forEach((op, i) => {
    for (const name of inputsOf(op)) last.set(name, i);
  });
  return last;
}

function release(env: Map<string, tf.Tensor>, name: string): void {
  env.get(name)?.dispose();
  env.delete(name);
}
