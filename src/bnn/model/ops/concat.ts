import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { tensorName } from './fields';
import { NO_COST, hwc, type OpDef } from './op-def';

/** Concatenation along the channel axis of inputs of equal H×W. */
export const concatSchema = z.strictObject({ op: z.literal('concat'), name: tensorName, inputs: z.array(tensorName).min(1).max(64), output: tensorName });
export type ConcatOp = z.infer<typeof concatSchema>;

export const concat: OpDef<ConcatOp> = {
  schema: concatSchema,
  inputs: (op) => op.inputs,
  params: () => [],
  shape: (op, inputs) => {
    const parts = inputs.map((s) => hwc(s, op));
    if (parts.some((p) => p[0] !== parts[0][0] || p[1] !== parts[0][1])) throw new Error(`concat '${op.name}' concatenates different sizes`);
    return [parts[0][0], parts[0][1], parts.reduce((a, p) => a + p[2], 0)];
  },
  forward: (_, inputs) => tf.concat([...inputs], 3),
  cost: () => NO_COST,
};
