import type { RunConfig } from '../config';

/**
 * Training images (steps × batch) below which a run stops while its test accuracy is still
 * climbing steeply. Binary networks learn more slowly than the same network in float: in the
 * example gallery (ResNet-8, w = 8, batch 32, MNIST; `npm run examples`) the binary presets
 * stood at about 50–57% after 40 steps, 65–76% after 80 and 83–86% after 240, the FP one at
 * 61%, 78% and 87%.
 */
export const MIN_IMAGES = { binary: 6400, full: 3200 } as const;

export interface BudgetHint {
  /** Steps at the run's batch size that reach MIN_IMAGES. */
  suggestedSteps: number;
  text: string;
}

/** Why a budget is too short to show what a technique does, or null when it is long enough. */
export function budgetHint(c: Pick<RunConfig, 'steps' | 'batchSize' | 'precision'>): BudgetHint | null {
  const min = MIN_IMAGES[c.precision];
  const images = c.steps * c.batchSize;
  if (images >= min) return null;
  const suggestedSteps = Math.ceil(min / c.batchSize);
  const network = c.precision === 'binary' ? 'a binary network' : 'even a full-precision network';
  return {
    suggestedSteps,
    text: `${c.steps} steps of ${c.batchSize} images is short: ${network} is still learning fast after ${images.toLocaleString('en-US')} images, so its accuracy says little about the technique. Try ${suggestedSteps} steps or more.`,
  };
}
