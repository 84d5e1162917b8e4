import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { count, tensorName } from './fields';
import type { OpDef } from './op-def';

/** y = x · W + b, W: [cin, cout] (the full-precision classifier). */
export const denseSchema = z.strictObject({
  op: z.literal('dense'),
  name: tensorName,
  input: tensorName,
  output: tensorName,
  weight: tensorName,
  bias: tensorName,
  cin: count,
  cout: count,
});
export type DenseOp = z.infer<typeof denseSchema>;

export const dense: OpDef<DenseOp> = {
  schema: denseSchema,
  inputs: (op) => [op.input],
  params: (op) => [
    { name: op.weight, shape: [op.cin, op.cout], kind: 'dense', trainable: true, fanIn: op.cin },
    { name: op.bias, shape: [op.cout], kind: 'bias', trainable: true },
  ],
  shape: (op, [input]) => {
    if (input.length !== 1 || input[0] !== op.cin) throw new Error(`dense '${op.name}' expects [${op.cin}], got [${input}]`);
    return [op.cout];
  },
  forward: (op, [x], { params }) => tf.add(tf.matMul(x as tf.Tensor2D, params.get(op.weight) as tf.Tensor as tf.Tensor2D), params.get(op.bias)),
  cost: (op) => ({ binaryParams: 0, floatParams: op.cin * op.cout + op.cout, bops: 0, flops: op.cin * op.cout }),
};
