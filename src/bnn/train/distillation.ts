import * as tf from '@tensorflow/tfjs-core';
import type { BnnModel } from '../model/model';
import { forward } from '../model/forward';
import { detach } from '../quantizers/detach';
import type { LossTerm } from './objective';

/**
 * DIR-Net Representation-align Binarization-aware Distillation (RBD; Qin et al., IJCV 2023) —
 * our reading of the paper, which has no public code. The teacher is a trained full-precision run of
 * the same architecture. For every stage output s (the stem output and the three stage outputs),
 * flattened per image and L2-normalised:
 *
 *   L_RBD = Σ_s mean_n ‖ F_s^B[n] / ‖F_s^B[n]‖ − F_s^T[n] / ‖F_s^T[n]‖ ‖²
 *
 * and, when logit KD is on (Hinton et al. 2015), with p = softmax(z / τ):
 *
 *   L_KD = τ² · mean_n KL(p_T[n] ‖ p_S[n]) = τ² · mean_n Σ_j p_T (log p_T − log p_S)
 *
 *   loss = CE + β · L_RBD + L_KD
 *
 * The KD weight is 1 (not Hinton's α / (1 − α) split): the CE keeps weight 1 as in every other
 * run, and the τ² factor keeps the KD gradient's size independent of τ.
 *
 * The teacher runs in inference mode (its moving BN statistics), its outputs are detached
 * constants, and its variables are never in the optimiser's list, so it is never updated. The
 * caller owns the teacher model (and disposes it).
 */
export interface DistillationOptions {
  /** The RBD feature term (DIR-Net); off leaves logit KD alone, which any preset may use. */
  rbd: boolean;
  beta: number;
  kd: boolean;
  tau: number;
}

export function distillationTerm(teacher: BnnModel, opts: DistillationOptions): LossTerm {
  if (teacher.binary) throw new Error('teacher must be a full-precision run');
  if (!opts.rbd && !opts.kd) throw new Error('distillation: neither RBD nor logit KD is on');
  return {
    name: 'distill',
    compute({ model, x, first }) {
      const t = forward(teacher.arch, teacher.params, x, { training: false, keep: opts.rbd ? teacher.arch.stageOutputs : [] });
      const parts: tf.Scalar[] = [];
      if (opts.rbd) {
        const student = model.arch.stageOutputs.map((name) => {
          const f = first.outputs[name];
          if (!f) throw new Error(`distillation: the first pass did not keep stage output '${name}'`);
          return f;
        });
        const teacherFeatures = teacher.arch.stageOutputs.map((name) => detach(t.outputs[name]));
        if (student.length !== teacherFeatures.length) {
          throw new Error(`distillation: the student has ${student.length} stage outputs, the teacher ${teacherFeatures.length}`);
        }
        parts.push(tf.mul(rbdLoss(student, teacherFeatures), opts.beta) as tf.Scalar);
      }
      if (opts.kd) parts.push(kdLoss(first.logits, detach(t.logits) as tf.Tensor2D, opts.tau));
      return { term: (parts.length === 1 ? parts[0] : tf.add(parts[0], parts[1])) as tf.Scalar };
    },
  };
}

/**
 * L_RBD = Σ_s mean_n ‖ a_s[n] − b_s[n] ‖², a = F^B / max(‖F^B‖, 1e-12), b likewise for F^T,
 * norms per image over all of its features. Student and teacher lists are paired by position.
 */
export function rbdLoss(student: readonly tf.Tensor[], teacher: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    const terms = student.map((s, i) => {
      const t = teacher[i];
      if (s.shape.join(',') !== t.shape.join(',')) {
        throw new Error(`distillation: stage ${i} has shape [${s.shape}] in the student but [${t.shape}] in the teacher`);
      }
      const d = tf.sub(normalizeRows(s), normalizeRows(t));
      return tf.mean(tf.sum(tf.square(d), 1));
    });
    return (terms.length === 1 ? terms[0] : tf.addN(terms)) as tf.Scalar;
  });
}

/** Flatten per image and divide by the image's L2 norm (at least 1e-12, as F.normalize). */
function normalizeRows(f: tf.Tensor): tf.Tensor2D {
  const n = f.shape[0];
  const flat = f.reshape([n, f.size / n]);
  const norm = tf.maximum(tf.sqrt(tf.sum(tf.square(flat), 1, true)), 1e-12);
  return tf.div(flat, norm) as tf.Tensor2D;
}

/**
 * L_KD = τ² · mean_n KL(softmax(z_T/τ) ‖ softmax(z_S/τ)), with log-softmax written as
 * z − logsumexp(z) (the wasm backend has no LogSoftmax kernel).
 */
export function kdLoss(student: tf.Tensor2D, teacher: tf.Tensor2D, tau: number): tf.Scalar {
  return tf.tidy(() => {
    const logP = (z: tf.Tensor2D) => {
      const s = tf.div(z, tau);
      return tf.sub(s, tf.logSumExp(s, 1, true));
    };
    const lt = logP(teacher);
    const ls = logP(student);
    const kl = tf.sum(tf.mul(tf.exp(lt), tf.sub(lt, ls)), 1);
    return tf.mul(tf.mean(kl), tau * tau) as tf.Scalar;
  });
}

