/**
 * The benchmark suite's vocabulary. A case is one workload (a GEMM shape, a conv layer,
 * later a whole model) measured by several implementations; each implementation builds
 * its inputs in `setup` and returns the function to time. The suite runs in Node and in a
 * Web Worker, so nothing here may use Node-only APIs.
 */

/** Known implementation ids; cases may add others (e.g. whole-model engines). */
export type ImplementationId =
  | 'xnor' | 'xnor-hs' | 'xnor-swar' | 'xnor-im2col' | 'xnor-pack' | 'float' | 'tfjs-cpu' | 'tfjs-wasm' | (string & {});

/** What a timed function does once `setup` has built its inputs. */
export interface PreparedRun {
  /** One complete execution of the workload; must finish synchronously. */
  run(): void;
  /** Called before each block of samples (e.g. to select a tfjs backend). */
  activate?(): Promise<void> | void;
  /** Frees what setup allocated (tensors, buffers). */
  dispose?(): void;
}

export interface BenchImplementation {
  readonly id: ImplementationId;
  readonly label: string;
  /**
   * 'peer': a full implementation of the workload, compared with the XNOR one.
   * 'part': a component of the XNOR time reported on its own (e.g. packing).
   */
  readonly role: 'peer' | 'part';
  setup(): Promise<PreparedRun> | PreparedRun;
}

export interface BenchCase {
  /** Stable identifier, e.g. "gemm-256x256x2304" or "conv-16x16-32x32-s1-b1". */
  readonly id: string;
  readonly title: string;
  readonly kind: 'gemm' | 'conv' | (string & {});
  /** Equivalent operations per run: 2·M·N·K (multiply and add) for GEMM and conv. */
  readonly ops: number;
  readonly params: Readonly<Record<string, number | string>>;
  /** The implementation the speed-ups are relative to (normally 'xnor'). */
  readonly reference: ImplementationId;
  readonly implementations: readonly BenchImplementation[];
}

export interface ImplementationResult {
  readonly id: ImplementationId;
  readonly label: string;
  readonly role: 'peer' | 'part';
  /** Median time of one run over all samples, milliseconds. */
  readonly medianMs: number;
  readonly minMs: number;
  /** Number of timed samples (each the mean of `repsPerSample` back-to-back runs). */
  readonly samples: number;
  readonly repsPerSample: number;
  /** ops / medianMs, in 1e9 operations per second (binary ops count like flops). */
  readonly gops: number;
}

/**
 * time(other) / time(reference), computed pair by pair: within every round the two medians
 * come from blocks measured back to back; the reported value is the median over rounds.
 */
export interface SpeedupResult {
  readonly versus: ImplementationId;
  readonly value: number;
  readonly perRound: readonly number[];
}

export interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly kind: string;
  readonly ops: number;
  readonly params: Readonly<Record<string, number | string>>;
  readonly reference: ImplementationId;
  readonly implementations: readonly ImplementationResult[];
  readonly speedups: readonly SpeedupResult[];
}

export interface SuiteResult {
  readonly suite: string;
  readonly quick: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly environment: Readonly<Record<string, string | number | boolean>>;
  readonly settings: SuiteSettings;
  readonly cases: readonly CaseResult[];
}

export interface SuiteSettings {
  /** Untimed running time per implementation before sampling starts. */
  readonly warmupMs: number;
  /** Interleaved rounds: every implementation of a case takes one block per round. */
  readonly rounds: number;
  /** Timed samples per block. */
  readonly samplesPerRound: number;
  /** A sample repeats the run until it lasts at least this long (timer resolution). */
  readonly minSampleMs: number;
}

export interface SuiteProgress {
  readonly done: number;
  readonly total: number;
  /** What is being measured now, e.g. "conv 16→16 @32×32 b1 · tfjs-wasm". */
  readonly label: string;
}
