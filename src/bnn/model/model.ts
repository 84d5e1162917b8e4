import type { RunConfig } from '../config';
import { getEstimator, getWeightTransform } from '../quantizers/registry';
import { UNIT_TK } from '../quantizers/estimator';
import type { Architecture } from './architecture';
import { architectureFor } from './spec';
import { ParamStore, type ParamSnapshot } from './params';
import type { QuantContext } from './forward';
import type { WeightTransform } from '../quantizers/weight-transform';
import type { QuantTk } from '../train/schedules';

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
    const latent = { names: new Set(latentWeightNames(arch)), initScale: cfg.latentInitScale };
    return new BnnModel(cfg, arch, ParamStore.init(arch, cfg.seed, latent));
  }

  static fromSnapshot(cfg: RunConfig, classes: number, snap: ParamSnapshot): BnnModel {
    const arch = architectureFor(cfg, classes);
    return new BnnModel(cfg, arch, ParamStore.fromSnapshot(arch, snap));
  }

  get binary(): boolean {
    return this.config.precision === 'binary';
  }

  /**
   * Quantisation context at the schedules' current t, k (undefined for a full-precision model).
   * Without `tk` every estimator sees t = k = 1, which is all inference needs.
   */
  quant(tk?: QuantTk): QuantContext | undefined {
    if (!this.binary) return undefined;
    return quantContextFor(this.config, getWeightTransform(this.config.weightTransform), tk);
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** A config's estimators at `tk` (t = k = 1 without it) around a weight transform. */
export function quantContextFor(
  cfg: Pick<RunConfig, 'activationEstimator' | 'weightEstimator'>,
  transform: WeightTransform,
  tk?: QuantTk,
): QuantContext {
  return {
    transform,
    activation: { estimator: getEstimator(cfg.activationEstimator), tk: tk?.activation ?? UNIT_TK },
    weight: { estimator: getEstimator(cfg.weightEstimator), tk: tk?.weight ?? UNIT_TK },
  };
}

/** The latent weights of the binary convs: what the sign binarises, their own parameter group. */
export function latentWeightNames(arch: Architecture): string[] {
  return arch.ops.flatMap((op) => (op.op === 'conv2d' && op.binary ? [op.weight] : []));
}
