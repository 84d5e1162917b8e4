import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, PRESETS, RunConfigSchema, applyPreset, type PresetName, type RunConfig } from '../bnn/config';
import { CONFIG_BASELINE_V2, configDiff, configFromDiff } from './model-file-config';

describe('the config as differences from the version-2 baseline', () => {
  it('the baseline is a valid run config with every key', () => {
    expect(RunConfigSchema.safeParse(CONFIG_BASELINE_V2).success).toBe(true);
    expect(Object.keys(CONFIG_BASELINE_V2).sort()).toEqual(Object.keys(RunConfigSchema.shape).sort());
  });

  it('is the baseline docs/EXPORT_FORMAT.md lists', () => {
    const doc = readFileSync(new URL('../../docs/EXPORT_FORMAT.md', import.meta.url), 'utf8');
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => b.includes('"latentInitScale"'));
    expect(blocks.length).toBe(1);
    expect(JSON.parse(blocks[0])).toEqual(CONFIG_BASELINE_V2);
  });

  it('stores only the keys that differ, never the dataset, in the config key order', () => {
    const cfg: RunConfig = { ...(CONFIG_BASELINE_V2 as RunConfig), dataset: 'fashion-mnist', width: 32, seed: 9, teacherRunId: 'run-3' };
    expect(configDiff(cfg)).toEqual({ width: 32, teacherRunId: 'run-3', seed: 9 });
    expect(Object.keys(configDiff(cfg))).toEqual(['width', 'teacherRunId', 'seed']);
    expect(configDiff(CONFIG_BASELINE_V2 as RunConfig)).toEqual({});
  });

  it.each(Object.keys(PRESETS) as PresetName[])('%s: the stored differences give back the config', (preset) => {
    const cfg = { ...applyPreset({ ...DEFAULT_CONFIG, dataset: 'shapes', depth: 14, lr: 0.01, steps: 77, bnCalibration: 0 }, preset) };
    const back = configFromDiff(JSON.parse(JSON.stringify(configDiff(cfg))), 'shapes');
    expect(back).toEqual({ ok: true, config: cfg });
  });

  it('a file written before rsign and blockActivation joined the baseline reads as both off, and the app writes the same file', () => {
    const back = configFromDiff({ width: 8, seed: 3 }, 'mnist');
    expect(back.ok && [back.config.rsign, back.config.blockActivation]).toEqual([false, 'hardtanh']);
    expect(back.ok && configDiff(back.config)).toEqual({ width: 8, seed: 3 });
    const react = applyPreset(DEFAULT_CONFIG, 'reactnet');
    expect(configDiff(react)).toMatchObject({ rsign: true, blockActivation: 'rprelu' });
  });

  it('a key the baseline lacks is always stored (no value of the baseline changes; new keys join it at their off value)', () => {
    const cfg = { ...(CONFIG_BASELINE_V2 as RunConfig), futureKey: 1 } as unknown as RunConfig;
    expect(configDiff(cfg)).toEqual({ futureKey: 1 });
  });

  it('refuses a stored dataset, a non-object and invalid values with a reason', () => {
    expect(configFromDiff({ dataset: 'mnist' }, 'mnist')).toEqual({ ok: false, error: "config must not hold 'dataset' (it is the dataset's name)" });
    expect(configFromDiff([1], 'mnist')).toEqual({ ok: false, error: 'config must be a JSON object' });
    expect(configFromDiff({ depth: 9 }, 'mnist').ok).toBe(false);
    expect(configFromDiff({ colour: 'red' }, 'mnist').ok).toBe(false);
  });
});
