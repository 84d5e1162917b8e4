import { z } from 'zod';
import { parseRunConfig, type RunConfig } from '../bnn/config';
import type { LayerStats } from '../bnn/train/layer-stats';
import type { AttentionSample } from '../bnn/train/restriction';
import type { EvalMetrics, StepMetrics } from '../bnn/train/trainer';

/**
 * The example gallery's files (public/examples/, written by `npm run examples`,
 * scripts/build-examples.ts): an index and one JSON file per finished example run, next to its
 * model as .safetensors. Compact on purpose: step metrics as columns of a downsampled history,
 * attention images as bytes in base64. The app reads them with parseExampleFile; the script
 * writes them with the encoders below, so both sides share one definition.
 */
export const EXAMPLE_FORMAT = 'bnn-playground-example';
export const EXAMPLE_INDEX_FORMAT = 'bnn-playground-examples';
export const EXAMPLE_VERSION = 1;

/** The step metrics a file stores, as one array per field. */
export const STEP_COLUMNS = ['step', 'epoch', 'loss', 'ce', 'accuracy', 'lr', 'latentLr', 't', 'k', 'ms', 'gradNorm'] as const satisfies readonly (keyof StepMetrics)[];

const num = z.number();
const numOrNull = z.number().nullable();
const columns = z.object(Object.fromEntries(STEP_COLUMNS.map((k) => [k, z.array(num)])) as Record<(typeof STEP_COLUMNS)[number], z.ZodArray<z.ZodNumber>>);

const LayerEntrySchema = z.object({
  name: z.string(),
  weightEntropy: num,
  weightEntropyMin: num,
  weightEntropyStd: num,
  activationEntropy: numOrNull,
  activationEntropyMin: numOrNull,
  activationEntropyStd: numOrNull,
  flipRatio: numOrNull,
  flippedSinceInit: num,
  gradNorm: numOrNull,
  quantError: num,
  weightGradShare: num,
  activationGradShare: numOrNull,
  signDisagreement: numOrNull,
});

const HistogramSchema = z.object({ layer: z.string(), edges: z.array(num), counts: z.array(num) }).nullable();

const MaskSampleSchema = z.object({
  height: z.number().int().positive(),
  width: z.number().int().positive(),
  channels: z.number().int().positive(),
  keep: num,
  /** Bytes, base64: the input and the masked input stretched to 0–255 over the input's range, attention × 255, mask 0/1. */
  input: z.string(),
  attention: z.string(),
  mask: z.string(),
  masked: z.string(),
  teacherAttention: z.string().nullable(),
});

export const ExampleFileSchema = z.object({
  format: z.literal(EXAMPLE_FORMAT),
  version: z.literal(EXAMPLE_VERSION),
  id: z.string().regex(/^[a-z0-9-]+$/),
  label: z.string(),
  /** Examples shown together (e.g. the Fashion-MNIST IR-Net grid) and that group's title. */
  group: z.string(),
  groupLabel: z.string(),
  /** Drawn on the comparison charts on a first visit. */
  compare: z.boolean(),
  /** The ablation row (bnn/train/ablation.ts) of a grid example; null otherwise. */
  row: z.string().nullable(),
  /** The example whose model was this one's distillation teacher. */
  teacher: z.string().nullable(),
  /** How the file was made: the command and the source commit. */
  command: z.string(),
  commit: z.string(),
  generatedAt: z.string(),
  config: z.unknown(),
  backend: z.string(),
  trainMs: num,
  steps: columns,
  evals: z.array(z.object({ step: num, testAccuracy: num, testLoss: num, movingAccuracy: numOrNull.optional(), movingLoss: numOrNull.optional() })),
  layerStats: z.array(z.object({ step: num, layers: z.array(LayerEntrySchema), histogram: HistogramSchema, latentHistogram: HistogramSchema, maskKeep: numOrNull.optional() })),
  masks: z.object({ step: num, labels: z.array(z.string()), samples: z.array(MaskSampleSchema) }).nullable(),
  model: z.object({ file: z.string().regex(/^[a-z0-9-]+\.safetensors$/), bytes: z.number().int().positive() }),
});

export type ExampleFileJson = z.infer<typeof ExampleFileSchema>;

export const ExampleIndexSchema = z.object({
  format: z.literal(EXAMPLE_INDEX_FORMAT),
  version: z.literal(EXAMPLE_VERSION),
  command: z.string(),
  commit: z.string(),
  generatedAt: z.string(),
  /** Bytes of every file of the gallery together (index excluded). */
  totalBytes: z.number().int().nonnegative(),
  examples: z.array(z.object({ id: z.string(), file: z.string().regex(/^[a-z0-9-]+\.json$/), bytes: z.number().int().positive() })),
});

export type ExampleIndex = z.infer<typeof ExampleIndexSchema>;

/** An example file read into the types the app uses. */
export interface ExampleRun {
  file: ExampleFileJson;
  config: RunConfig;
  steps: StepMetrics[];
  evals: EvalMetrics[];
  layerStats: LayerStats[];
  masks: { step: number; labels: string[]; samples: AttentionSample[] } | null;
}

/** Validates an example file (parsed JSON); throws an Error that names the file and the problem. */
export function parseExampleFile(json: unknown, name: string): ExampleRun {
  const r = ExampleFileSchema.safeParse(json);
  if (!r.success) throw new Error(`${name}: not an example file of this version (${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message})`);
  const file = r.data;
  const config = parseRunConfig(file.config);
  if (!config.ok) throw new Error(`${name}: its config is not valid here (${config.error})`);
  const n = file.steps.step.length;
  if (STEP_COLUMNS.some((k) => file.steps[k].length !== n)) throw new Error(`${name}: its step columns differ in length`);
  const steps = Array.from({ length: n }, (_, i) => Object.fromEntries(STEP_COLUMNS.map((k) => [k, file.steps[k][i]])) as unknown as StepMetrics);
  const masks = file.masks && {
    step: file.masks.step,
    labels: file.masks.labels,
    samples: file.masks.samples.map((s): AttentionSample => ({
      height: s.height,
      width: s.width,
      channels: s.channels,
      keep: s.keep,
      input: decodeUnit(s.input),
      attention: decodeUnit(s.attention),
      mask: decodeUnit(s.mask),
      masked: decodeUnit(s.masked),
      teacherAttention: s.teacherAttention === null ? null : decodeUnit(s.teacherAttention),
    })),
  };
  return { file, config: config.config, steps, evals: file.evals, layerStats: file.layerStats, masks };
}

/** Values mapped from [lo, hi] to bytes 0–255 (clamped), as base64. */
export function encodeUnit(values: ArrayLike<number>, lo = 0, hi = 1): string {
  const span = hi > lo ? hi - lo : 1;
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.max(0, Math.min(255, Math.round((255 * (values[i] - lo)) / span)));
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

/** Bytes from base64 back to [0, 1], in steps of 1/255. */
export function decodeUnit(b64: string): Float32Array {
  const text = atob(b64);
  const out = new Float32Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) / 255;
  return out;
}
