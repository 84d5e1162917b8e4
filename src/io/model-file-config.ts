import { parseRunConfig, type RunConfig } from '../bnn/config';

/**
 * A version-2 file stores the run config as the keys that differ from this fixed baseline
 * (docs/EXPORT_FORMAT.md §1.2 lists it). It is frozen with the format version, not the app's
 * current defaults, so a file means the same config whatever the defaults become: no value in it
 * ever changes. A key the config gains joins it at the value that means what files without the
 * key meant (`rsign` false and `blockActivation` 'hardtanh', the techniques off), so older files
 * keep their meaning and files that do not use the new technique stay as they were. `dataset` is
 * never stored: it is the dataset's name.
 */
export const CONFIG_BASELINE_V2: Readonly<Record<string, unknown>> = Object.freeze({
  dataset: 'mnist',
  depth: 8,
  width: 16,
  precision: 'binary',
  weightTransform: 'librapb',
  activationEstimator: 'ede',
  weightEstimator: 'ede',
  tMin: 0.1,
  tMax: 10,
  pSwitch: 0.5,
  tkPerEpoch: false,
  restriction: false,
  restrictionLambda: 0.15,
  recovery: 'off',
  recoveryRatio: 4,
  rsign: false,
  blockActivation: 'hardtanh',
  distill: false,
  distillBeta: 1,
  kd: false,
  kdTau: 4,
  teacherRunId: null,
  optimizer: 'adam',
  lr: 2e-3,
  latentLr: 5e-3,
  latentInitScale: 0.1,
  warmupSteps: 0,
  momentum: 0.9,
  weightDecay: 0,
  batchSize: 32,
  steps: 2000,
  evalEvery: 250,
  evalLimit: 0,
  bnCalibration: 1000,
  seed: 1,
  backend: 'wasm',
});

/** The keys of `config` whose values differ from the baseline, in the config's key order, without `dataset`. */
export function configDiff(config: RunConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'dataset') continue;
    if (!Object.prototype.hasOwnProperty.call(CONFIG_BASELINE_V2, key) || !Object.is(CONFIG_BASELINE_V2[key], value)) out[key] = value;
  }
  return out;
}

/**
 * The run config of a version-2 file: the baseline, then the stored keys, then `dataset` from the
 * dataset's name; validated like any config (older configs are upgraded by parseRunConfig).
 */
export function configFromDiff(diff: unknown, datasetName: string): { ok: true; config: RunConfig } | { ok: false; error: string } {
  if (typeof diff !== 'object' || diff === null || Array.isArray(diff)) return { ok: false, error: 'config must be a JSON object' };
  if (Object.prototype.hasOwnProperty.call(diff, 'dataset')) {
    return { ok: false, error: "config must not hold 'dataset' (it is the dataset's name)" };
  }
  return parseRunConfig({ ...CONFIG_BASELINE_V2, ...(diff as Record<string, unknown>), dataset: datasetName });
}
