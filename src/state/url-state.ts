import { DEFAULT_CONFIG, RunConfigSchema, parseRunConfig, type RunConfig } from '../bnn/config';

/**
 * The next run's configuration in the URL hash, e.g. `#data=mnist&depth=8&…&seed=1`.
 *
 * One declarative table (in the spirit of TensorFlow Playground's state.ts) says, for every
 * RunConfig key, its short name in the hash and how its value is written. Defaults come from
 * DEFAULT_CONFIG (or a caller's base config); allowed ranges and enum members from the zod schema,
 * so the table cannot drift from what parseRunConfig accepts.
 *
 * Encoding: `name=value` pairs joined by `&`, values percent-encoded. Numbers use JavaScript's
 * shortest round-trip form, booleans `true`/`false`, and a nullable string is written as a bare
 * `name` when null (so an empty string `name=` stays distinct).
 */
export type HashValueType = 'enum' | 'number' | 'int' | 'bool' | 'nullable-string';

export interface UrlProperty {
  /** Name in the hash. */
  hash: string;
  type: HashValueType;
}

export const URL_PROPERTIES: { readonly [K in keyof RunConfig]: UrlProperty } = {
  dataset: { hash: 'data', type: 'enum' },
  depth: { hash: 'depth', type: 'enum' },
  width: { hash: 'width', type: 'enum' },
  precision: { hash: 'prec', type: 'enum' },
  weightTransform: { hash: 'wt', type: 'enum' },
  activationEstimator: { hash: 'est', type: 'enum' },
  weightEstimator: { hash: 'west', type: 'enum' },
  tMin: { hash: 'tmin', type: 'number' },
  tMax: { hash: 'tmax', type: 'number' },
  pSwitch: { hash: 'pswitch', type: 'number' },
  tkPerEpoch: { hash: 'tkepoch', type: 'bool' },
  restriction: { hash: 'restrict', type: 'bool' },
  restrictionLambda: { hash: 'lambda', type: 'number' },
  recovery: { hash: 'recover', type: 'enum' },
  recoveryRatio: { hash: 'ratio', type: 'int' },
  rsign: { hash: 'rsign', type: 'bool' },
  blockActivation: { hash: 'act', type: 'enum' },
  distill: { hash: 'distill', type: 'bool' },
  distillBeta: { hash: 'beta', type: 'number' },
  kd: { hash: 'kd', type: 'bool' },
  kdTau: { hash: 'tau', type: 'number' },
  teacherRunId: { hash: 'teacher', type: 'nullable-string' },
  optimizer: { hash: 'opt', type: 'enum' },
  lr: { hash: 'lr', type: 'number' },
  latentLr: { hash: 'latentlr', type: 'number' },
  latentInitScale: { hash: 'latentinit', type: 'number' },
  warmupSteps: { hash: 'warmup', type: 'int' },
  momentum: { hash: 'mom', type: 'number' },
  weightDecay: { hash: 'wd', type: 'number' },
  batchSize: { hash: 'bs', type: 'int' },
  steps: { hash: 'steps', type: 'int' },
  evalEvery: { hash: 'evalevery', type: 'int' },
  evalLimit: { hash: 'evallimit', type: 'int' },
  bnCalibration: { hash: 'bncal', type: 'int' },
  seed: { hash: 'seed', type: 'int' },
  backend: { hash: 'backend', type: 'enum' },
};

const KEYS = Object.keys(URL_PROPERTIES) as (keyof RunConfig)[];
const KEY_BY_HASH = new Map(KEYS.map((k) => [URL_PROPERTIES[k].hash, k]));

/** The members an enum property accepts, read from the zod schema (strings or numeric literals). */
export function enumValues(key: keyof RunConfig): readonly (string | number)[] {
  const field = RunConfigSchema.shape[key] as unknown as {
    options?: readonly (string | number | { value: string | number })[];
  };
  return (field.options ?? []).map((o) => (typeof o === 'object' ? o.value : o));
}

export interface EncodeOptions {
  /** Write only the keys that differ from `base` (the seed always); default false: every key. */
  onlyChanged?: boolean;
  base?: RunConfig;
  /** Keys never written (a shared link leaves the backend to each device). */
  omit?: readonly (keyof RunConfig)[];
}

