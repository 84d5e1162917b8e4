import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_CONFIG, parseRunConfig, type RunConfig } from '../bnn/config';
import { URL_PROPERTIES, decodeConfigHash, encodeConfigHash, enumValues, shareHash } from './url-state';
import { ESTIMATOR_NAMES, WEIGHT_TRANSFORM_NAMES } from '../bnn/quantizers/registry';

const double = (min: number, max: number, open: { min?: boolean; max?: boolean } = {}): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, minExcluded: open.min ?? false, maxExcluded: open.max ?? false });

/** Every value the zod schema accepts, written out independently of the codec's table. */
const configArb: fc.Arbitrary<RunConfig> = fc
  .record({
    dataset: fc.constantFrom('mnist', 'fashion-mnist', 'mnist-small', 'shapes', 'cifar10'),
    depth: fc.constantFrom(8, 14, 20),
    width: fc.constantFrom(8, 16, 32),
    precision: fc.constantFrom('binary', 'full'),
    weightTransform: fc.constantFrom(...WEIGHT_TRANSFORM_NAMES),
    activationEstimator: fc.constantFrom(...ESTIMATOR_NAMES),
    weightEstimator: fc.constantFrom(...ESTIMATOR_NAMES),
    tMin: double(0, 1, { min: true }),
    tMax: double(1, 1e4),
    pSwitch: double(0, 1, { min: true, max: true }),
    tkPerEpoch: fc.boolean(),
    restriction: fc.boolean(),
    restrictionLambda: double(0, 10),
    recovery: fc.constantFrom('off', 'full', 'compact'),
    recoveryRatio: fc.integer({ min: 2, max: 8 }),
    rsign: fc.boolean(),
    blockActivation: fc.constantFrom('hardtanh', 'rprelu'),
    distill: fc.boolean(),
    distillBeta: double(0, 100),
    kd: fc.boolean(),
    kdTau: double(0.5, 20),
    teacherRunId: fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: null }),
    optimizer: fc.constantFrom('adam', 'sgd'),
    lr: double(0, 10, { min: true }),
    latentLr: double(0, 10, { min: true }),
    latentInitScale: double(0, 10, { min: true }),
    warmupSteps: fc.integer({ min: 0, max: 1_000_000 }),
    momentum: double(0, 0.999),
    weightDecay: double(0, 0.1),
    batchSize: fc.integer({ min: 1, max: 512 }),
    steps: fc.integer({ min: 1, max: 1_000_000 }),
    evalEvery: fc.integer({ min: 1, max: 1_000_000 }),
    evalLimit: fc.integer({ min: 0, max: 1_000_000 }),
    bnCalibration: fc.integer({ min: 0, max: 100_000 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    backend: fc.constantFrom('webgl', 'wasm', 'cpu'),
  } satisfies { [K in keyof RunConfig]: fc.Arbitrary<RunConfig[K]> })
  .filter((c) => parseRunConfig(c).ok);

describe('URL property table', () => {
  it('covers every RunConfig key once, with unique URL-safe names', () => {
    expect(Object.keys(URL_PROPERTIES).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
    const names = Object.values(URL_PROPERTIES).map((p) => p.hash);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9]*$/);
  });

  it('reads enum members from the schema, numeric literals included', () => {
    expect(enumValues('depth')).toEqual([8, 14, 20]);
    expect(enumValues('activationEstimator')).toEqual(ESTIMATOR_NAMES);
    expect(enumValues('weightTransform')).toEqual(WEIGHT_TRANSFORM_NAMES);
  });

  it('encodes the defaults as readable pairs', () => {
    const h = encodeConfigHash(DEFAULT_CONFIG);
    expect(h.startsWith('data=mnist&depth=8&width=16&prec=binary&wt=librapb&est=ede&west=ede&tmin=0.1&tmax=10')).toBe(true);
    expect(h).toContain('&teacher&');
    expect(h).toContain('&lr=0.005&latentlr=0.01&');
    expect(h).toContain('&seed=1&');
    expect(encodeConfigHash(DEFAULT_CONFIG, { onlyChanged: true })).toBe('seed=1');
    expect(encodeConfigHash({ ...DEFAULT_CONFIG, lr: 0.01, teacherRunId: 'run a&b' }, { onlyChanged: true })).toBe(
      'teacher=run%20a%26b&lr=0.01&seed=1',
    );
  });
});

describe('shared links', () => {
  it('carry every key but the backend, and reproduce the config over any defaults', () => {
    fc.assert(
      fc.property(configArb, configArb, (cfg, base) => {
        const h = shareHash(cfg);
        expect(h).not.toMatch(/(^|&)backend=/);
        const { config, errors } = decodeConfigHash(h, base);
        expect(errors).toEqual([]);
        expect(config).toEqual({ ...cfg, backend: base.backend });
      }),
      { numRuns: 200 },
    );
  });
});

