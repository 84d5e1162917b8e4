import { z } from 'zod';
import { DATASETS, DATASET_NAMES, type DatasetName } from '../data/catalog';
import { ESTIMATOR_NAMES, WEIGHT_TRANSFORM_NAMES } from './quantizers/registry';

/**
 * The complete, flat description of one training run. Flat so that the URL hash, the CLI and
 * exported metadata can all carry it property by property.
 */
export const RunConfigSchema = z
  .object({
    dataset: z.enum(DATASET_NAMES),
    depth: z.union([z.literal(8), z.literal(14), z.literal(20)]),
    width: z.union([z.literal(8), z.literal(16), z.literal(32)]),
    /** 'full' keeps every conv in float: the FP baseline and the distillation teacher. */
    precision: z.enum(['binary', 'full']),
    weightTransform: z.enum(WEIGHT_TRANSFORM_NAMES),
    /** Backward estimator of the activations' sign. */
    activationEstimator: z.enum(ESTIMATOR_NAMES),
    /** Backward estimator of the weights' sign (the official codes pair e.g. ApproxSign activations with STE weights). */
    weightEstimator: z.enum(ESTIMATOR_NAMES),
    tMin: z.number().positive().max(1),
    tMax: z.number().min(1).max(1e4),
    /** DTE's stage boundary as a fraction of training. */
    pSwitch: z.number().gt(0).lt(1),
    /** Step EDE/DTE's t once per epoch (the paper) instead of every step. */
    tkPerEpoch: z.boolean(),
    /** IR2Net information restriction (attention mask on the input, training only). */
    restriction: z.boolean(),
    restrictionLambda: z.number().min(0).max(10),
    /** IR2Net information recovery (full-precision fusion of shallow features). */
    recovery: z.enum(['off', 'full', 'compact']),
    recoveryRatio: z.number().int().min(2).max(8),
    /** ReActNet's RSign: a learned per-channel threshold before every binary conv's sign. */
    rsign: z.boolean(),
    /** The blocks' activation: hardtanh, or ReActNet's RPReLU (learned shifts and slope). */
    blockActivation: z.enum(['hardtanh', 'rprelu']),
    /** DIR-Net RBD distillation from a full-precision teacher run. */
    distill: z.boolean(),
    distillBeta: z.number().min(0).max(100),
    /** Logit distillation (Hinton et al.) from the full-precision teacher run; any preset. */
    kd: z.boolean(),
    kdTau: z.number().min(0.5).max(20),
    teacherRunId: z.string().max(200).nullable(),
    optimizer: z.enum(['adam', 'sgd']),
    /** Peak learning rate of the full-precision parameters (stem, BN, head, recovery). */
    lr: z.number().positive().max(10),
    /** Peak learning rate of the binary convs' latent weights (their own parameter group). */
    latentLr: z.number().positive().max(10),
    /** Binary convs' latent weights start at this multiple of the He-normal std √(2 / fan-in). */
    latentInitScale: z.number().positive().max(10),
    /** Linear learning-rate warm-up over the first steps, then the cosine decay. */
    warmupSteps: z.number().int().min(0).max(1_000_000),
    momentum: z.number().min(0).max(0.999),
    /**
     * Weight decay of the full-precision conv and dense weights: decoupled for Adam
     * (w ← w − lr·λ·w, AdamW), added to the gradient for SGD (g + λ·w). Latent weights get none.
     */
    weightDecay: z.number().min(0).max(0.1),
    batchSize: z.number().int().min(1).max(512),
    steps: z.number().int().min(1).max(1_000_000),
    /** Evaluate on the test split every this many steps (and at the end). */
    evalEvery: z.number().int().min(1).max(1_000_000),
    /** Test images per evaluation, a seeded stratified sample (0 = the whole test split). */
    evalLimit: z.number().int().min(0).max(1_000_000),
    /**
     * Sequential BatchNorm recalibration before every evaluation on this many training images
     * (a seeded stratified sample; bn-calibration.ts); 0 evaluates with the moving averages.
     */
    bnCalibration: z.number().int().min(0).max(100_000),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    backend: z.enum(['webgpu', 'webgl', 'wasm', 'cpu']),
  })
  .strict();

export type RunConfig = z.infer<typeof RunConfigSchema>;

export const DEFAULT_CONFIG: RunConfig = {
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
  lr: 5e-3,
  latentLr: 1e-2,
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
};

export type PresetName = 'fp' | 'vanilla' | 'xnor' | 'bireal' | 'irnet' | 'reactnet' | 'ir2net' | 'dirnet';

type TechniqueKeys =
  | 'precision'
  | 'weightTransform'
  | 'activationEstimator'
  | 'weightEstimator'
  | 'restriction'
  | 'recovery'
  | 'rsign'
  | 'blockActivation'
  | 'distill';

/**
 * Toggle combinations of the papers, with each official code's estimators: IR-Net applies EDE to
 * weights and activations alike; Bi-Real and IR2Net use ApproxSign for activations and the clipped
 * STE for weights. Applying a preset sets only the technique toggles.
 */
