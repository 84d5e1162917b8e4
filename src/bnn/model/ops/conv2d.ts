import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { binarize } from '../../quantizers/estimator';
import { conv2d as convWithGradient } from '../conv';
import type { QuantContext } from '../forward';
import { count, size, tensorName } from './fields';
import { hwc, type OpDef } from './op-def';

/**
 * 2-D convolution, NHWC with HWIO weights [kernel, kernel, cin, cout], zero padding `pad` on every
 * side. Binary: y = conv(sign(x), Bw) with Bw = sign(balanced) · scale from the weight transform and
 * each tensor's estimator in the backward pass; otherwise full precision.
 */
export const conv2dSchema = z.strictObject({
  op: z.literal('conv2d'),
  name: tensorName,
  input: tensorName,
  output: tensorName,
  weight: tensorName,
  kernel: count,
  stride: count,
  pad: size,
  cin: count,
  cout: count,
  /** Binary conv: sign of activations and transformed weights; otherwise full precision. */
  binary: z.boolean(),
  inH: count,
  inW: count,
  outH: count,
  outW: count,
});
export type ConvOp = z.infer<typeof conv2dSchema>;

/** Bw = sign(balanced) · scale, with the weights' estimator in the backward pass. */
export function binaryWeight(w: tf.Tensor4D, quant: QuantContext): tf.Tensor4D {
  const { balanced, scale } = quant.transform.apply(w);
  const signs = binarize(balanced, quant.weight.estimator, quant.weight.tk) as tf.Tensor4D;
  return scale ? (tf.mul(signs, scale) as tf.Tensor4D) : signs;
}

export const conv2d: OpDef<ConvOp> = {
  schema: conv2dSchema,
  inputs: (op) => [op.input],
  params: (op) => [{ name: op.weight, shape: [op.kernel, op.kernel, op.cin, op.cout], kind: 'conv', trainable: true, fanIn: op.kernel * op.kernel * op.cin }],
  shape: (op, [input]) => {
    const [h, w, c] = hwc(input, op);
    if (h !== op.inH || w !== op.inW || c !== op.cin) throw new Error(`conv2d '${op.name}' expects [${op.inH},${op.inW},${op.cin}], got [${h},${w},${c}]`);
    return [op.outH, op.outW, op.cout];
  },
  forward: (op, [input], { params, quant }) => {
    const x = input as tf.Tensor4D;
    const w = params.get(op.weight) as tf.Tensor as tf.Tensor4D;
    if (!op.binary) return convWithGradient(x, w, op.stride, op.pad);
    if (!quant) throw new Error(`binary conv '${op.name}' needs a quantisation context`);
    const signs = binarize(x, quant.activation.estimator, quant.activation.tk) as tf.Tensor4D;
    return convWithGradient(signs, binaryWeight(w, quant), op.stride, op.pad);
  },
  cost: (op, _inputs, _output, { binaryScale }) => {
    const weights = op.kernel * op.kernel * op.cin * op.cout;
    const macs = weights * op.outH * op.outW;
    return op.binary
      ? { binaryParams: weights, floatParams: binaryScale ? op.cout : 0, bops: macs, flops: 0 }
      : { binaryParams: 0, floatParams: weights, bops: 0, flops: macs };
  },
};
