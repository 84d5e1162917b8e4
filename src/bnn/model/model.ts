import type { RunConfig } from '../config';
import { getEstimator, getWeightTransform } from '../quantizers/registry';
import type { EstimatorParams } from '../quantizers/estimator';
import type { Architecture } from './architecture';
import { architectureFor } from './spec';
import { ParamStore, type ParamSnapshot } from './params';
import type { QuantContext } from './forward';

export { architectureFor, summaryFor } from './spec';

/** A built model: its graph, its variables and how its binary convs binarise. */
export class BnnModel {
  private constructor(
    readonly config: RunConfig,
    readonly arch: Architecture,
    readonly params: ParamStore,
  ) {}

  static create(cfg: RunConfig, classes: number): BnnModel {
    const arch = architectureFor(cfg, classes);
    return new BnnModel(cfg, arch, ParamStore.init(arch, cfg.seed));
  }

  static fromSnapshot(cfg: RunConfig, classes: number, snap: ParamSnapshot): BnnModel {
    const arch = architectureFor(cfg, classes);
    return new BnnModel(cfg, arch, ParamStore.fromSnapshot(arch, snap));
  }

  get binary(): boolean {
    return this.config.precision === 'binary';
  }

  /** Quantisation context at the schedule's current t, k (undefined for a full-precision model). */
  quant(tk: EstimatorParams): QuantContext | undefined {
    if (!this.binary) return undefined;
    return {
      transform: getWeightTransform(this.config.weightTransform),
      estimator: getEstimator(this.config.estimator),
      tk,
    };
  }

  dispose(): void {
    this.params.dispose();
  }
}
