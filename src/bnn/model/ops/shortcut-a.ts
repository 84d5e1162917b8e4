import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { count, size, tensorName } from './fields';
import { NO_COST, hwc, type OpDef } from './op-def';

/** ResNet option-A shortcut: y = x[:, ::s, ::s, :] with zero channels padBefore / padAfter. */
export const shortcutASchema = z.strictObject({
  op: z.literal('shortcut_a'),
  name: tensorName,
  input: tensorName,
  output: tensorName,
  stride: count,
  padBefore: size,
  padAfter: size,
});
export type ShortcutAOp = z.infer<typeof shortcutASchema>;

export const shortcutA: OpDef<ShortcutAOp> = {
  schema: shortcutASchema,
  inputs: (op) => [op.input],
  params: () => [],
  shape: (op, [input]) => {
    const [h, w, c] = hwc(input, op);
    return [Math.ceil(h / op.stride), Math.ceil(w / op.stride), c + op.padBefore + op.padAfter];
  },
  forward: (op, [x]) => subsampleAndPad(x as tf.Tensor4D, op.stride, op.padBefore, op.padAfter),
  cost: () => NO_COST,
};

/**
 * x[:, ::s, ::s, :] then zero channels before/after. Written with pad, reshape and slice (tfjs
 * has no StridedSlice gradient), keeping every tensor at rank ≤ 4 because the WebGL backend
 * cannot compile its packed pad (the slice gradient) above rank 4: pad H, W up to multiples of s,
 * then keep the first row of every s rows and the first column of every s columns.
 */
function subsampleAndPad(x: tf.Tensor4D, s: number, before: number, after: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const ho = Math.ceil(h / s);
  const wo = Math.ceil(w / s);
  let y = x;
  if (s > 1) {
    const padded = h === ho * s && w === wo * s ? x : tf.pad(x, [[0, 0], [0, ho * s - h], [0, wo * s - w], [0, 0]]);
    const rows = tf.slice(padded.reshape([n * ho, s, wo * s, c]), [0, 0, 0, 0], [n * ho, 1, wo * s, c]);
    const cols = tf.slice(rows.reshape([n * ho, wo, s, c]), [0, 0, 0, 0], [n * ho, wo, 1, c]);
    y = cols.reshape([n, ho, wo, c]);
  }
  return before || after ? tf.pad(y, [[0, 0], [0, 0], [0, 0], [before, after]]) : y;
}
