import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { count, tensorName } from './fields';
import { NO_COST, hwc, type OpDef } from './op-def';

/** Keep the first `count` channels (the Ghost module's output cut to its width). */
export const sliceChannelsSchema = z.strictObject({ op: z.literal('slice_channels'), name: tensorName, input: tensorName, output: tensorName, count });
export type SliceChannelsOp = z.infer<typeof sliceChannelsSchema>;

export const sliceChannels: OpDef<SliceChannelsOp> = {
  schema: sliceChannelsSchema,
  inputs: (op) => [op.input],
  params: () => [],
  shape: (op, [input]) => {
    const [h, w, c] = hwc(input, op);
    if (op.count > c) throw new Error(`slice_channels '${op.name}' keeps ${op.count} of ${c} channels`);
    return [h, w, op.count];
  },
  forward: (op, [x]) => tf.slice(x as tf.Tensor4D, [0, 0, 0, 0], [-1, -1, -1, op.count]),
  cost: () => NO_COST,
};
