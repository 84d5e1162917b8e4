import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config';
import { warmupCosineLr } from './schedules';

/** A set of variables with its own peak learning rate (and whether its weights decay). */
export interface ParamGroup {
  name: 'latent' | 'float';
  peakLr: number;
  /** tfjs variable names in the group. */
  variables: ReadonlySet<string>;
  /** Variables of the group that get weight decay, by tfjs variable name. */
  decayed: ReadonlyMap<string, tf.Variable>;
}

/**
 * One tfjs optimiser per parameter group (the binary convs' latent weights; everything else),
 * each on the warm-up + cosine schedule of its own peak learning rate. Weight decay λ:
 *   Adam: decoupled (AdamW, Loshchilov & Hutter 2019), w ← w − lr_t · λ · w after the Adam step;
 *   SGD:  added to the gradient, g ← g + λ · w (PyTorch's SGD weight_decay).
 */
export class ScheduledOptimizer {
  private readonly opts: { group: ParamGroup; opt: tf.Optimizer; lr: number }[];

  constructor(
    private readonly cfg: Pick<RunConfig, 'optimizer' | 'momentum' | 'weightDecay' | 'steps' | 'warmupSteps'>,
    groups: readonly ParamGroup[],
  ) {
    this.opts = groups.map((group) => ({
      group,
      opt: cfg.optimizer === 'adam' ? tf.train.adam(group.peakLr) : tf.train.momentum(group.peakLr, cfg.momentum),
      lr: group.peakLr,
    }));
  }

  /** Sets every group's learning rate for `step`; returns them by group name. */
  setStep(step: number): Partial<Record<ParamGroup['name'], number>> {
    const out: Partial<Record<ParamGroup['name'], number>> = {};
    for (const o of this.opts) {
      o.lr = warmupCosineLr(o.group.peakLr, step, this.cfg.steps, this.cfg.warmupSteps);
      if (this.cfg.optimizer === 'sgd') (o.opt as tf.MomentumOptimizer).setLearningRate(o.lr);
      // AdamOptimizer reads its public-at-runtime learningRate field on every update.
      else (o.opt as unknown as { learningRate: number }).learningRate = o.lr;
      out[o.group.name] = o.lr;
    }
    return out;
  }

  /** Applies gradients keyed by tfjs variable name (as tf.variableGrads returns them). */
  apply(grads: tf.NamedTensorMap): void {
    const wd = this.cfg.weightDecay;
    tf.tidy(() => {
      for (const { group, opt, lr } of this.opts) {
        const list = Object.keys(grads)
          .filter((key) => group.variables.has(key))
          .map((key) => {
            const v = group.decayed.get(key);
            const g = grads[key];
            return { name: key, tensor: this.cfg.optimizer === 'sgd' && wd > 0 && v ? tf.add(g, tf.mul(v, wd)) : g };
          });
        if (list.length === 0) continue;
        opt.applyGradients(list);
        if (this.cfg.optimizer === 'adam' && wd > 0) {
          for (const v of group.decayed.values()) v.assign(tf.mul(v, 1 - lr * wd));
        }
      }
    });
  }

  dispose(): void {
    for (const o of this.opts) {
      o.opt.dispose();
      // tfjs 4.22's MomentumOptimizer.dispose skips SGDOptimizer's, so the learning-rate scalar
      // setLearningRate keeps would stay allocated (one tensor per group and run).
      if (this.cfg.optimizer === 'sgd') (o.opt as unknown as { c?: tf.Tensor }).c?.dispose();
    }
  }
}
