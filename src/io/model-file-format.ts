import { z } from 'zod';
import { DATASET_NAMES } from '../data/catalog';
import type { RunConfig } from '../bnn/config';

/**
 * The exported model file (docs/EXPORT_FORMAT.md): a safetensors file whose `__metadata__`
 * describes the run and whose tensors are the weights. What every format version shares; the
 * version-specific layouts are in model-file-v1.ts and model-file-v2.ts.
 */
export const FORMAT_NAME = 'bnn-playground';
/** The version export writes. */
export const FORMAT_VERSION = 2;
/** The versions import reads. */
export const READABLE_VERSIONS = [1, 2] as const;

/** `__metadata__` keys every version has (values are strings; the JSON ones hold JSON text). */
export const META = {
  format: 'format',
  version: 'format_version',
  config: 'config',
  dataset: 'dataset',
  testAccuracy: 'test_accuracy',
} as const;

/** Dataset and input normalisation: x = (v / 255 − mean[c]) / std[c], NHWC. */
export interface DatasetInfo {
  name: RunConfig['dataset'];
  /** [H, W, C] */
  inputShape: [number, number, number];
  mean: number[];
  std: number[];
  classNames: string[];
}

export function hasBinaryScale(config: RunConfig): boolean {
  return config.precision === 'binary' && config.weightTransform !== 'none';
}

const count = z.number().int().min(1).max(1_000_000);
const finite = z.number().refine(Number.isFinite, 'must be finite');

export const DatasetSchema = z.strictObject({
  name: z.enum(DATASET_NAMES),
  inputShape: z.tuple([count, count, count]),
  mean: z.array(finite).min(1).max(16),
  std: z.array(finite.refine((v) => v > 0, 'must be positive')).min(1).max(16),
  classNames: z.array(z.string().min(1).max(200)).min(2).max(1000),
});

export const TestAccuracySchema = z.number().min(0).max(1).nullable();

/**
 * The first place two JSON values differ, as a readable path (`ops[12].stride: file has 1,
 * expected 2`), or null when they are equal. Object key order is ignored.
 */
export function firstDifference(actual: unknown, expected: unknown, path = ''): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path || '(root)'}: file has ${show(actual)}, expected a list`;
    if (actual.length !== expected.length) {
      return `${path || '(root)'}: file has ${actual.length} entries, expected ${expected.length}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(actual[i], expected[i], `${path}[${i}]${labelOf(expected[i])}`);
      if (d) return d;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return `${path || '(root)'}: file has ${show(actual)}, expected an object`;
    }
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!Object.prototype.hasOwnProperty.call(a, key)) return `${join(path, key)}: missing, expected ${show(e[key])}`;
      const d = firstDifference(a[key], e[key], join(path, key));
      if (d) return d;
    }
    for (const key of Object.keys(a)) {
      if (!Object.prototype.hasOwnProperty.call(e, key)) return `${join(path, key)}: unexpected field`;
    }
    return null;
  }
  return Object.is(actual, expected) || actual === expected ? null : `${path || '(root)'}: file has ${show(actual)}, expected ${show(expected)}`;
}

function labelOf(v: unknown): string {
  if (v !== null && typeof v === 'object' && 'name' in v && typeof (v as { name: unknown }).name === 'string') {
    return ` (${(v as { name: string }).name})`;
  }
  return '';
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
