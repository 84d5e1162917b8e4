import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { techniqueTable } from './technique-table';
import { ESTIMATORS, WEIGHT_TRANSFORMS } from '../src/bnn/quantizers/registry';
import { MODEL_TECHNIQUES } from '../src/bnn/model-techniques';

describe('docs/TECHNIQUES.md', () => {
  it('holds the technique table of the current registries (run npm run generate:docs after changing one)', () => {
    const doc = readFileSync(new URL('../docs/TECHNIQUES.md', import.meta.url), 'utf8');
    expect(doc.includes(techniqueTable())).toBe(true);
  });

  it('every technique lives in the file the table names', () => {
    for (const t of [...Object.values(ESTIMATORS), ...Object.values(WEIGHT_TRANSFORMS)]) {
      expect(existsSync(new URL(`../src/bnn/quantizers/${t.name}.ts`, import.meta.url)), t.name).toBe(true);
    }
    for (const m of Object.values(MODEL_TECHNIQUES)) expect(existsSync(new URL(`../${m.file}`, import.meta.url)), m.key).toBe(true);
  });
});
