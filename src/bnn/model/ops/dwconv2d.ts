import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { depthwiseConv2d } from '../conv';
import { count, size, tensorName } from './fields';
import { hwc, type OpDef } from './op-def';

/**
 * Depthwise k×k conv with channel multiplier M (full precision, stride 1, zero padding `pad`):
 *   y[n, h, w, c·M + m] = Σ_{i,j} xpad[n, h + i, w + j, c] · W[i, j, c, m],  W: [k, k, channels, M]
 * (IR2Net's compact recovery, the Ghost module's cheap op).
 */
export const dwconv2dSchema = z.strictObject({
  op: z.literal('dwconv2d'),
  name: tensorName,
  input: tensorName,
  output: tensorName,
  weight: tensorName,
  kernel: count,
  pad: size,
  channels: count,
  multiplier: count,
  h: count,
  w: count,
});
export type DepthwiseConvOp = z.infer<typeof dwconv2dSchema>;

export const dwconv2d: OpDef<DepthwiseConvOp> = {
  schema: dwconv2dSchema,
  inputs: (op) => [op.input],
  params: (op) => [{ name: op.weight, shape: [op.kernel, op.kernel, op.channels, op.multiplier], kind: 'dwconv', trainable: true, fanIn: op.kernel * op.kernel }],
  shape: (op, [input]) => {
    const [h, w, c] = hwc(input, op);
    if (c !== op.channels) throw new Error(`dwconv2d '${op.name}' expects ${op.channels} channels, got ${c}`);
    return [h + 2 * op.pad - op.kernel + 1, w + 2 * op.pad - op.kernel + 1, c * op.multiplier];
  },
  forward: (op, [input], { params }) => depthwiseConv2d(input as tf.Tensor4D, params.get(op.weight) as tf.Tensor as tf.Tensor4D, op.pad),
  cost: (op) => {
    const weights = op.kernel * op.kernel * op.channels * op.multiplier;
    return { binaryParams: 0, floatParams: weights, bops: 0, flops: weights * op.h * op.w };
  },
};
