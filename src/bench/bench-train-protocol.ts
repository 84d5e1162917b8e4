/** Messages between bench-train.html and its benchmark Worker (one Worker per backend). */
import type { BenchDepth, StepBenchProgress, StepBenchResult } from '../bnn/train/step-bench';
import type { BenchSampling } from './bench-train-settings';

export type BenchBackend = 'wasm' | 'webgl' | 'cpu';

export interface BenchRunRequest {
  type: 'run';
  backend: BenchBackend;
  quick: boolean;
  depths: BenchDepth[];
  override: Partial<BenchSampling>;
}

export type BenchWorkerMessage =
  | { type: 'progress'; event: StepBenchProgress }
  | { type: 'started'; environment: Record<string, unknown> }
  | { type: 'done'; result: StepBenchResult }
  | { type: 'error'; message: string };