describe('round trip', () => {
  it('every property of every valid config survives encode → decode, with and without the #', () => {
    fc.assert(
      fc.property(configArb, (cfg) => {
        for (const hash of [encodeConfigHash(cfg), `#${encodeConfigHash(cfg)}`]) {
          const { config, errors } = decodeConfigHash(hash);
          expect(errors).toEqual([]);
          expect(config).toEqual(cfg);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('only the changed keys, decoded over the same base, give the same config', () => {
    fc.assert(
      fc.property(configArb, configArb, (cfg, base) => {
        const { config, errors } = decodeConfigHash(encodeConfigHash(cfg, { onlyChanged: true, base }), base);
        expect(errors).toEqual([]);
        expect(config).toEqual(cfg);
      }),
      { numRuns: 200 },
    );
  });

  it('distinguishes a null teacher from an empty id', () => {
    for (const teacherRunId of [null, '', 'run-1']) {
      const cfg = { ...DEFAULT_CONFIG, teacherRunId };
      expect(decodeConfigHash(encodeConfigHash(cfg), { ...DEFAULT_CONFIG, teacherRunId: 'x' }).config.teacherRunId).toBe(
        teacherRunId,
      );
    }
  });
});

describe('bad values fall back per key with a message', () => {
  const cases: [string, keyof RunConfig, RegExp][] = [
    ['lr=abc', 'lr', /^lr: 'abc' is not a number; using 0\.005$/],
    ['lr=', 'lr', /^lr: '' is not a number; using 0\.005$/],
    ['lr=0x10', 'lr', /not a number/],
    ['lr=Infinity', 'lr', /not a number/],
    ['lr=1e', 'lr', /not a number/],
    ['lr=100', 'lr', /^lr: '100' is out of range \(.+\); using 0\.005$/],
    ['lr=0', 'lr', /out of range/],
    ['lr', 'lr', /^lr: has no value; using 0\.005$/],
    ['bs=3.5', 'batchSize', /^bs: '3\.5' is not an integer; using 32$/],
    ['bs=0', 'batchSize', /^bs: '0' is out of range/],
    ['seed=-1', 'seed', /out of range.*using 1$/],
    ['restrict=yes', 'restriction', /^restrict: 'yes' is not true or false; using false$/],
    ['est=foo', 'activationEstimator', new RegExp(`^est: 'foo' is not one of ${ESTIMATOR_NAMES.join(', ')}; using ede$`)],
    ['depth=9', 'depth', /^depth: '9' is not one of 8, 14, 20; using 8$/],
    ['data=MNIST', 'dataset', /not one of mnist, fashion-mnist, mnist-small, shapes, cifar10/],
    [`teacher=${'x'.repeat(201)}`, 'teacherRunId', /^teacher: 'x{40}…' is out of range \(.+\); using none$/],
    ['lr=%E0%A4%A', 'lr', /^lr: '%E0%A4%A' is not valid URL encoding; using 0\.005$/],
  ];
  for (const [hash, key, message] of cases) {
    it(`${hash.slice(0, 30)}`, () => {
      const base = { ...DEFAULT_CONFIG, backend: 'cpu' as const };
      const { config, errors } = decodeConfigHash(`#wd=0.01&${hash}&mom=0.5`, base);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(message);
      expect(config[key]).toEqual(base[key]);
      // the good neighbours are kept, missing keys come from the base
      expect([config.weightDecay, config.momentum, config.backend]).toEqual([0.01, 0.5, 'cpu']);
    });
  }

  it('accepts 1/0 for booleans, exponents, a leading + and a trailing dot', () => {
    const { config, errors } = decodeConfigHash('kd=1&tkepoch=0&lr=5e-4&tmax=+20&tau=3.');
    expect(errors).toEqual([]);
    expect([config.kd, config.tkPerEpoch, config.lr, config.tMax, config.kdTau]).toEqual([true, false, 5e-4, 20, 3]);
  });
});

describe('unknown keys, duplicates, cross-field checks and garbage', () => {
  it('reports unknown keys and ignores them', () => {
    const { config, errors } = decodeConfigHash('#foo=1&lr=0.01&activation=tanh');
    expect(errors).toEqual(["unknown key 'foo' ignored", "unknown key 'activation' ignored"]);
    expect(config).toEqual({ ...DEFAULT_CONFIG, lr: 0.01 });
  });

  it('uses the last of repeated keys and says so', () => {
    const { config, errors } = decodeConfigHash('lr=0.01&lr=0.02');
    expect(config.lr).toBe(0.02);
    expect(errors).toEqual(['lr: given more than once; using the last']);
  });

  it('falls back to the defaults when the combination is invalid', () => {
    const { config, errors } = decodeConfigHash('#prec=full&distill=true&lr=0.01');
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/distillation needs a binary student.*; using the default configuration$/);
  });

  it('empty hashes give the base config without errors', () => {
    for (const h of ['', '#', '&&', '#&']) expect(decodeConfigHash(h)).toEqual({ config: DEFAULT_CONFIG, errors: [] });
  });

  it('garbage never throws and always yields a valid config', () => {
    for (const h of ['#%', '#%%%', '###', '#=', '#=x', '#lr==1', '#a=b=c', '#\u0000', '#🙂=🙂', '#%ZZ=1']) {
      const r = decodeConfigHash(h);
      expect(parseRunConfig(r.config).ok).toBe(true);
      expect(r.errors.length).toBeGreaterThan(0);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (h) => {
        const r = decodeConfigHash(h);
        expect(parseRunConfig(r.config).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(decodeConfigHash(undefined as unknown as string).config).toEqual(DEFAULT_CONFIG);
  });

  it('encodes a lone surrogate without throwing', () => {
    const h = encodeConfigHash({ ...DEFAULT_CONFIG, teacherRunId: 'a\uD800b' });
    expect(decodeConfigHash(h).config.teacherRunId).toBe('a\uFFFDb');
  });
});
