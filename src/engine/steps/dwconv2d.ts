import type { DepthwiseConvOp } from '../../bnn/model/architecture';
import { applyEpilogue } from '../../kernels/float-ops';
import { depthwiseConv } from '../../kernels/float-small-convs';
import { int, type PlanNode, type StepContext } from '../plan';

/** A depthwise conv (IR2Net's Ghost module) and its fused epilogue. */
export function dwconv2dStep(p: DepthwiseConvOp, ctx: StepContext): PlanNode {
  const group = ctx.group(p);
  const opNames = [p.name, group.bn?.name, group.addName, group.act?.name].filter((x): x is string => !!x);
  const outShape = ctx.shapeOf(group.output);
  const [h, w, c] = ctx.shapeOf(p.input);
  const [k, m, pad] = [int(p.kernel), int(p.multiplier), int(p.pad)];
  const weight = ctx.param(p.weight, k * k * c * m);
  const ep = ctx.epilogue(group.bn, c * m, null);
  const rows = outShape[0] * outShape[1];
  return {
    info: { kind: 'dwconv', ops: opNames, shape: outShape },
    inputs: group.residual ? [p.input, group.residual] : [p.input],
    output: group.output,
    weightBytes: weight.byteLength + 8 * c * m,
    bind: (buf) => {
      const x = buf.get(p.input);
      const y = buf.get(group.output);
      const yBits = new Int32Array(y.buffer, y.byteOffset, y.length);
      const r = group.residual ? buf.get(group.residual) : null;
      return (n) => {
        depthwiseConv(x, n, h, w, c, weight, k, m, pad, y);
        applyEpilogue(y, yBits, n * rows, c * m, ep, r, !!group.act);
      };
    },
  };
}
