/**
 * A model is an ordered list of ops over named tensors. The same list drives the tfjs forward pass
 * (forward.ts), the model summary, the XNOR inference engine and the export format, so they cannot
 * disagree about the graph. All tensors are NHWC; conv weights are HWIO.
 */

export interface ConvOp {
  op: 'conv2d';
  name: string;
  input: string;
  output: string;
  weight: string;
  kernel: number;
  stride: number;
  /** Zero padding on every side. */
  pad: number;
  cin: number;
  cout: number;
  /** Binary conv: sign of activations and transformed weights; otherwise full precision. */
  binary: boolean;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
}

export interface DepthwiseConvOp {
  op: 'dwconv2d';
  name: string;
  input: string;
  output: string;
  /** [k, k, channels, multiplier] */
  weight: string;
  kernel: number;
  pad: number;
  channels: number;
  multiplier: number;
  h: number;
  w: number;
}

export interface BatchNormOp {
  op: 'batchnorm';
  name: string;
  input: string;
  output: string;
  channels: number;
  gamma: string;
  beta: string;
  mean: string;
  variance: string;
}

export interface HardtanhOp {
  op: 'hardtanh';
  name: string;
  input: string;
  output: string;
}

export interface AddOp {
  op: 'add';
  name: string;
  inputs: [string, string];
  output: string;
}

/** ResNet option-A shortcut: x[:, ::2, ::2, :] then zero channels padBefore / padAfter. */
export interface ShortcutAOp {
  op: 'shortcut_a';
  name: string;
  input: string;
  output: string;
  stride: number;
  padBefore: number;
  padAfter: number;
}

/** Average pooling with window = stride = size (ceil mode off); used to align shallow features. */
export interface AvgPoolOp {
  op: 'avgpool';
  name: string;
  input: string;
  output: string;
  size: number;
}

export interface ConcatOp {
  op: 'concat';
  name: string;
  inputs: string[];
  output: string;
}

/** Keep the first `count` channels. */
export interface SliceChannelsOp {
  op: 'slice_channels';
  name: string;
  input: string;
  output: string;
  count: number;
}

export interface GlobalAvgPoolOp {
  op: 'global_avgpool';
  name: string;
  input: string;
  output: string;
}

export interface DenseOp {
  op: 'dense';
  name: string;
  input: string;
  output: string;
  weight: string;
  bias: string;
  cin: number;
  cout: number;
}

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
  | DenseOp;

export type ParamKind = 'conv' | 'dwconv' | 'dense' | 'bias' | 'bn_gamma' | 'bn_beta' | 'bn_mean' | 'bn_variance';

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
export const BN_EPSILON = 1e-5;
