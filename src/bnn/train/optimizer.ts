import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config';

/**
 * tfjs optimisers with a learning rate that can change every step (cosine schedule) and
 * decoupled-from-BN weight decay for SGD: g ← g + λ·w on conv and dense weights only.
 */
export class ScheduledOptimizer {
  private readonly opt: tf.Optimizer;

  constructor(
    private readonly cfg: Pick<RunConfig, 'optimizer' | 'lr' | 'momentum' | 'weightDecay'>,
    /** Variables that get weight decay, by their tfjs variable name. */
    private readonly decayed: ReadonlyMap<string, tf.Variable>,
  ) {
    this.opt = cfg.optimizer === 'adam' ? tf.train.adam(cfg.lr) : tf.train.momentum(cfg.lr, cfg.momentum);
  }

  setLearningRate(lr: number): void {
    if (this.cfg.optimizer === 'sgd') {
      (this.opt as tf.MomentumOptimizer).setLearningRate(lr);
    } else {
      // AdamOptimizer reads its public-at-runtime learningRate field on every update.
      (this.opt as unknown as { learningRate: number }).learningRate = lr;
    }
  }

  /** Applies gradients keyed by tfjs variable name (as tf.variableGrads returns them). */
  apply(grads: tf.NamedTensorMap): void {
    const wd = this.cfg.optimizer === 'sgd' ? this.cfg.weightDecay : 0;
    tf.tidy(() => {
      const list = Object.keys(grads).map((key) => {
        const v = this.decayed.get(key);
        const g = grads[key];
        return { name: key, tensor: wd > 0 && v ? tf.add(g, tf.mul(v, wd)) : g };
      });
      this.opt.applyGradients(list);
    });
  }

  dispose(): void {
    this.opt.dispose();
  }
}