/** The hash (without the leading '#') that reproduces `cfg`. */
export function encodeConfigHash(cfg: RunConfig, options: EncodeOptions = {}): string {
  const base = options.base ?? DEFAULT_CONFIG;
  const parts: string[] = [];
  for (const key of KEYS) {
    const value = cfg[key];
    if (options.onlyChanged && key !== 'seed' && Object.is(value, base[key])) continue;
    if (options.omit?.includes(key)) continue;
    const name = URL_PROPERTIES[key].hash;
    if (value === null) parts.push(name);
    else parts.push(`${name}=${encodeURIComponent(wellFormed(String(value)))}`);
  }
  return parts.join('&');
}

/**
 * The hash of a shared link: every key (so the link reproduces the run even where the defaults
 * differ, e.g. after an update) but the backend, which each device picks for itself.
 */
export function shareHash(cfg: RunConfig): string {
  return encodeConfigHash(cfg, { omit: ['backend'] });
}

export interface DecodedHash {
  /** Always a valid RunConfig (parseRunConfig accepts it). */
  config: RunConfig;
  /** One readable message per value that was ignored; empty when the hash was clean. */
  errors: string[];
}

/**
 * Reads a config from a URL hash (with or without the '#'). Keys that are missing take the value of
 * `base` (default DEFAULT_CONFIG); an invalid value falls back to it with a message; unknown keys
 * are reported and ignored. If the values are individually valid but the combination is not, the
 * whole config falls back to `base`. Never throws.
 */
export function decodeConfigHash(hash: string, base: RunConfig = DEFAULT_CONFIG): DecodedHash {
  const errors: string[] = [];
  const config: Record<string, unknown> = { ...base };
  const seen = new Set<string>();
  const text = typeof hash === 'string' ? hash.replace(/^#/, '') : '';
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? null : part.slice(eq + 1);
    const name = safeDecode(rawName);
    if (name === null) {
      errors.push(`'${rawName}' is not valid URL encoding; ignored`);
      continue;
    }
    const key = KEY_BY_HASH.get(name);
    if (!key) {
      errors.push(`unknown key '${name}' ignored`);
      continue;
    }
    if (seen.has(name)) errors.push(`${name}: given more than once; using the last`);
    seen.add(name);
    const fallback = `using ${show(base[key])}`;
    const value = rawValue === null ? null : safeDecode(rawValue);
    if (rawValue !== null && value === null) {
      errors.push(`${name}: '${rawValue}' is not valid URL encoding; ${fallback}`);
      config[key] = base[key];
      continue;
    }
    const parsed = parseValue(key, value);
    if ('error' in parsed) {
      errors.push(`${name}: ${parsed.error}; ${fallback}`);
      config[key] = base[key];
    } else {
      config[key] = parsed.value;
    }
  }
  const checked = parseRunConfig(config);
  if (checked.ok) return { config: checked.config, errors };
  const fromBase = parseRunConfig(base);
  errors.push(`${checked.error}; using the default configuration`);
  return { config: fromBase.ok ? fromBase.config : { ...DEFAULT_CONFIG }, errors };
}

type Parsed = { value: unknown } | { error: string };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parseValue(key: keyof RunConfig, raw: string | null): Parsed {
  const { type } = URL_PROPERTIES[key];
  if (raw === null && type !== 'nullable-string') return { error: 'has no value' };
  const s = raw ?? '';
  let value: unknown;
  switch (type) {
    case 'enum': {
      const members = enumValues(key);
      const hit = members.find((m) => String(m) === s);
      if (hit === undefined) return { error: `'${s}' is not one of ${members.join(', ')}` };
      value = hit;
      break;
    }
    case 'number':
    case 'int': {
      const n = NUMBER.test(s) ? Number(s) : NaN;
      if (!Number.isFinite(n)) return { error: `'${s}' is not a number` };
      if (type === 'int' && !Number.isInteger(n)) return { error: `'${s}' is not an integer` };
      value = Object.is(n, -0) ? 0 : n;
      break;
    }
    case 'bool':
      if (s === 'true' || s === '1') value = true;
      else if (s === 'false' || s === '0') value = false;
      else return { error: `'${s}' is not true or false` };
      break;
    case 'nullable-string':
      value = raw;
      break;
  }
  const r = RunConfigSchema.shape[key].safeParse(value);
  if (!r.success) return { error: `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}' is out of range (${r.error.issues[0]?.message ?? 'invalid'})` };
  return { value: r.data };
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function show(v: unknown): string {
  return v === null ? 'none' : String(v);
}

/** Lone UTF-16 surrogates cannot be percent-encoded; replace them with U+FFFD. */
function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
