import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { count, tensorName } from './fields';
import { NO_COST, type OpDef } from './op-def';

/**
 * ReActNet's RSign, the learnable threshold of a binary conv's input (Liu et al., ECCV 2020):
 *   y = x − α_c    (α per channel, learned, initialised to 0)
 * The binary conv that reads y takes sign(y) = sign(x − α_c), i.e. x is binarised at a learned
 * per-channel threshold instead of 0; the gradient reaches α through the activations' estimator
 * (∂y/∂α = −1). Kept as its own op so the sign stays inside the binary conv, where the kernels
 * and the export expect it.
 */
export const rsignSchema = z.strictObject({
  op: z.literal('rsign'),
  name: tensorName,
  input: tensorName,
  output: tensorName,
  channels: count,
  /** α, [channels]. */
  threshold: tensorName,
});
export type RSignOp = z.infer<typeof rsignSchema>;

export const rsign: OpDef<RSignOp> = {
  schema: rsignSchema,
  inputs: (op) => [op.input],
  params: (op) => [{ name: op.threshold, shape: [op.channels], kind: 'shift', trainable: true }],
  shape: (op, [input]) => {
    if (input[input.length - 1] !== op.channels) throw new Error(`rsign '${op.name}' expects ${op.channels} channels, got [${input}]`);
    return input;
  },
  forward: (op, [x], { params }) => tf.sub(x, params.get(op.threshold)),
  cost: (op) => ({ ...NO_COST, floatParams: op.channels }),
};
