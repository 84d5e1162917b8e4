import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, PRESETS, applyPreset, type PresetName } from './config';
import { ESTIMATORS, WEIGHT_TRANSFORMS } from './quantizers/registry';
import { MODEL_TECHNIQUES } from './model-techniques';
import { techniqueLabel } from './technique-label';

describe('techniqueLabel', () => {
  it('names the weight transform and the estimator by their registry labels', () => {
    expect(techniqueLabel({ ...DEFAULT_CONFIG, weightTransform: 'librapb', activationEstimator: 'ste', weightEstimator: 'ste' })).toBe(
      `${WEIGHT_TRANSFORMS.librapb.label} + ${ESTIMATORS.ste.label}`,
    );
    expect(techniqueLabel({ ...DEFAULT_CONFIG, weightTransform: 'none', activationEstimator: 'ede', weightEstimator: 'ede' })).toBe('sign(w) + EDE');
  });

  it('shows both estimators when they differ, and the modules and loss terms that are on', () => {
    const ir2net = applyPreset(DEFAULT_CONFIG, 'ir2net');
    expect(techniqueLabel(ir2net)).toBe(
      `sign(w) + ApproxSign / STE (clipped) + ${MODEL_TECHNIQUES.restriction.label} + ${MODEL_TECHNIQUES.recovery.label} (compact)`,
    );
    expect(techniqueLabel({ ...applyPreset(DEFAULT_CONFIG, 'dirnet'), kd: true })).toBe('IMB + DTE + RBD distillation + Logit distillation');
    expect(techniqueLabel(applyPreset(DEFAULT_CONFIG, 'reactnet'))).toContain('RSign (learned threshold) + RPReLU activation');
  });

  it('calls a full-precision run full precision whatever its binary settings say', () => {
    expect(techniqueLabel({ ...DEFAULT_CONFIG, precision: 'full', weightTransform: 'imb' })).toBe('full precision');
  });

  it('gives every preset a different label', () => {
    const labels = (Object.keys(PRESETS) as PresetName[]).map((p) => techniqueLabel(applyPreset(DEFAULT_CONFIG, p)));
    expect(new Set(labels).size).toBe(labels.length);
  });
});
