import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../bnn/config';
import { formatSeconds, freeColorIndex, progressOf, runColor, storedForm } from './run-record';
import { newRun } from './run-queue';

describe('run colours', () => {
  it('gives the first 60 runs 60 different colours', () => {
    const colors = Array.from({ length: 60 }, (_, i) => runColor(i));
    expect(new Set(colors).size).toBe(60);
  });

  it('picks the first colour no run uses, so a deletion frees its colour', () => {
    expect(freeColorIndex([{ color: runColor(0) }, { color: runColor(2) }])).toBe(1);
    expect(freeColorIndex([])).toBe(0);
  });
});

describe('progress', () => {
  const r = newRun({ ...DEFAULT_CONFIG, steps: 100 }, { id: 'r', number: 1, colorIndex: 0, createdAt: 0 });
  const steps = Array.from({ length: 40 }, (_, i) => ({ step: i + 1, epoch: 0, loss: 1, ce: 1, accuracy: 0, lr: 0, latentLr: 0, t: 1, k: 1, ms: i < 20 ? 1000 : 100, gradNorm: 0 }));

  it('gives the remaining time at the pace of the last 20 steps while the run trains', () => {
    const p = progressOf({ ...r, state: 'running', steps });
    expect(p).toMatchObject({ done: 40, total: 100, msPerStep: 100 });
    expect(p.etaSeconds).toBeCloseTo(6, 10);
    expect(progressOf({ ...r, state: 'finished', steps }).etaSeconds).toBeNull();
  });

  it('counts an imported run as done at its last evaluation, not at step 0', () => {
    const imported = { ...r, state: 'finished' as const, evals: [{ step: 100, testAccuracy: 0.9, testLoss: 0 }], imported: { fileName: 'm', hasLatent: false, fileAccuracy: 0.9, bytes: new Uint8Array() } };
    expect(progressOf(imported)).toMatchObject({ done: 100, total: 100, etaSeconds: null });
  });
});

describe('formatSeconds and the stored form', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatSeconds(42.4)).toBe('42 s');
    expect(formatSeconds(185)).toBe('3 min 5 s');
    expect(formatSeconds(4320)).toBe('1 h 12 min');
  });

  it('stores neither the weights nor what only this page needs', () => {
    const r = { ...newRun(DEFAULT_CONFIG, { id: 'r', number: 1, colorIndex: 0, createdAt: 0, startPaused: 1 }), snapshot: {} };
    const s = storedForm(r);
    expect('snapshot' in s || 'resumeFrom' in s || 'startPaused' in s).toBe(false);
    expect(s.id).toBe('r');
  });
});
