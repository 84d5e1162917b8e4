import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { count, tensorName } from './fields';
import { NO_COST, type OpDef } from './op-def';

/** β's initial value: PyTorch's PReLU default, as ReActNet's code starts from. */
export const RPRELU_INIT_SLOPE = 0.25;

/**
 * ReActNet's RPReLU, the blocks' activation in place of hardtanh (Liu et al., ECCV 2020):
 *   y = (x − γ_c) + ζ_c          for x > γ_c
 *   y = β_c · (x − γ_c) + ζ_c    otherwise
 * with per-channel γ (input shift), β (slope) and ζ (output shift), all learned; γ = ζ = 0 and
 * β = 0.25 at initialisation.
 */
export const rpreluSchema = z.strictObject({
  op: z.literal('rprelu'),
  name: tensorName,
  input: tensorName,
  output: tensorName,
  channels: count,
  /** γ, [channels]. */
  shiftIn: tensorName,
  /** β, [channels]. */
  slope: tensorName,
  /** ζ, [channels]. */
  shiftOut: tensorName,
});
export type RPReluOp = z.infer<typeof rpreluSchema>;

export const rprelu: OpDef<RPReluOp> = {
  schema: rpreluSchema,
  inputs: (op) => [op.input],
  params: (op) => [
    { name: op.shiftIn, shape: [op.channels], kind: 'shift', trainable: true },
    { name: op.slope, shape: [op.channels], kind: 'slope', trainable: true },
    { name: op.shiftOut, shape: [op.channels], kind: 'shift', trainable: true },
  ],
  shape: (op, [input]) => {
    if (input[input.length - 1] !== op.channels) throw new Error(`rprelu '${op.name}' expects ${op.channels} channels, got [${input}]`);
    return input;
  },
  forward: (op, [x], { params }) => {
    const shifted = tf.sub(x, params.get(op.shiftIn));
    // max(s, 0) + β·min(s, 0): differentiable in s and β everywhere but s = 0
    const y = tf.add(tf.relu(shifted), tf.mul(params.get(op.slope), tf.neg(tf.relu(tf.neg(shifted)))));
    return tf.add(y, params.get(op.shiftOut));
  },
  cost: (op) => ({ ...NO_COST, floatParams: 3 * op.channels }),
};
