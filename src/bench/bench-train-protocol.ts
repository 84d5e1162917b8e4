/** Messages between bench-train.html and its benchmark Worker (one Worker per column). */
import type { BenchDepth, StepBenchProgress, StepBenchResult } from './step-bench';
import type { BenchSampling } from './bench-train-settings';

export type BenchBackend = 'wasm' | 'webgl' | 'webgpu' | 'cpu';

export interface BenchRunRequest {
  type: 'run';
  backend: BenchBackend;
  quick: boolean;
  depths: BenchDepth[];
  override: Partial<BenchSampling>;
  /** wasm's thread count (default: one per core where the page is cross-origin isolated). */
  wasmThreads?: number;
  /** Wait for a 'go' before every round (the page runs two Workers round by round). */
  lockstep?: boolean;
}

export type BenchPageMessage = BenchRunRequest | { type: 'go' };

export type BenchWorkerMessage =
  | { type: 'progress'; event: StepBenchProgress }
  | { type: 'started'; environment: Record<string, unknown> }
  /** In lockstep: ready for this round, waiting for 'go'. */
  | { type: 'round'; depth: BenchDepth; round: number }
  /** The backend is not present here (WebGPU without an adapter). */
  | { type: 'absent'; reason: string }
  | { type: 'done'; result: StepBenchResult }
  | { type: 'error'; message: string };
