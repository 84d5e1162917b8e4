import type { RunConfig } from '../config';
import { inputShapeOf } from '../config';
import type { Architecture } from './architecture';
import { buildResNet } from './resnet';
import { summarize, type ModelSummary } from './summary';

/**
 * The architecture a config implies (shared by the trainer, the summary, export and the engine).
 * Free of tfjs so the page can show summaries without loading a backend.
 */
export function architectureFor(cfg: RunConfig, classes: number): Architecture {
  return buildResNet({
    depth: cfg.depth,
    width: cfg.width,
    input: inputShapeOf(cfg.dataset),
    classes,
    binary: cfg.precision === 'binary',
    recovery: cfg.recovery,
    recoveryRatio: cfg.recoveryRatio,
    rsign: cfg.rsign,
    blockActivation: cfg.blockActivation,
  });
}

export function summaryFor(cfg: RunConfig, classes: number): ModelSummary {
  return summarize(architectureFor(cfg, classes), {
    binaryScale: cfg.precision === 'binary' && cfg.weightTransform !== 'none',
  });
}
