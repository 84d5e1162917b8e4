import type { OpName, OpOf } from '../../bnn/model/ops';
import type { PlanNode, StepContext } from '../plan';
import { conv2dStep } from './conv2d';
import { dwconv2dStep } from './dwconv2d';
import {
  addStep,
  avgpoolStep,
  batchnormStep,
  concatStep,
  denseStep,
  globalAvgpoolStep,
  hardtanhStep,
  rpreluStep,
  rsignStep,
  shortcutAStep,
  sliceChannelsStep,
} from './simple';

/** Builds an op's step of the engine's plan. */
export type StepBuilder<O> = (op: O, ctx: StepContext) => PlanNode;

/** Each op type's engine step: an op type without one does not compile. */
export const ENGINE_STEPS: { readonly [K in OpName]: StepBuilder<OpOf<K>> } = {
  conv2d: conv2dStep,
  dwconv2d: dwconv2dStep,
  batchnorm: batchnormStep,
  hardtanh: hardtanhStep,
  add: addStep,
  shortcut_a: shortcutAStep,
  avgpool: avgpoolStep,
  concat: concatStep,
  slice_channels: sliceChannelsStep,
  global_avgpool: globalAvgpoolStep,
  dense: denseStep,
  rsign: rsignStep,
  rprelu: rpreluStep,
};
