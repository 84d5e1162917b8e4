/**
 * Sampling of the training-step benchmark per backend (shared by the CLI and bench-train.html),
 * sized for a 2-core machine: a default run of `npm run bench:train` takes minutes, not hours.
 */
import type { StepBenchProgress } from './step-bench';
import { STEP_VARIANT_LABELS } from './step-bench-variants';

export interface BenchSampling {
  warmupRounds: number;
  rounds: number;
  stepsPerSample: number;
}

/**
 * wasm: about 0.5-2 s per step. webgl on SwiftShader is 5-10 times slower (10-30 s per step), so
 * fewer rounds, and webgpu likewise (a software adapter is as slow); on a real GPU the same
 * settings are quick. cpu's filter gradient takes tens of seconds per conv:
 * one step per variant, no warm-up (it has no compilation or start-up to absorb).
 */
export function benchSampling(backend: string, quick: boolean): BenchSampling {
  if (backend === 'cpu') return { warmupRounds: 0, rounds: 1, stepsPerSample: 1 };
  if (quick) return { warmupRounds: 1, rounds: 2, stepsPerSample: 1 };
  if (backend === 'webgl' || backend === 'webgpu') return { warmupRounds: 1, rounds: 2, stepsPerSample: 1 };
  return { warmupRounds: 1, rounds: 4, stepsPerSample: 2 };
}

/** One progress line, e.g. "[Node wasm 7/24] ResNet-8 ours, full precision, round 3/5: 612 ms/step, 201 ms/fwd". */
export function progressLine(title: string, e: StepBenchProgress): string {
  const ms =
    e.msPerStep === null ? 'n/a' : `${Math.round(e.msPerStep)} ms/step${e.msPerForward === null ? '' : `, ${Math.round(e.msPerForward)} ms/fwd`}`;
  const warm = e.warmup ? ' (warm-up)' : '';
  return `[${title} ${e.done}/${e.total}] ResNet-${e.depth} ${STEP_VARIANT_LABELS[e.variant]}, round ${e.round}/${e.totalRounds}${warm}: ${ms}`;
}
