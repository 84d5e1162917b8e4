import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { tensorName } from './fields';
import { NO_COST, type OpDef } from './op-def';

/** hardtanh(x) = clip(x, −1, 1): the blocks' activation (and the sign input's range). */
export const hardtanhSchema = z.strictObject({ op: z.literal('hardtanh'), name: tensorName, input: tensorName, output: tensorName });
export type HardtanhOp = z.infer<typeof hardtanhSchema>;

export const hardtanh: OpDef<HardtanhOp> = {
  schema: hardtanhSchema,
  inputs: (op) => [op.input],
  params: () => [],
  shape: (_, [input]) => input,
  forward: (_, [x]) => tf.clipByValue(x, -1, 1),
  cost: () => NO_COST,
};
