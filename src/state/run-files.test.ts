import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../bnn/config';
import { IMPORT_ACCURACY_TOLERANCE, importAccuracyWarning, importedRun } from './run-files';

const reply = (measuredAccuracy: number, fileAccuracy: number | null, evalLimit = 0) => ({
  type: 'imported' as const,
  requestId: 'r',
  config: { ...DEFAULT_CONFIG, steps: 200, evalLimit },
  fileAccuracy,
  measuredAccuracy,
  snapshot: {},
  hasLatent: false,
});

describe('importing a model file', () => {
  it('says nothing while the accuracy here agrees with the file within the tolerance', () => {
    expect(importAccuracyWarning(reply(0.9, 0.9 + IMPORT_ACCURACY_TOLERANCE / 100 - 1e-9))).toBeNull();
    expect(importAccuracyWarning(reply(0.9, null))).toBeNull();
  });

  it('warns by how much and in which direction when they differ more', () => {
    const w = importAccuracyWarning(reply(0.912, 0.97, 2000));
    expect(w).toContain('91.20%');
    expect(w).toContain('5.80 points below the 97.00% stored in the file');
    expect(w).toContain('evaluated on 2000 test images');
    expect(importAccuracyWarning(reply(0.95, 0.9))).toContain('5.00 points above');
  });

  it('becomes a finished run done at its budget, with its warning', () => {
    const r = importedRun(reply(0.5, 0.9), 'm.safetensors', new Uint8Array([1]), { id: 'i', number: 4, colorIndex: 1, createdAt: 0 });
    expect(r).toMatchObject({ id: 'i', name: '#4 imported m.safetensors', state: 'finished', evals: [{ step: 200, testAccuracy: 0.5 }] });
    expect(r.importWarning).toContain('40.00 points below');
    expect(r.imported).toMatchObject({ fileName: 'm.safetensors', hasLatent: false, fileAccuracy: 0.9 });
  });
});
