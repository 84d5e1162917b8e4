import type { OpDef } from './op-def';
import { conv2d, type ConvOp } from './conv2d';
import { dwconv2d, type DepthwiseConvOp } from './dwconv2d';
import { batchnorm, type BatchNormOp } from './batchnorm';
import { hardtanh, type HardtanhOp } from './hardtanh';
import { add, type AddOp } from './add';
import { shortcutA, type ShortcutAOp } from './shortcut-a';
import { avgpool, type AvgPoolOp } from './avgpool';
import { concat, type ConcatOp } from './concat';
import { sliceChannels, type SliceChannelsOp } from './slice-channels';
import { globalAvgpool, type GlobalAvgPoolOp } from './global-avgpool';
import { dense, type DenseOp } from './dense';
import { rsign, type RSignOp } from './rsign';
import { rprelu, type RPReluOp } from './rprelu';

/** Every op a model can hold. */
export type LayerOp =
  | ConvOp
  | DepthwiseConvOp
  | BatchNormOp
  | HardtanhOp
  | AddOp
  | ShortcutAOp
  | AvgPoolOp
  | ConcatOp
  | SliceChannelsOp
  | GlobalAvgPoolOp
  | DenseOp
  | RSignOp
  | RPReluOp;

export type OpName = LayerOp['op'];
export type OpOf<K extends OpName> = Extract<LayerOp, { op: K }>;

/** Each op's definition by type: a new op type without an entry here does not compile. */
export const OPS: { readonly [K in OpName]: OpDef<OpOf<K>> } = {
  conv2d,
  dwconv2d,
  batchnorm,
  hardtanh,
  add,
  shortcut_a: shortcutA,
  avgpool,
  concat,
  slice_channels: sliceChannels,
  global_avgpool: globalAvgpool,
  dense,
  rsign,
  rprelu,
};

/** The definition of an op value (one cast, here, instead of a switch at every use). */
export function opDef<O extends LayerOp>(op: O): OpDef<O> {
  return OPS[op.op] as unknown as OpDef<O>;
}

export type { ConvOp, DepthwiseConvOp, BatchNormOp, HardtanhOp, AddOp, ShortcutAOp, AvgPoolOp, ConcatOp, SliceChannelsOp, GlobalAvgPoolOp, DenseOp, RSignOp, RPReluOp };
export { BN_EPSILON } from './batchnorm';
export { binaryWeight } from './conv2d';
