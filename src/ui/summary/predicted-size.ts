import { inputShapeOf, type RunConfig } from '../../bnn/config';
import { DATASETS } from '../../data/catalog';
import { predictExportSize } from '../../io/export';

/** The size of a config's exported .safetensors file, from its shape alone (no weights needed); null when it cannot be built. */
export function predictedFileBytes(cfg: RunConfig): number | null {
  return predictedFileSize(cfg)?.bytes ?? null;
}

/** The predicted export's header and data sizes, and those of the full-precision export of the same architecture. */
export function predictedFileSize(cfg: RunConfig): ReturnType<typeof predictExportSize> | null {
  try {
    return predictExportSize({ config: cfg, dataset: datasetInfoFor(cfg), testAccuracy: 0.5 });
  } catch {
    return null;
  }
}

/** Dataset metadata of the right shape for size prediction (the statistics' values do not change the size much). */
function datasetInfoFor(cfg: RunConfig) {
  const inputShape = inputShapeOf(cfg.dataset);
  const names = DATASETS[cfg.dataset].classNames;
  const stat = Array.from({ length: inputShape[2] }, () => 0.123456789);
  return { name: cfg.dataset, inputShape, mean: stat, std: stat, classNames: [...names] };
}
