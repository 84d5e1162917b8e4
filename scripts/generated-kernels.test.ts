import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_KERNELS } from './generated-kernels';

describe('generated kernels', () => {
  for (const { path, source } of GENERATED_KERNELS) {
    it(`${path} is the output of its generator (run npm run generate:kernels after editing it)`, () => {
      const committed = readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
      expect(committed === source()).toBe(true);
    });
  }
});
