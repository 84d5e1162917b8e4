import type {
  AddOp,
  AvgPoolOp,
  BatchNormOp,
  ConcatOp,
  DenseOp,
  GlobalAvgPoolOp,
  HardtanhOp,
  RPReluOp,
  RSignOp,
  ShortcutAOp,
  SliceChannelsOp,
} from '../../bnn/model/architecture';
import { add, affine, avgPool, concatChannels, dense, globalAvgPool, hardtanh, rprelu, shortcutA, sliceChannels, subtractChannels } from '../../kernels/float-ops';
import { int, simpleInfo, sizeOf, type PlanNode, type StepContext } from '../plan';

/**
 * The engine steps of the ops that are float math on whole tensors, each with the semantics of
 * its tfjs forward (src/bnn/model/ops/). A BN, add or hardtanh that follows a conv is fused into
 * the conv's step instead (plan.ts ConvGroup); these run the rest.
 */

export function batchnormStep(op: BatchNormOp, ctx: StepContext): PlanNode {
  const c = int(op.channels);
  const ep = ctx.epilogue(op, c, null);
  const outSize = sizeOf(ctx.shapeOf(op.output));
  return {
    ...simpleInfo(op, ctx),
    inputs: [op.input],
    inPlace: 0,
    weightBytes: 8 * c,
    bind: (buf) => {
      const x = buf.get(op.input);
      const y = buf.get(op.output);
      return (n) => affine(x, (n * outSize) / c, c, ep, y);
    },
  };
}

export function hardtanhStep(op: HardtanhOp, ctx: StepContext): PlanNode {
  const outSize = sizeOf(ctx.shapeOf(op.output));
  return {
    ...simpleInfo(op, ctx),
    inputs: [op.input],
    inPlace: 0,
    bind: (buf) => {
      const x = buf.get(op.input);
      const y = buf.get(op.output);
      return (n) => hardtanh(x, n * outSize, y);
    },
  };
}

export function addStep(op: AddOp, ctx: StepContext): PlanNode {
  const outSize = sizeOf(ctx.shapeOf(op.output));
  return {
    ...simpleInfo(op, ctx),
    inputs: op.inputs,
    inPlace: 0,
    bind: (buf) => {
      const x = buf.get(op.inputs[0]);
      const z = buf.get(op.inputs[1]);
      const y = buf.get(op.output);
      return (n) => add(x, z, n * outSize, y);
    },
  };
}

export function shortcutAStep(op: ShortcutAOp, ctx: StepContext): PlanNode {
  const [h, w, c] = ctx.shapeOf(op.input);
  return {
    ...simpleInfo(op, ctx),
    inputs: [op.input],
    bind: (buf) => {
      const x = buf.get(op.input);
      const y = buf.get(op.output);
      const [stride, before, after] = [int(op.stride), int(op.padBefore), int(op.padAfter)];
      return (n) => shortcutA(x, n, h, w, c, stride, before, after, y);
    },
  };
}

export function avgpoolStep(op: AvgPoolOp, ctx: StepContext): PlanNode {
  const [h, w, c] = ctx.shapeOf(op.input);
  return {
    ...simpleInfo(op, ctx),
    inputs: [op.input],
    bind: (buf) => {
      const x = buf.get(op.input);
      const y = buf.get(op.output);
      const size = int(op.size);
      return (n) => avgPool(x, n, h, w, c, size, y);
    },
  };
}

export function concatStep(op: ConcatOp, ctx: StepContext): PlanNode {
  const channels = op.inputs.map((name) => ctx.shapeOf(name)[2]);
  const out = ctx.shapeOf(op.output);
  const pixels = out[0] * out[1];
  return {
    ...simpleInfo(op, ctx),
    inputs: op.inputs,
    bind: (buf) => {
      const parts = op.inputs.map((name) => buf.get(name));
      const y = buf.get(op.output);
      return (n) => concatChannels(parts, channels, n * pixels, y);
    },
  };
}

export function sliceChannelsStep(op: SliceChannelsOp, ctx: StepContext): PlanNode {
  const [h, w, c] = ctx.shapeOf(op.input);
  return {
    ...simpleInfo(op, ctx),
    inputs: [op.input],
    bind: (buf) => {
      const x = buf.get(op.input);
      const y = buf.get(op.output);
      const count = int(op.count);
      return (n) => sliceChannels(x, n * h * w, c, count, y);
    },
  };
}

export function globalAvgpoolStep(op: GlobalAvgPoolOp, ctx: StepContext): PlanNode {
  const [h, w, c] = ctx.shapeOf(op.input);
  return {
    ...simpleInfo(op, ctx),
    inputs: [op.input],
    bind: (buf) => {
      const x = buf.get(op.input);
      const y = buf.get(op.output);
      return (n) => globalAvgPool(x, n, h * w, c, y);
    },
  };
}

export function denseStep(op: DenseOp, ctx: StepContext): PlanNode {
  const [cin, cout] = [int(op.cin), int(op.cout)];
  const weight = ctx.param(op.weight, cin * cout);
  const bias = ctx.param(op.bias, cout);
  return {
    ...simpleInfo(op, ctx),
    inputs: [op.input],
    weightBytes: weight.byteLength + bias.byteLength,
    bind: (buf) => {
      const x = buf.get(op.input);
      const y = buf.get(op.output);
      return (n) => dense(x, n, cin, cout, weight, bias, y);
    },
  };
}

export function rsignStep(op: RSignOp, ctx: StepContext): PlanNode {
  const c = int(op.channels);
  const threshold = ctx.param(op.threshold, c);
  const outSize = sizeOf(ctx.shapeOf(op.output));
  return {
    ...simpleInfo(op, ctx),
    inputs: [op.input],
    inPlace: 0,
    weightBytes: threshold.byteLength,
    bind: (buf) => {
      const x = buf.get(op.input);
      const y = buf.get(op.output);
      return (n) => subtractChannels(x, (n * outSize) / c, c, threshold, y);
    },
  };
}

export function rpreluStep(op: RPReluOp, ctx: StepContext): PlanNode {
  const c = int(op.channels);
  const [gamma, beta, zeta] = [op.shiftIn, op.slope, op.shiftOut].map((name) => ctx.param(name, c));
  const outSize = sizeOf(ctx.shapeOf(op.output));
  return {
    ...simpleInfo(op, ctx),
    inputs: [op.input],
    inPlace: 0,
    weightBytes: 3 * 4 * c,
    bind: (buf) => {
      const x = buf.get(op.input);
      const y = buf.get(op.output);
      return (n) => rprelu(x, (n * outSize) / c, c, gamma, beta, zeta, y);
    },
  };
}
