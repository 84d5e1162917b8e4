import type { RunConfig } from '../bnn/config';
import type { ParamSnapshot } from '../bnn/model/params';
import type { ModelStorage } from '../bench/kernels/model-cases';
import type { CaseResult, SuiteProgress, SuiteResult } from '../bench/kernels/types';

/** A trained model to benchmark instead of the default (random ResNet-20, w = 16, 32×32×3). */
export interface BenchModel {
  config: RunConfig;
  snapshot: ParamSnapshot;
}

/** Messages from the page to the benchmark worker. One suite runs at a time. */
export type ToBench =
  /** quick: batch 1 only, fewer and shorter samples, tfjs wasm as the only tfjs peer. */
  | { type: 'run'; id: string; quick: boolean; model?: BenchModel }
  | { type: 'cancel'; id: string };

/** What the device suite measured, beyond the per-case timings. */
export interface BenchModelInfo {
  /** e.g. "ResNet-20 w=16 32×32×3". */
  label: string;
  /** True when random weights stand in for a trained model. */
  randomWeights: boolean;
  storage: ModelStorage;
}

/** Messages from the benchmark worker to the page. */
export type FromBench =
  | { type: 'started'; id: string; model: BenchModelInfo; backends: string[] }
  | ({ type: 'progress'; id: string } & SuiteProgress)
  /** A case finished (its speed-ups can be shown before the suite ends). */
  | { type: 'case'; id: string; result: CaseResult }
  | { type: 'done'; id: string; result: SuiteResult }
  | { type: 'cancelled'; id: string }
  | { type: 'error'; id: string; message: string };
