import type { Architecture, LayerOp } from './architecture';
import { opDef } from './ops';

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
  const def = opDef(op);
  const inputs = def.inputs(op).map((name) => {
    const s = shapes.get(name);
    if (!s) throw new Error(`summary: unknown tensor '${name}'`);
    return s;
  });
  const outputShape = [...def.shape(op, inputs)];
  const cost = def.cost(op, inputs, outputShape, { binaryScale });
  return { name: op.name, op: op.op, outputShape, ...cost, bits: cost.binaryParams + 32 * cost.floatParams };
}
