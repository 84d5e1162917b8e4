import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conv3x3Source } from './conv3x3-source';

describe('binaryConv3x3.ts', () => {
  it('is the output of its generator (run npm run generate:conv3x3 after editing it)', () => {
    const committed = readFileSync(new URL('../src/kernels/binaryConv3x3.ts', import.meta.url), 'utf8');
    expect(committed === conv3x3Source()).toBe(true);
  });
});
