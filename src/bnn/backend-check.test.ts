import { describe, expect, it } from 'vitest';
import { backendCheckCases, compareOutputs, formatCheckResult, relativeError, runBackendCheck } from './backend-check';
import { initBackend } from './backend';

describe('relativeError', () => {
  it('is the largest difference over the largest reference value', () => {
    expect(relativeError([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(relativeError([1, 2.5, 3], [1, 2, 4])).toBeCloseTo(1 / 4, 12);
    expect(relativeError([1e-9], [0])).toBeCloseTo(1e-3, 12);
  });

  it('a length mismatch or a non-finite value is an infinite error', () => {
    expect(relativeError([1, 2], [1, 2, 3])).toBe(Infinity);
    expect(relativeError([NaN], [1])).toBe(Infinity);
    expect(relativeError([1], [Infinity])).toBe(Infinity);
  });
});

describe('compareOutputs', () => {
  it("measures a group's small outputs against 1/100 of the group's largest", () => {
    const want = { 'grad a': Float32Array.of(100, -50), 'grad b': Float32Array.of(1e-7, -2e-7), loss: Float32Array.of(2) };
    const got = { 'grad a': Float32Array.of(100.01, -50), 'grad b': Float32Array.of(-3e-7, 1e-7), loss: Float32Array.of(2) };
    const errors = Object.fromEntries(compareOutputs(got, want).map((c) => [c.output, c.error]));
    expect(errors['grad a']).toBeCloseTo(1e-4, 6);
    // Noise around an exact zero, against 1 (= 1e-2 · 100), not against its own 2e-7.
    expect(errors['grad b']).toBeCloseTo(4e-7, 12);
    expect(errors.loss).toBe(0);
  });

  it('an output the target lacks is an infinite error', () => {
    expect(compareOutputs({}, { loss: Float32Array.of(1) })).toEqual([{ output: 'loss', error: Infinity }]);
  });
});

describe('the cross-backend check, wasm against cpu (what the browser runs for WebGPU and WebGL)', () => {
  it('every case agrees within its tolerance and leaks nothing', async () => {
    const results = await runBackendCheck('wasm', 'cpu', { switchTo: (name) => initBackend(name as 'wasm' | 'cpu') });
    for (const r of results) process.stderr.write(`${formatCheckResult(r)} ${Math.round(r.ms)} ms\n`);
    const failed = results.filter((r) => !r.ok).map(formatCheckResult);
    expect(failed).toEqual([]);
    expect(results.length).toBe(backendCheckCases().length);
  }, 300_000);

  it('catches a backend that computes something else', async () => {
    // The same case, but the "target" computes the conv with its filter flipped.
    const [conv] = backendCheckCases();
    const wrong = {
      ...conv,
      run: async () => {
        const out = await conv.run();
        return { ...out, dw: out.dw.slice().reverse() };
      },
    };
    let onTarget = false;
    const [result] = await runBackendCheck('wasm', 'cpu', {
      cases: [{ ...conv, run: () => (onTarget ? wrong.run() : conv.run()) }],
      switchTo: async (name) => {
        onTarget = name === 'wasm';
        await initBackend(name as 'wasm' | 'cpu');
      },
    });
    expect(result.ok).toBe(false);
    expect(result.worst?.output).toBe('dw');
    expect(formatCheckResult(result)).toMatch(/^FAIL/);
  });
});
