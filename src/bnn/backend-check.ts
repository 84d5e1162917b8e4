/**
 * Cross-backend correctness: the values and gradients the model trains with, computed on a target
 * backend and on a reference backend (cpu), compared output by output. The same cases run in Node
 * (wasm against cpu, backend-check.test.ts) and in the browser (any backend against cpu, the page
 * backend-check.html, which the e2e tests drive for WebGPU and WebGL), so a backend is trusted for
 * training only once it computes what cpu computes:
 *   - conv2d forward, input and filter gradient (the shapes of conv.test.ts), through the model's
 *     conv (native filter gradient where the backend has it) and through the im2col gradient;
 *   - the depthwise conv as shifted multiply-adds;
 *   - every estimator's sign forward and backward, every weight transform's Bw and its gradient;
 *   - a training-mode forward pass of every preset's ResNet-8 (loss terms included: IR2Net's
 *     restriction, DIR-Net's distillation against a teacher) with the gradient of every parameter;
 *   - the first steps of the real Trainer (data, optimiser, BN statistics): loss and weights.
 *
 * No DOM: inputs are seeded, all results are read with the asynchronous data() (WebGPU warns about
 * synchronous reads). The caller registers the backends; `switchTo` starts one.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendCheckCases } from './backend-check-cases';

export { backendCheckCases, checkConfig, checkDataset } from './backend-check-cases';

/** Named outputs of one case on one backend. */
export type Outputs = Record<string, Float32Array>;

export interface BackendCheckCase {
  /** e.g. 'conv2d stride 2, 2×9×9×3 → 5'. */
  name: string;
  /** Largest allowed relative error (see relativeError). */
  tolerance: number;
  /** Runs on the active backend; disposes everything it creates. */
  run(): Promise<Outputs>;
}

export interface OutputComparison {
  output: string;
  /** max |target − reference| / max(|reference|, 1e-6), over the whole output. */
  error: number;
}

export interface BackendCheckResult {
  name: string;
  tolerance: number;
  ok: boolean;
  /** The worst output and its error (undefined when the case failed to run). */
  worst?: OutputComparison;
  outputs: OutputComparison[];
  /** Why the case could not run on the target (an exception's message). */
  failure?: string;
  /** tf.memory().numTensors on the target after the case minus before (0: nothing leaked). */
  leaked: number;
  ms: number;
}

/**
 * Error of `got` against `want` relative to the reference's scale: the largest absolute difference
 * divided by the largest absolute reference value (or `floor`, when that is larger). A length
 * mismatch or a non-finite value in either is an infinite error.
 */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>, floor = 1e-6): number {
  if (got.length !== want.length) return Infinity;
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < want.length; i++) {
    const a = got[i];
    const b = want[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
    diff = Math.max(diff, Math.abs(a - b));
    scale = Math.max(scale, Math.abs(b));
  }
  return diff / scale;
}

function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

/**
 * Outputs of a group ('grad …', 'weights …': the first word of the name) are measured against at
 * least GROUP_FLOOR of the group's largest value. A gradient that is zero in exact arithmetic (a
 * shift right before a batch norm) is pure rounding noise on every backend; compared with itself
 * it would fail any tolerance, compared with the model's other gradients it is as close as they are.
 */
export const GROUP_FLOOR = 1e-2;

/** Every output of `want` compared with `got` (missing outputs are an infinite error). */
export function compareOutputs(got: Outputs, want: Outputs): OutputComparison[] {
  const group = (name: string): string => name.split(' ')[0];
  const groupMax = new Map<string, number>();
  for (const [k, v] of Object.entries(want)) groupMax.set(group(k), Math.max(groupMax.get(group(k)) ?? 0, maxAbs(v)));
  return Object.entries(want).map(([output, w]) => {
    const g = got[output];
    const floor = Math.max(1e-6, GROUP_FLOOR * (groupMax.get(group(output)) ?? 0));
    return { output, error: g ? relativeError(g, w, floor) : Infinity };
  });
}

export interface BackendCheckOptions {
  cases?: readonly BackendCheckCase[];
  /** Starts a backend by name (initBackend in the app, which fails loudly). */
  switchTo(name: string): Promise<void>;
  onResult?: (r: BackendCheckResult, index: number, total: number) => void;
}

/** Runs each case on `reference`, then on `target`, and compares every output. */
export async function runBackendCheck(target: string, reference: string, opts: BackendCheckOptions): Promise<BackendCheckResult[]> {
  const cases = opts.cases ?? backendCheckCases();
  const results: BackendCheckResult[] = [];
  for (const [i, c] of cases.entries()) {
    const t0 = performance.now();
    await opts.switchTo(reference);
    const want = await c.run();
    await opts.switchTo(target);
    const before = tf.memory().numTensors;
    let result: BackendCheckResult;
    try {
      const got = await c.run();
      const outputs = compareOutputs(got, want);
      const worst = outputs.reduce((a, b) => (b.error > a.error ? b : a), outputs[0]);
      const leaked = tf.memory().numTensors - before;
      result = { name: c.name, tolerance: c.tolerance, ok: worst.error <= c.tolerance && leaked === 0, worst, outputs, leaked, ms: performance.now() - t0 };
    } catch (e) {
      const failure = e instanceof Error ? e.message : String(e);
      result = { name: c.name, tolerance: c.tolerance, ok: false, outputs: [], failure, leaked: tf.memory().numTensors - before, ms: performance.now() - t0 };
    }
    results.push(result);
    opts.onResult?.(result, i, cases.length);
  }
  return results;
}

/** One line per result, e.g. "ok    1.2e-7 ≤ 1e-4  conv2d stride 1, … (worst: dw)". */
export function formatCheckResult(r: BackendCheckResult): string {
  if (r.failure) return `FAIL  ${r.name}: ${r.failure}`;
  const worst = r.worst as OutputComparison;
  const leak = r.leaked !== 0 ? `, ${r.leaked} tensors leaked` : '';
  return `${r.ok ? 'ok  ' : 'FAIL'}  ${worst.error.toExponential(1)} <= ${r.tolerance}  ${r.name} (worst: ${worst.output}${leak})`;
}
