import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config';
import { MIN_IMAGES, budgetHint } from './budget';

describe('budgetHint', () => {
  it('flags a binary run of fewer training images than it needs, and suggests the steps that reach them', () => {
    const h = budgetHint({ ...DEFAULT_CONFIG, steps: 40, batchSize: 32 })!;
    expect(h.suggestedSteps).toBe(MIN_IMAGES.binary / 32);
    expect(h.text).toMatch(/^40 steps of 32 images is short: a binary network is still learning fast after 1,280 images/);
    expect(h.text).toContain(`Try ${MIN_IMAGES.binary / 32} steps or more.`);
  });

  it('asks less of a full-precision run, and nothing of a long enough one', () => {
    expect(budgetHint({ ...DEFAULT_CONFIG, precision: 'full', steps: 150, batchSize: 32 })).toBeNull();
    expect(budgetHint({ ...DEFAULT_CONFIG, precision: 'binary', steps: 150, batchSize: 32 })).not.toBeNull();
    expect(budgetHint({ ...DEFAULT_CONFIG, precision: 'full', steps: 20, batchSize: 32 })?.text).toContain('even a full-precision network');
    expect(budgetHint(DEFAULT_CONFIG)).toBeNull();
    // The batch counts: the same steps with bigger batches are enough.
    expect(budgetHint({ ...DEFAULT_CONFIG, steps: 100, batchSize: 64 })).toBeNull();
  });
});
