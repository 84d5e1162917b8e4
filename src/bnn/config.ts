import { z } from 'zod';

/**
 * The complete, flat description of one training run. Flat so that the URL hash, the CLI and
 * exported metadata can all carry it property by property.
 */
export const RunConfigSchema = z
  .object({
    dataset: z.enum(['mnist', 'shapes', 'cifar10']),
    depth: z.union([z.literal(8), z.literal(14), z.literal(20)]),
    width: z.union([z.literal(8), z.literal(16), z.literal(32)]),
    /** 'full' keeps every conv in float: the FP baseline and the distillation teacher. */
    precision: z.enum(['binary', 'full']),
    weightTransform: z.enum(['none', 'xnor', 'librapb', 'imb']),
    estimator: z.enum(['ste', 'approxsign', 'ede', 'dte']),
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
    /** DIR-Net RBD distillation from a full-precision teacher run. */
    distill: z.boolean(),
    distillBeta: z.number().min(0).max(100),
    kd: z.boolean(),
    kdTau: z.number().min(0.5).max(20),
    teacherRunId: z.string().max(200).nullable(),
    optimizer: z.enum(['adam', 'sgd']),
    lr: z.number().positive().max(10),
    momentum: z.number().min(0).max(0.999),
    weightDecay: z.number().min(0).max(0.1),
    batchSize: z.number().int().min(1).max(512),
    steps: z.number().int().min(1).max(1_000_000),
    /** Evaluate on the test split every this many steps (and at the end). */
    evalEvery: z.number().int().min(1).max(1_000_000),
    /** Cap on test images per evaluation (0 = the whole test split). */
    evalLimit: z.number().int().min(0).max(1_000_000),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    backend: z.enum(['webgl', 'wasm', 'cpu']),
  })
  .strict();

export type RunConfig = z.infer<typeof RunConfigSchema>;

export const DEFAULT_CONFIG: RunConfig = {
  dataset: 'mnist',
  depth: 8,
  width: 16,
  precision: 'binary',
  weightTransform: 'librapb',
  estimator: 'ede',
  tMin: 0.1,
  tMax: 10,
  pSwitch: 0.5,
  tkPerEpoch: false,
  restriction: false,
  restrictionLambda: 0.15,
  recovery: 'off',
  recoveryRatio: 4,
  distill: false,
  distillBeta: 1,
  kd: false,
  kdTau: 4,
  teacherRunId: null,
  optimizer: 'adam',
  lr: 2e-3,
  momentum: 0.9,
  weightDecay: 5e-4,
  batchSize: 32,
  steps: 2000,
  evalEvery: 250,
  evalLimit: 0,
  seed: 1,
  backend: 'wasm',
};

export type PresetName = 'fp' | 'vanilla' | 'xnor' | 'bireal' | 'irnet' | 'ir2net' | 'dirnet';

type TechniqueKeys =
  | 'precision'
  | 'weightTransform'
  | 'estimator'
  | 'restriction'
  | 'recovery'
  | 'distill';

/** Toggle combinations of DESIGN §5. Applying a preset sets only the technique toggles. */
export const PRESETS: Readonly<Record<PresetName, { label: string; toggles: Pick<RunConfig, TechniqueKeys> }>> = {
  fp: { label: 'FP', toggles: tog('full', 'none', 'ste') },
  vanilla: { label: 'Vanilla BNN', toggles: tog('binary', 'none', 'ste') },
  xnor: { label: 'XNOR-Net', toggles: tog('binary', 'xnor', 'ste') },
  bireal: { label: 'Bi-Real', toggles: tog('binary', 'none', 'approxsign') },
  irnet: { label: 'IR-Net', toggles: tog('binary', 'librapb', 'ede') },
  ir2net: {
    label: 'IR2Net',
    toggles: { ...tog('binary', 'none', 'approxsign'), restriction: true, recovery: 'compact' },
  },
  dirnet: { label: 'DIR-Net', toggles: { ...tog('binary', 'imb', 'dte'), distill: true } },
};

function tog(
  precision: RunConfig['precision'],
  weightTransform: RunConfig['weightTransform'],
  estimator: RunConfig['estimator'],
): Pick<RunConfig, TechniqueKeys> {
  return { precision, weightTransform, estimator, restriction: false, recovery: 'off', distill: false };
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
      (cfg.precision === 'full' || (cfg.weightTransform === t.weightTransform && cfg.estimator === t.estimator)) &&
      cfg.restriction === t.restriction &&
      cfg.recovery === t.recovery &&
      cfg.distill === t.distill;
    if (same) return name;
  }
  return null;
}

/** Validate untrusted input (UI, URL, CLI JSON) into a RunConfig; a readable message on failure. */
export function parseRunConfig(input: unknown): { ok: true; config: RunConfig } | { ok: false; error: string } {
  const r = RunConfigSchema.safeParse(input);
  if (r.success) {
    if (r.data.distill && r.data.precision === 'full') {
      return { ok: false, error: 'distillation needs a binary student: precision must be binary' };
    }
    return { ok: true, config: r.data };
  }
  const msg = r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
  return { ok: false, error: msg };
}

/** Input geometry each dataset implies. */
export function inputShapeOf(dataset: RunConfig['dataset']): [number, number, number] {
  return dataset === 'mnist' ? [28, 28, 1] : [32, 32, 3];
}
