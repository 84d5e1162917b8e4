import * as tf from '@tensorflow/tfjs-core';
import { customGrad } from '../custom-grad';
import type { BnnModel } from '../model/model';
import { forward, type QuantContext } from '../model/forward';
import { crossEntropy } from './loss';
import type { LossTerm } from './objective';
import type { ImageDataset } from '../../data/dataset';

/**
 * IR2Net information restriction (Xue et al., arXiv 2210.02637; the official CIFAR trainer's
 * `at` + `attention_erase`). Training only; evaluation is a plain forward pass.
 *
 *   F    = output of the last stage (before any recovery fusion), from the first forward pass
 *   A    = mean_c F²                                      per image, h×w
 *   Â    = bilinear_resize(A, H×W, align corners)         H×W = the input size; detached
 *   mask = 1[Â > λ · mean_{H×W}(Â)]                       per image, broadcast over input channels
 *   x̃    = x · mask + e · (1 − mask)                      e = the erase value per input channel
 *   logits₂ = model(x̃)                                   second pass, training mode
 *   CE   = (CE(logits₁, y) + CE(logits₂, y)) / 2
 *
 * The official code erases to 0, and its inputs are normalised per channel, so an erased pixel is
 * the dataset's mean colour: right for CIFAR-style photos. On a dark-background dataset (MNIST,
 * Fashion-MNIST) the mean colour is a grey that no image has (MNIST's background normalises to
 * −0.42), so there e is the normalised black, the background itself (the dataset catalog says
 * which; restrictionEraseValue). With e = 0 this is the official x · mask.
 *
 * Departures from the official code, on purpose:
 * - The official code L2-normalises A along its first spatial axis (F.normalize on B×H×W, i.e.
 *   every column of A is divided by its own norm) before resizing. We skip it: the threshold is
 *   relative to the mean of the same map, so a global rescaling would not change the mask. The
 *   official rescaling is per column, not global, so where column energies differ its masks can
 *   differ from ours; we threshold the raw energy map.
 * - PyTorch updates the BN running statistics in both passes (two momentum-0.1 updates per step).
 *   Here only the first (unmasked) pass's batch statistics feed the moving averages; the masked
 *   pass's statistics are used for its own normalisation and then discarded.
 */
export function restrictionTerm(lambda: number, erase: readonly number[] = [0]): LossTerm {
  return {
    name: 'restriction',
    compute({ model, quant, x, y, first, ce }) {
      const f = first.outputs[model.arch.lastStage];
      if (!f) throw new Error(`restriction: the first pass did not keep the last stage output '${model.arch.lastStage}'`);
      const [, h, w] = x.shape;
      const mask = restrictionMask(f as tf.Tensor4D, h, w, lambda);
      const second = forward(model.arch, model.params, eraseOutside(x, mask, erase), { training: true, quant });
      const ce2 = crossEntropy(second.logits, y);
      return { ce: tf.div(tf.add(ce, ce2), 2) as tf.Scalar };
    },
  };
}

/** x̃ = x · mask + e · (1 − mask), e per input channel (broadcast when it has one entry). */
export function eraseOutside(x: tf.Tensor4D, mask: tf.Tensor4D, erase: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => {
    if (erase.every((e) => e === 0)) return tf.mul(x, mask) as tf.Tensor4D;
    return tf.add(tf.mul(x, mask), tf.mul(tf.tensor1d([...erase]), tf.sub(1, mask))) as tf.Tensor4D;
  });
}

/** The erase value per input channel: the normalised black on dark-background datasets, else 0 (the mean colour). */
export function restrictionEraseValue(data: Pick<ImageDataset, 'mean' | 'std'>, background: 'black' | 'mean'): number[] {
  if (background === 'mean') return Array.from(data.mean, () => 0);
  return Array.from(data.mean, (m, c) => (0 - m) / (data.std[c] > 1e-12 ? data.std[c] : 1));
}

/** A = mean_c F², shape [N, h, w, 1]. */
export function attentionEnergy(f: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.mean(tf.square(f), 3, true) as tf.Tensor4D);
}

/** Â = bilinear_resize(A, [H, W]) with align corners (source coordinate = i · (h − 1)/(H − 1)). */
export function resizeAttention(a: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  return tf.image.resizeBilinear(a, [height, width], true);
}

/** mask = 1[Â > λ · mean_{H×W}(Â)] per image (strict: a flat map keeps nothing for λ ≥ 1). */
export function thresholdMask(resized: tf.Tensor4D, lambda: number): tf.Tensor4D {
  return tf.tidy(() => {
    const threshold = tf.mul(tf.mean(resized, [1, 2, 3], true), lambda);
    return tf.cast(tf.greater(resized, threshold), 'float32') as tf.Tensor4D;
  });
}

/**
 * The restriction mask [N, H, W, 1] from the last stage output F [N, h, w, C], as one op with a
 * zero gradient: nothing flows back through the mask into the network (the official code
 * detaches the attention map before thresholding). The ops inside are not recorded on the tape,
 * so backends without a ResizeBilinearGrad or Greater gradient are fine.
 */
