import type { BatchNormOp, ConvOp, DepthwiseConvOp, HardtanhOp } from '../bnn/model/architecture';
import type { Shape } from '../bnn/model/ops/op-def';
import type { Epilogue } from '../kernels/float-ops';
import type { EngineKernels, EngineOptions, EngineStep, SignInputObserver } from './types';

/** A producer (conv or depthwise conv) and the ops fused into its epilogue. */
export interface ConvGroup {
  readonly producer: ConvOp | DepthwiseConvOp;
  bn?: BatchNormOp;
  residual?: string;
  addName?: string;
  act?: HardtanhOp;
  output: string;
}

export interface BufferView {
  get(name: string): Float32Array;
}

/** A step before buffers are bound: what it reads and writes, and how to bind it. */
export interface PlanNode {
  readonly info: EngineStep;
  readonly inputs: readonly string[];
  readonly output: string;
  /** Index of an input whose buffer the output may reuse when that input dies here. */
  readonly inPlace?: number;
  /** Bytes of weights this step prepared. */
  readonly weightBytes: number;
  bind(buffers: BufferView): (n: number, observe?: SignInputObserver) => void;
}

/** What a step builder reads: shapes, parameters, the binary convs' bits and shared scratch. */
export interface StepContext {
  readonly kernels: EngineKernels;
  readonly options: EngineOptions;
  shapeOf(name: string): Shape;
  /** A float parameter by name, checked for its size. */
  param(name: string, size: number): Float32Array;
  /** The fused epilogue of a BN (and scale) on `channels` channels. */
  epilogue(bn: BatchNormOp | undefined, channels: number, scale: Float32Array | null): Epilogue;
  /** The fusion group a conv or depthwise conv heads. */
  group(op: ConvOp | DepthwiseConvOp): ConvGroup;
  readonly binary: ReadonlyMap<string, { readonly shape: readonly number[]; readonly signs: Float32Array; readonly scale: Float32Array | null }>;
  /** Packed words (xnor) shared by all binary convs. */
  readonly packScratch: Uint32Array;
  /** ±1 floats (float kernels) shared by all binary convs. */
  readonly signScratch: Float32Array;
}

/**
 * v as a small integer. The op builder computes some sizes as doubles (pad = (k − 1)/2,
 * widths w·2^s); V8 keeps such values boxed, and a boxed number stored into an object
 * literal (a layer, a geometry) generalizes that object shape's field to double for every
 * object of the shape, the kernels' own included, turning their index arithmetic into
 * float math (measured: the stem conv 2×, the float conv 1.3× slower). Every size the
 * engine hands to a kernel goes through here.
 */
export const int = (v: number): number => v | 0;

export const sizeOf = (s: Shape): number => s.reduce((a, b) => a * b, 1);

/** A one-op step's common fields. */
export function simpleInfo(op: { op: EngineStep['kind']; name: string; output: string }, ctx: StepContext): Pick<PlanNode, 'info' | 'output' | 'weightBytes'> {
  return { info: { kind: op.op, ops: [op.name], shape: ctx.shapeOf(op.output) }, output: op.output, weightBytes: 0 };
}