export const PRESETS: Readonly<Record<PresetName, { label: string; toggles: Pick<RunConfig, TechniqueKeys> }>> = {
  fp: { label: 'FP', toggles: tog('full', 'none', 'ste', 'ste') },
  vanilla: { label: 'Vanilla BNN', toggles: tog('binary', 'none', 'ste', 'ste') },
  xnor: { label: 'XNOR-Net', toggles: tog('binary', 'xnor', 'ste', 'ste') },
  bireal: { label: 'Bi-Real', toggles: tog('binary', 'none', 'approxsign', 'ste') },
  irnet: { label: 'IR-Net', toggles: tog('binary', 'librapb', 'ede', 'ede') },
  reactnet: { label: 'ReActNet', toggles: { ...tog('binary', 'xnor', 'approxsign', 'ste'), rsign: true, blockActivation: 'rprelu' } },
  ir2net: {
    label: 'IR2Net',
    toggles: { ...tog('binary', 'none', 'approxsign', 'ste'), restriction: true, recovery: 'compact' },
  },
  dirnet: { label: 'DIR-Net', toggles: { ...tog('binary', 'imb', 'dte', 'dte'), distill: true } },
};

function tog(
  precision: RunConfig['precision'],
  weightTransform: RunConfig['weightTransform'],
  activationEstimator: RunConfig['activationEstimator'],
  weightEstimator: RunConfig['weightEstimator'],
): Pick<RunConfig, TechniqueKeys> {
  return { precision, weightTransform, activationEstimator, weightEstimator, restriction: false, recovery: 'off', rsign: false, blockActivation: 'hardtanh', distill: false };
}

export function applyPreset(cfg: RunConfig, preset: PresetName): RunConfig {
  return { ...cfg, ...PRESETS[preset].toggles };
}

/** The preset whose toggles the config matches exactly, if any. */
export function matchPreset(cfg: RunConfig): PresetName | null {
  for (const [name, p] of Object.entries(PRESETS) as [PresetName, (typeof PRESETS)[PresetName]][]) {
    const t = p.toggles;
    const same =
      cfg.precision === t.precision &&
      (cfg.precision === 'full' ||
        (cfg.weightTransform === t.weightTransform &&
          cfg.activationEstimator === t.activationEstimator &&
          cfg.weightEstimator === t.weightEstimator)) &&
      cfg.restriction === t.restriction &&
      cfg.recovery === t.recovery &&
      cfg.rsign === t.rsign &&
      cfg.blockActivation === t.blockActivation &&
      cfg.distill === t.distill;
    if (same) return name;
  }
  return null;
}

/** Does a run train against a full-precision teacher (RBD features or logit KD)? */
export function needsTeacher(cfg: Pick<RunConfig, 'distill' | 'kd'>): boolean {
  return cfg.distill || cfg.kd;
}

/** Validate untrusted input (UI, URL, CLI JSON) into a RunConfig; a readable message on failure. */
export function parseRunConfig(input: unknown): { ok: true; config: RunConfig } | { ok: false; error: string } {
  const r = RunConfigSchema.safeParse(upgradeRunConfig(input));
  if (r.success) {
    if (needsTeacher(r.data) && r.data.precision === 'full') {
      return { ok: false, error: 'distillation needs a binary student: precision must be binary' };
    }
    return { ok: true, config: r.data };
  }
  const msg = r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
  return { ok: false, error: msg };
}

/** Input geometry each dataset implies. */
export function inputShapeOf(dataset: DatasetName): [number, number, number] {
  return [...DATASETS[dataset].input];
}

/**
 * Configs written before the training recipe had parameter groups (exported files, saved runs)
 * have a single `estimator` key. They are read as what they trained with: that estimator on
 * weights and activations, He-initialised latents at the common learning rate, no warm-up, no
 * decay under Adam (which ignored it then), logit KD only together with RBD, moving BN
 * averages, and 'mnist' meaning the 10,000-digit set now called 'mnist-small'. Configs written
 * before ReActNet's ops (with or without `estimator`) lack `rsign` and `blockActivation`: they
 * trained without them, so they read as rsign false and blockActivation 'hardtanh'. Anything
 * else passes through unchanged.
 */
export function upgradeRunConfig(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const config = 'estimator' in input ? upgradeEstimator(input as Record<string, unknown>) : (input as Record<string, unknown>);
  if ('rsign' in config && 'blockActivation' in config) return config;
  return {
    ...config,
    rsign: 'rsign' in config ? config.rsign : false,
    blockActivation: 'blockActivation' in config ? config.blockActivation : 'hardtanh',
  };
}

function upgradeEstimator(input: Record<string, unknown>): Record<string, unknown> {
  const { estimator, ...old } = input;
  if ('activationEstimator' in old || 'weightEstimator' in old) return input;
  return {
    ...old,
    dataset: old.dataset === 'mnist' ? 'mnist-small' : old.dataset,
    activationEstimator: estimator,
    weightEstimator: estimator,
    latentLr: 'latentLr' in old ? old.latentLr : old.lr,
    latentInitScale: 'latentInitScale' in old ? old.latentInitScale : 1,
    warmupSteps: 'warmupSteps' in old ? old.warmupSteps : 0,
    weightDecay: old.optimizer === 'adam' ? 0 : old.weightDecay,
    kd: old.kd === true && old.distill === true,
    bnCalibration: 'bnCalibration' in old ? old.bnCalibration : 0,
  };
}