export function restrictionMask(f: tf.Tensor4D, height: number, width: number, lambda: number): tf.Tensor4D {
  const shape = f.shape;
  const op = customGrad(([input]: [tf.Tensor4D]) => ({
    value: thresholdMask(resizeAttention(attentionEnergy(input), height, width), lambda),
    gradFunc: () => tf.zeros(shape),
  }));
  return op(f);
}

/** Share of the pixels of x the restriction mask keeps (training mode, as in the step). */
export async function maskKeepShare(model: BnnModel, quant: QuantContext | undefined, x: tf.Tensor4D, lambda: number): Promise<number> {
  const [, h, w] = x.shape;
  const share = tf.tidy(() => {
    const f = forward(model.arch, model.params, x, { training: true, quant, keep: [model.arch.lastStage] }).outputs[model.arch.lastStage];
    return tf.mean(thresholdMask(resizeAttention(attentionEnergy(f as tf.Tensor4D), h, w), lambda));
  });
  const v = (await share.data())[0];
  share.dispose();
  return v;
}

/** One image's restriction, as plain arrays for display (row-major H·W or H·W·C). */
export interface AttentionSample {
  height: number;
  width: number;
  channels: number;
  /** The normalised input, H·W·C. */
  input: Float32Array;
  /** Â / max Â, H·W in [0, 1] (0 everywhere when the map is all zero). */
  attention: Float32Array;
  /** 0/1, H·W. */
  mask: Float32Array;
  /** The restricted input x̃, H·W·C (erased pixels at the erase value). */
  masked: Float32Array;
  /** Share of pixels the mask keeps. */
  keep: number;
  /** A full-precision teacher's attention on the same image (inference mode), scaled like `attention`; null without one. */
  teacherAttention: Float32Array | null;
}

/**
 * The restriction for the first `count` images of a batch, for the mask viewer. The forward pass
 * runs on the whole batch in training mode by default (BN with batch statistics, as the training
 * step does), so the masks are exactly those the step at this t, k uses; nothing is updated.
 * `training: false` uses the moving statistics instead.
 *   attention = Â / max_{H×W} Â  (display scaling only; the mask uses Â itself)
 */
export interface AttentionOptions {
  /** Training mode (the default, BN with the batch's statistics, as the step) or the model's BN statistics. */
  training?: boolean;
  /** The erase value per input channel (default 0, the mean colour). */
  erase?: readonly number[];
  /** A full-precision teacher whose attention map (inference mode) is shown beside the student's. */
  teacher?: BnnModel;
}

export async function attentionMasks(
  model: BnnModel,
  quant: QuantContext | undefined,
  x: tf.Tensor4D,
  lambda: number,
  count: number,
  opts: AttentionOptions = {},
): Promise<AttentionSample[]> {
  const [n, h, w, c] = x.shape;
  const k = Math.max(0, Math.min(count, n));
  if (k === 0) return [];
  const scaledAttention = (f: tf.Tensor4D) => {
    const resized = resizeAttention(attentionEnergy(f), h, w);
    const peak = tf.max(resized, [1, 2, 3], true);
    return { resized, scaled: tf.div(resized, tf.where(tf.greater(peak, 0), peak, tf.onesLike(peak))) };
  };
  const [attention, mask, masked, input] = tf.tidy(() => {
    const r = forward(model.arch, model.params, x, { training: opts.training ?? true, quant, keep: [model.arch.lastStage] });
    const xs = tf.slice(x, 0, k);
    const { resized, scaled } = scaledAttention(tf.slice(r.outputs[model.arch.lastStage] as tf.Tensor4D, 0, k));
    const m = thresholdMask(resized, lambda);
    return [scaled, m, eraseOutside(xs, m, opts.erase ?? [0]), xs];
  });
  const teacher = opts.teacher;
  const teacherAttention = teacher
    ? tf.tidy(() => {
        const tr = forward(teacher.arch, teacher.params, tf.slice(x, 0, k), { training: false, keep: [teacher.arch.lastStage] });
        return scaledAttention(tr.outputs[teacher.arch.lastStage] as tf.Tensor4D).scaled;
      })
    : null;
  const [av, mv, xv, iv, tv] = (await Promise.all([attention.data(), mask.data(), masked.data(), input.data(), teacherAttention?.data() ?? null])) as (
    | Float32Array
    | null
  )[];
  tf.dispose([attention, mask, masked, input, ...(teacherAttention ? [teacherAttention] : [])]);
  const plane = h * w;
  const image = plane * c;
  return Array.from({ length: k }, (_, i) => {
    const m = (mv as Float32Array).slice(i * plane, (i + 1) * plane);
    return {
      height: h,
      width: w,
      channels: c,
      input: (iv as Float32Array).slice(i * image, (i + 1) * image),
      attention: (av as Float32Array).slice(i * plane, (i + 1) * plane),
      mask: m,
      masked: (xv as Float32Array).slice(i * image, (i + 1) * image),
      keep: m.reduce((a, v) => a + v, 0) / plane,
      teacherAttention: tv ? tv.slice(i * plane, (i + 1) * plane) : null,
    };
  });
}
