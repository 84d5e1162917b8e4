import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { count, tensorName } from './fields';
import { NO_COST, hwc, type OpDef } from './op-def';

/** Average pooling with window = stride = size, 'valid' (IR2Net recovery aligns shallow features with it). */
export const avgpoolSchema = z.strictObject({ op: z.literal('avgpool'), name: tensorName, input: tensorName, output: tensorName, size: count });
export type AvgPoolOp = z.infer<typeof avgpoolSchema>;

export const avgpool: OpDef<AvgPoolOp> = {
  schema: avgpoolSchema,
  inputs: (op) => [op.input],
  params: () => [],
  shape: (op, [input]) => {
    const [h, w, c] = hwc(input, op);
    return [Math.floor(h / op.size), Math.floor(w / op.size), c];
  },
  forward: (op, [x]) => tf.avgPool(x as tf.Tensor4D, op.size, op.size, 'valid'),
  cost: () => NO_COST,
};
