import type { LayerOp } from './ops';

/**
 * A model is an ordered list of ops over named tensors. The same list drives the tfjs forward pass
 * (forward.ts), the model summary, the XNOR inference engine and the export format, so they cannot
 * disagree about the graph. Each op type is defined once, in its module under ops/. All tensors are
 * NHWC; conv weights are HWIO.
 */

export type {
  LayerOp,
  OpName,
  ConvOp,
  DepthwiseConvOp,
  BatchNormOp,
  HardtanhOp,
  AddOp,
  ShortcutAOp,
  AvgPoolOp,
  ConcatOp,
  SliceChannelsOp,
  GlobalAvgPoolOp,
  DenseOp,
  RSignOp,
  RPReluOp,
} from './ops';
export { BN_EPSILON } from './ops/batchnorm';

/** How a parameter is initialised and treated: weights (He normal), biases and shifts (0), BN, RPReLU slopes (0.25). */
export type ParamKind = 'conv' | 'dwconv' | 'dense' | 'bias' | 'bn_gamma' | 'bn_beta' | 'bn_mean' | 'bn_variance' | 'shift' | 'slope';

export interface ParamSpec {
  name: string;
  shape: number[];
  kind: ParamKind;
  /** Moving BN statistics are state, not trained by the optimiser. */
  trainable: boolean;
  /** Fan-in for initialisation of conv/dense weights. */
  fanIn?: number;
}

export interface Architecture {
  /** [H, W, C] */
  input: [number, number, number];
  classes: number;
  depth: number;
  width: number;
  ops: LayerOp[];
  params: ParamSpec[];
  /** The stem output and every stage output, in order (RBD aligns these). */
  stageOutputs: string[];
  /** Output of the last stage before any fusion (IR2Net's attention is taken here). */
  lastStage: string;
  output: string;
}

export const INPUT = 'input';
