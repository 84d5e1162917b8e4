import type { Architecture, LayerOp } from './architecture';

export interface SummaryRow {
  name: string;
  op: LayerOp['op'];
  /** [H, W, C] per image, or [C] after pooling. */
  outputShape: number[];
  binaryParams: number;
  floatParams: number;
  /** binaryParams · 1 + floatParams · 32 */
  bits: number;
  /** Binary multiply-accumulates per image (XNOR + popcount). */
  bops: number;
  /** Float multiply-accumulates per image (the papers' FLOPs). */
  flops: number;
}

export interface ModelSummary {
  rows: SummaryRow[];
  binaryParams: number;
  floatParams: number;
  totalBits: number;
  /** Size if every parameter were float32. */
  float32Bits: number;
  /** float32Bits / totalBits */
  compression: number;
  bops: number;
  flops: number;
  /** The papers' combined measure: OPs = BOPs / 64 + FLOPs. */
  ops: number;
}

/**
 * Larq-style summary. A binary conv stores 1 bit per weight plus, when the weight transform has
 * one, a float scale per out channel; BN stores 4 floats per channel (γ, β, moving μ, σ²), as the
 * export does. BN, adds and pooling are not counted as MACs (BN folds into an affine).
 */
export function summarize(arch: Architecture, opts: { binaryScale: boolean }): ModelSummary {
  const shapes = new Map<string, number[]>([['input', [...arch.input]]]);
  const rows: SummaryRow[] = [];
  for (const op of arch.ops) {
    const row = summarizeOp(op, shapes, opts.binaryScale);
    shapes.set(op.output, row.outputShape);
    rows.push(row);
  }
  const sum = (f: (r: SummaryRow) => number): number => rows.reduce((a, r) => a + f(r), 0);
  const binaryParams = sum((r) => r.binaryParams);
  const floatParams = sum((r) => r.floatParams);
  const totalBits = binaryParams + 32 * floatParams;
  const float32Bits = 32 * (binaryParams + floatParams);
  const bops = sum((r) => r.bops);
  const flops = sum((r) => r.flops);
  return {
    rows,
    binaryParams,
    floatParams,
    totalBits,
    float32Bits,
    compression: float32Bits / totalBits,
    bops,
    flops,
    ops: bops / 64 + flops,
  };
}

function summarizeOp(op: LayerOp, shapes: Map<string, number[]>, binaryScale: boolean): SummaryRow {
  const inShape = (name: string): number[] => {
    const s = shapes.get(name);
    if (!s) throw new Error(`summary: unknown tensor '${name}'`);
    return s;
  };
  const row = (outputShape: number[], b = 0, f = 0, bops = 0, flops = 0): SummaryRow => ({
    name: op.name,
    op: op.op,
    outputShape,
    binaryParams: b,
    floatParams: f,
    bits: b + 32 * f,
    bops,
    flops,
  });
  switch (op.op) {
    case 'conv2d': {
      const weights = op.kernel * op.kernel * op.cin * op.cout;
      const macs = weights * op.outH * op.outW;
      const out = [op.outH, op.outW, op.cout];
      return op.binary ? row(out, weights, binaryScale ? op.cout : 0, macs, 0) : row(out, 0, weights, 0, macs);
    }
    case 'dwconv2d': {
      const weights = op.kernel * op.kernel * op.channels * op.multiplier;
      return row([op.h, op.w, op.channels * op.multiplier], 0, weights, 0, weights * op.h * op.w);
    }
    case 'batchnorm':
      return row(inShape(op.input), 0, 4 * op.channels);
    case 'hardtanh':
      return row(inShape(op.input));
    case 'add':
      return row(inShape(op.inputs[0]));
    case 'shortcut_a': {
      const [h, w, c] = inShape(op.input);
      return row([Math.ceil(h / op.stride), Math.ceil(w / op.stride), c + op.padBefore + op.padAfter]);
    }
    case 'avgpool': {
      const [h, w, c] = inShape(op.input);
      return row([Math.floor(h / op.size), Math.floor(w / op.size), c]);
    }
    case 'concat': {
      const shapesIn = op.inputs.map(inShape);
      const c = shapesIn.reduce((a, s) => a + s[2], 0);
      return row([shapesIn[0][0], shapesIn[0][1], c]);
    }
    case 'slice_channels': {
      const [h, w] = inShape(op.input);
      return row([h, w, op.count]);
    }
    case 'global_avgpool':
      return row([inShape(op.input)[2]]);
    case 'dense':
      return row([op.cout], 0, op.cin * op.cout + op.cout, 0, op.cin * op.cout);
  }
}
