import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { tensorName } from './fields';
import { NO_COST, type OpDef } from './op-def';

/** y = a + b, elementwise, equal shapes (the blocks' shortcuts). */
export const addSchema = z.strictObject({ op: z.literal('add'), name: tensorName, inputs: z.tuple([tensorName, tensorName]), output: tensorName });
export type AddOp = z.infer<typeof addSchema>;

export const add: OpDef<AddOp> = {
  schema: addSchema,
  inputs: (op) => op.inputs,
  params: () => [],
  shape: (op, [a, b]) => {
    if (a.join(',') !== b.join(',')) throw new Error(`add '${op.name}' adds [${a}] and [${b}]`);
    return a;
  },
  forward: (_, [a, b]) => tf.add(a, b),
  cost: () => NO_COST,
};
