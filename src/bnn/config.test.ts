import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, PRESETS, matchPreset, needsTeacher, parseRunConfig, upgradeRunConfig } from './config';

/** A config as exported files and saved runs wrote it before the recipe's parameter groups. */
const old = {
  ...Object.fromEntries(Object.entries(DEFAULT_CONFIG).filter(([k]) => !['activationEstimator', 'weightEstimator', 'latentLr', 'latentInitScale', 'warmupSteps', 'bnCalibration'].includes(k))),
  dataset: 'mnist',
  estimator: 'approxsign',
  lr: 0.003,
  weightDecay: 5e-4,
  optimizer: 'adam',
  kd: true,
  distill: false,
};

describe('configs of the earlier form', () => {
  it('read as what they trained with', () => {
    const r = parseRunConfig(old);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({
      dataset: 'mnist-small', // 'mnist' was the 10,000-digit set
      activationEstimator: 'approxsign',
      weightEstimator: 'approxsign',
      latentLr: 0.003,
      latentInitScale: 1,
      warmupSteps: 0,
      weightDecay: 0, // Adam ignored it
      kd: false, // KD only refined RBD
      bnCalibration: 0,
    });
  });

  it('keep SGD weight decay and leave current configs unchanged', () => {
    expect((upgradeRunConfig({ ...old, optimizer: 'sgd' }) as { weightDecay: number }).weightDecay).toBe(5e-4);
    expect(upgradeRunConfig(DEFAULT_CONFIG)).toBe(DEFAULT_CONFIG);
    expect(upgradeRunConfig(null)).toBeNull();
  });

  it('without rsign and blockActivation (before ReActNet) read as both off', () => {
    const { rsign: _r, blockActivation: _b, ...before } = { ...DEFAULT_CONFIG, seed: 7 };
    void _r;
    void _b;
    expect(parseRunConfig(before)).toEqual({ ok: true, config: { ...DEFAULT_CONFIG, seed: 7 } });
    const r = parseRunConfig(Object.fromEntries(Object.entries(old).filter(([k]) => k !== 'rsign' && k !== 'blockActivation')));
    expect(r.ok && [r.config.rsign, r.config.blockActivation]).toEqual([false, 'hardtanh']);
    expect(upgradeRunConfig({ ...DEFAULT_CONFIG, rsign: true, blockActivation: 'rprelu' })).toMatchObject({ rsign: true, blockActivation: 'rprelu' });
  });
});

describe('presets', () => {
  it('use the official codes’ estimators: ApproxSign activations with STE weights for Bi-Real and IR2Net', () => {
    expect(PRESETS.bireal.toggles).toMatchObject({ activationEstimator: 'approxsign', weightEstimator: 'ste' });
    expect(PRESETS.ir2net.toggles).toMatchObject({ activationEstimator: 'approxsign', weightEstimator: 'ste' });
    expect(PRESETS.irnet.toggles).toMatchObject({ activationEstimator: 'ede', weightEstimator: 'ede' });
    expect(matchPreset({ ...DEFAULT_CONFIG, ...PRESETS.bireal.toggles, weightEstimator: 'approxsign' })).toBeNull();
  });

  it('logit KD needs a teacher and a binary student like RBD', () => {
    expect(needsTeacher({ distill: false, kd: true })).toBe(true);
    expect(needsTeacher({ distill: false, kd: false })).toBe(false);
    const r = parseRunConfig({ ...DEFAULT_CONFIG, precision: 'full', kd: true });
    expect(r.ok).toBe(false);
  });
});
