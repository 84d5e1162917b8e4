import * as tf from '@tensorflow/tfjs-core';
import type { BnnModel } from '../model/model';
import { forward, type ForwardResult, type QuantContext } from '../model/forward';
import { crossEntropy } from './loss';

/** Extra training terms a run may switch on; each lives in its own module. */
export interface LossTerm {
  readonly name: string;
  /**
   * Adds to the loss given the first forward pass (training mode, stage outputs kept).
   * Returns the term's scalar (already weighted) and may replace the CE (restriction averages
   * two passes).
   */
  compute(args: {
    model: BnnModel;
    quant: QuantContext | undefined;
    x: tf.Tensor4D;
    y: tf.Tensor1D;
    first: ForwardResult;
    ce: tf.Scalar;
  }): { term?: tf.Scalar; ce?: tf.Scalar };
}

export interface Objective {
  total: tf.Scalar;
  ce: tf.Scalar;
  logits: tf.Tensor2D;
  batchStats: ForwardResult['batchStats'];
  /** Each extra term's value, for the charts. */
  parts: Record<string, tf.Scalar>;
}

/** CE on a training-mode forward pass, plus the run's extra terms. Call inside tf.tidy/variableGrads. */
export function trainingObjective(
  model: BnnModel,
  quant: QuantContext | undefined,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  terms: readonly LossTerm[],
): Objective {
  const first = forward(model.arch, model.params, x, { training: true, quant, keep: model.arch.stageOutputs });
  let ce = crossEntropy(first.logits, y);
  const parts: Record<string, tf.Scalar> = {};
  let extra: tf.Scalar | null = null;
  for (const term of terms) {
    const r = term.compute({ model, quant, x, y, first, ce });
    if (r.ce) ce = r.ce;
    if (r.term) {
      parts[term.name] = r.term;
      extra = extra ? (tf.add(extra, r.term) as tf.Scalar) : r.term;
    }
  }
  return { total: extra ? (tf.add(ce, extra) as tf.Scalar) : ce, ce, logits: first.logits, batchStats: first.batchStats, parts };
}
