/**
 * The example gallery's plan and file writer, without I/O: examples/gallery.json names groups
 * of runs (presets on one dataset, or an ablation grid of bnn/train/ablation.ts) over one base
 * config; planGallery expands it into runs, exampleFile turns a finished run's metrics into the
 * compact file the app reads (src/state/example-file.ts). scripts/build-examples.ts trains them.
 */
import { z } from 'zod';
import { DEFAULT_CONFIG, PRESETS, applyPreset, parseRunConfig, type PresetName, type RunConfig } from '../src/bnn/config';
import { GRID_NAMES, planGrid, type GridName } from '../src/bnn/train/ablation';
import type { LayerStats } from '../src/bnn/train/layer-stats';
import type { AttentionSample } from '../src/bnn/train/restriction';
import type { StepMetrics } from '../src/bnn/train/trainer';
import { DATASET_NAMES } from '../src/data/catalog';
import type { RunMetrics } from '../src/cli/run';
import { downsample } from '../src/ui/charts/downsample';
import { EXAMPLE_FORMAT, EXAMPLE_VERSION, STEP_COLUMNS, encodeUnit, type ExampleFileJson } from '../src/state/example-file';

const PRESET_NAMES = Object.keys(PRESETS) as [PresetName, ...PresetName[]];

const GroupSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    label: z.string(),
    dataset: z.enum(DATASET_NAMES),
    presets: z.array(z.enum(PRESET_NAMES)).optional(),
    grid: z.enum(GRID_NAMES as [GridName, ...GridName[]]).optional(),
    /** The preset of this group whose run is the distillation teacher of the others. */
    teacher: z.enum(PRESET_NAMES).optional(),
    compare: z.boolean(),
  })
  .strict()
  .refine((g) => (g.presets ? 1 : 0) + (g.grid ? 1 : 0) === 1, { message: 'a group has either presets or a grid' });

export const GallerySchema = z
  .object({
    about: z.string(),
    base: z.record(z.string(), z.unknown()),
    statsEvery: z.number().int().positive(),
    curvePoints: z.number().int().min(10),
    groups: z.array(GroupSchema).min(1),
  })
  .strict();

export type Gallery = z.infer<typeof GallerySchema>;

export interface PlannedExample {
  id: string;
  label: string;
  group: string;
  groupLabel: string;
  compare: boolean;
  row: string | null;
  config: RunConfig;
  /** Id of the example that teaches this one (trained before it). */
  teacher: string | null;
}

/** Validates the gallery and lists its runs in training order (a teacher before its students). */
export function planGallery(json: unknown): { gallery: Gallery; runs: PlannedExample[] } {
  const gallery = GallerySchema.parse(json);
  const base = parseRunConfig({ ...DEFAULT_CONFIG, ...gallery.base });
  if (!base.ok) throw new Error(`examples/gallery.json: base: ${base.error}`);
  const runs: PlannedExample[] = [];
  for (const g of gallery.groups) {
    const common = { group: g.id, groupLabel: g.label, compare: g.compare };
    const cfg = { ...base.config, dataset: g.dataset };
    if (g.grid) {
      for (const p of planGrid(g.grid, cfg, 1, cfg.seed)) {
        if (p.teacherRow) throw new Error(`group ${g.id}: grid rows with a teacher are not supported in the gallery`);
        runs.push({ ...common, id: `${g.id}-${p.row.id}`, label: p.row.label, row: p.row.id, config: p.config, teacher: null });
      }
      continue;
    }
    const presets = [...(g.presets ?? [])];
    // The teacher trains first.
    if (g.teacher) presets.sort((a, b) => Number(b === g.teacher) - Number(a === g.teacher));
    for (const preset of presets) {
      const config = applyPreset(cfg, preset);
      const teaches = config.distill || config.kd;
      if (teaches && !g.teacher) throw new Error(`group ${g.id}: ${preset} needs a teacher; name one with "teacher"`);
      const teacher = teaches ? `${g.id}-${g.teacher}` : null;
      runs.push({ ...common, id: `${g.id}-${preset}`, label: PRESETS[preset].label, row: null, config: { ...config, teacherRunId: teacher && `example-${teacher}` }, teacher });
    }
  }
  const ids = runs.map((r) => r.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new Error(`two examples are called ${twice}`);
  return { gallery, runs };
}

/** Numbers as JSON writes them, to `digits` significant digits (the files stay small; the charts cannot tell). */
function round(v: number | null | undefined, digits: number): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  return Number(v.toPrecision(digits));
}

export interface ExampleExtras {
  command: string;
  commit: string;
  generatedAt: string;
  modelFile: string;
  modelBytes: number;
  /** A histogram of the chosen layer's latent weights at the end (the CLI keeps none per step). */
  latentHistogram: LayerStats['latentHistogram'];
  masks: { step: number; labels: string[]; samples: AttentionSample[] } | null;
}

/** The example file of a finished run: its config, downsampled step curves, every evaluation and layer measurement. */
export function exampleFile(plan: PlannedExample, m: RunMetrics, curvePoints: number, x: ExampleExtras): ExampleFileJson {
  const steps = downsample(m.steps, curvePoints, ['loss', 'accuracy', 'gradNorm'] as (keyof StepMetrics)[]);
  const cols = Object.fromEntries(STEP_COLUMNS.map((k) => [k, steps.map((s) => round(s[k], k === 'step' ? 12 : 5) ?? 0)])) as ExampleFileJson['steps'];
  const layerStats = m.layerStats.map((s, i, all) => ({
    step: s.step,
    layers: s.layers.map((l) => ({
      ...Object.fromEntries(Object.entries(l).map(([k, v]) => [k, typeof v === 'number' ? round(v, 6) : v])),
    })) as ExampleFileJson['layerStats'][number]['layers'],
    histogram: null,
    latentHistogram: i === all.length - 1 ? x.latentHistogram : null,
    maskKeep: round(s.maskKeep, 5),
  }));
  return {
    format: EXAMPLE_FORMAT,
    version: EXAMPLE_VERSION,
    id: plan.id,
    label: plan.label,
    group: plan.group,
    groupLabel: plan.groupLabel,
    compare: plan.compare,
    row: plan.row,
    teacher: plan.teacher,
    command: x.command,
    commit: x.commit,
    generatedAt: x.generatedAt,
    config: m.config,
    backend: m.backend,
    trainMs: Math.round(m.timing.trainMs),
    steps: cols,
    evals: m.evals.map((e) => ({
      step: e.step,
      testAccuracy: round(e.testAccuracy, 6) ?? 0,
      testLoss: round(e.testLoss, 6) ?? 0,
      movingAccuracy: round(e.movingAccuracy, 6),
      movingLoss: round(e.movingLoss, 6),
    })),
    layerStats,
    masks: x.masks && {
      step: x.masks.step,
      labels: x.masks.labels,
      samples: x.masks.samples.map((s) => {
        const [lo, hi] = range(s.input);
        return {
          height: s.height,
          width: s.width,
          channels: s.channels,
          keep: round(s.keep, 4) ?? 0,
          input: encodeUnit(s.input, lo, hi),
          attention: encodeUnit(s.attention),
          mask: encodeUnit(s.mask),
          masked: encodeUnit(s.masked, lo, hi),
          teacherAttention: s.teacherAttention && encodeUnit(s.teacherAttention),
        };
      }),
    },
    model: { file: x.modelFile, bytes: x.modelBytes },
  };
}

function range(v: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    lo = Math.min(lo, v[i]);
    hi = Math.max(hi, v[i]);
  }
  return [lo, hi];
}
