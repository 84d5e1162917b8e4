import type * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import type { ParamSpec } from '../architecture';
import type { ParamStore } from '../params';
import type { QuantContext } from '../forward';

/** A tensor's shape per image: [H, W, C], or [C] after global pooling. */
export type Shape = readonly number[];

/** What a forward step reads besides its input tensors. */
export interface ForwardContext {
  readonly params: ParamStore;
  /** Training uses batch statistics in BN and reports them; inference uses the stored ones. */
  readonly training: boolean;
  /** Required when the model has binary convs. */
  readonly quant?: QuantContext;
  /** Training mode: each BN op's batch mean and (biased) variance, reported here. */
  readonly stats: Record<string, { mean: tf.Tensor1D; variance: tf.Tensor1D }>;
}

/** What an op stores and computes per image, for the model summary. */
export interface OpCost {
  binaryParams: number;
  floatParams: number;
  /** Binary multiply-accumulates (XNOR + popcount). */
  bops: number;
  /** Float multiply-accumulates. */
  flops: number;
}

/**
 * Everything about one op, in one module: its fields (a zod schema; the TS type is inferred from
 * it), the inputs it reads, the parameters it owns, its shape rule, its tfjs forward pass and its
 * cost. The op list of a model (architecture.ts) is a list of these ops' values; the forward pass,
 * the summary, the engine and the file format all go through OPS (ops/index.ts), keyed by op
 * type, so an op without a handler does not compile.
 */
export interface OpDef<O extends { op: string; name: string; output: string }> {
  readonly schema: z.ZodType<O>;
  inputs(op: O): readonly string[];
  /** The parameters the op owns, as the builder declares them (name, shape, kind, trainable). */
  params(op: O): ParamSpec[];
  /** Per-image output shape from the input shapes; throws a clear error on a mismatch. */
  shape(op: O, inputs: readonly Shape[]): Shape;
  forward(op: O, inputs: readonly tf.Tensor[], ctx: ForwardContext): tf.Tensor;
  /** Parameters and multiply-accumulates per image; `binaryScale`: binary convs carry a float scale per out channel. */
  cost(op: O, inputs: readonly Shape[], output: Shape, opts: { binaryScale: boolean }): OpCost;
}

export const NO_COST: OpCost = { binaryParams: 0, floatParams: 0, bops: 0, flops: 0 };

/** [H, W, C] of an input, or a clear error. */
export function hwc(shape: Shape, op: { op: string; name: string }): [number, number, number] {
  if (shape.length !== 3) throw new Error(`${op.op} '${op.name}' needs an H×W×C input, got [${shape}]`);
  return [shape[0], shape[1], shape[2]];
}
