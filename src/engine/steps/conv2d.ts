import type { ConvOp } from '../../bnn/model/architecture';
import { packWeightsHWIO } from '../../kernels/bitpack';
import { binaryConv2dFromFloat, prepareBinaryConv, type BinaryConvLayer } from '../../kernels/binary-conv';
import { applyEpilogue, signs as signsOf, type Epilogue } from '../../kernels/float-ops';
import { directConv, prepareDirectConv } from '../../kernels/float-small-convs';
import { floatConv2d, prepareFloatConv, type FloatConvLayer } from '../../kernels/float-conv';
import { int, type BufferView, type ConvGroup, type PlanNode, type StepContext } from '../plan';
import type { EngineStep, SignInputObserver } from '../types';

/** Full-precision convs with at most this depth (k²·cin; the stem's 27) run as a direct conv. */
const DIRECT_CONV_MAX_DEPTH = 64;

/**
 * A conv and its fused epilogue (BN, residual add, hardtanh): binary convs on the XNOR kernels
 * (or, kernels = 'float', as a float conv of ±1 signs), full-precision ones as a direct or a panel
 * float conv.
 */
export function conv2dStep(p: ConvOp, ctx: StepContext): PlanNode {
  const group = ctx.group(p);
  const opNames = [p.name, group.bn?.name, group.addName, group.act?.name].filter((x): x is string => !!x);
  const outShape = ctx.shapeOf(group.output);
  const inputs = group.residual ? [p.input, group.residual] : [p.input];
  const [h, w, cin, cout] = [int(p.inH), int(p.inW), int(p.cin), int(p.cout)];
  const [kernel, stride, pad] = [int(p.kernel), int(p.stride), int(p.pad)];
  const rows = int(p.outH) * int(p.outW);
  const inSize = h * w * cin;
  const shape = { n: 0, h, w, c: cin };
  /** A node whose run computes the conv into y, then applies the epilogue. */
  const node = (kind: EngineStep['kind'], ep: Epilogue, weightBytes: number, conv: (x: Float32Array, n: number, y: Float32Array, observe?: SignInputObserver) => void): PlanNode => ({
    info: { kind, ops: opNames, shape: outShape },
    inputs,
    output: group.output,
    weightBytes: weightBytes + 8 * cout,
    bind: (buf: BufferView) => {
      const x = buf.get(p.input);
      const y = buf.get(group.output);
      const yBits = new Int32Array(y.buffer, y.byteOffset, y.length);
      const r = group.residual ? buf.get(group.residual) : null;
      return (n, observe) => {
        conv(x, n, y, observe);
        applyEpilogue(y, yBits, n * rows, cout, ep, r, !!group.act);
      };
    },
  });

  if (!p.binary) {
    const weight = ctx.param(p.weight, kernel * kernel * cin * cout);
    const ep = ctx.epilogue(group.bn, cout, null);
    if (kernel * kernel * cin <= DIRECT_CONV_MAX_DEPTH && cout % 8 === 0) {
      const direct = prepareDirectConv(weight, kernel, cin, cout, stride, pad);
      return node('conv', ep, direct.blocked.byteLength, (x, n, y) => directConv(x, n, h, w, direct, y));
    }
    const layer = prepareFloatConv(weight, { kh: kernel, kw: kernel, cin, cout, stride, pad });
    return node('conv', ep, layer.weights.data.byteLength, (x, n, y) => floatConv2d(x.subarray(0, n * inSize), { ...shape, n }, layer, y));
  }

  const bw = ctx.binary.get(p.name);
  if (!bw) throw new Error(`engine: no binary weights for '${p.name}'`);
  if (bw.shape.join(',') !== [kernel, kernel, cin, cout].join(',')) {
    throw new Error(`engine: binary weights of '${p.name}' are [${bw.shape}], expected [${kernel},${kernel},${cin},${cout}]`);
  }
  if (bw.signs.length !== kernel * kernel * cin * cout) throw new Error(`engine: '${p.name}' needs ${kernel * kernel * cin * cout} signs`);
  if (bw.scale && bw.scale.length !== cout) throw new Error(`engine: '${p.name}' needs ${cout} scales`);
  const ep = ctx.epilogue(group.bn, cout, bw.scale);
  const observed = (x: Float32Array, n: number, observe?: SignInputObserver): Float32Array => {
    const xv = x.subarray(0, n * inSize);
    observe?.(p.name, xv, [n, h, w, cin]);
    return xv;
  };
  if (ctx.kernels === 'xnor') {
    const packed = packWeightsHWIO(bw.signs, kernel, kernel, cin, cout);
    const layer: BinaryConvLayer = prepareBinaryConv(packed, stride, { pad, groupBits: ctx.options.groupBits });
    return node('binary-conv', ep, layer.lut.table.byteLength, (x, n, y, observe) =>
      binaryConv2dFromFloat(observed(x, n, observe), { n, h, w, c: cin }, layer, y, ctx.packScratch),
    );
  }
  const layer: FloatConvLayer = prepareFloatConv(bw.signs, { kh: kernel, kw: kernel, cin, cout, stride, pad });
  return node('binary-conv', ep, layer.weights.data.byteLength, (x, n, y, observe) => {
    signsOf(observed(x, n, observe), n * inSize, ctx.signScratch);
    floatConv2d(ctx.signScratch.subarray(0, n * inSize), { ...shape, n }, layer, y);
  });
}

export type { ConvGroup };
