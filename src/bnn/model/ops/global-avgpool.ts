import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { tensorName } from './fields';
import { NO_COST, hwc, type OpDef } from './op-def';

/** Mean over H×W per channel: [H, W, C] → [C] (the head). */
export const globalAvgpoolSchema = z.strictObject({ op: z.literal('global_avgpool'), name: tensorName, input: tensorName, output: tensorName });
export type GlobalAvgPoolOp = z.infer<typeof globalAvgpoolSchema>;

export const globalAvgpool: OpDef<GlobalAvgPoolOp> = {
  schema: globalAvgpoolSchema,
  inputs: (op) => [op.input],
  params: () => [],
  shape: (op, [input]) => [hwc(input, op)[2]],
  forward: (_, [x]) => tf.mean(x, [1, 2]),
  cost: () => NO_COST,
};
