import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../test/tf';
import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { BnnModel } from '../model/model';
import { lossTermsFor } from './terms';

beforeAll(() => useBackend('cpu'));

const base: RunConfig = { ...DEFAULT_CONFIG, depth: 8, width: 8 };

describe('lossTermsFor', () => {
  it('builds the terms the toggles switch on, restriction first', () => {
    expect(lossTermsFor(base)).toEqual([]);
    expect(lossTermsFor({ ...base, restriction: true }).map((t) => t.name)).toEqual(['restriction']);
    const teacher = BnnModel.create({ ...base, precision: 'full' }, 10);
    expect(lossTermsFor({ ...base, restriction: true, distill: true }, teacher).map((t) => t.name)).toEqual(['restriction', 'distill']);
    // logit KD alone is a distillation term too (any preset); a teacher without either adds nothing
    expect(lossTermsFor({ ...base, kd: true }, teacher).map((t) => t.name)).toEqual(['distill']);
    expect(lossTermsFor(base, teacher)).toEqual([]);
    teacher.dispose();
  });

  it('refuses distillation without a teacher or with an incompatible one', () => {
    expect(() => lossTermsFor({ ...base, distill: true })).toThrow(/distillation is on but no teacher was given/);
    expect(() => lossTermsFor({ ...base, kd: true })).toThrow(/distillation is on but no teacher was given/);
    const wide = BnnModel.create({ ...base, precision: 'full', width: 16 }, 10);
    expect(() => lossTermsFor({ ...base, distill: true }, wide)).toThrow(
      'teacher must be a full-precision run of the same architecture: width 16 vs 8 (teacher vs student)',
    );
    wide.dispose();
    const binary = BnnModel.create(base, 10);
    expect(() => lossTermsFor({ ...base, distill: true }, binary)).toThrow(/the teacher is binary/);
    binary.dispose();
  });
});
