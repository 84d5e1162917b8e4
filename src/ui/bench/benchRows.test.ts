import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../../bench/kernels/types';
import { formatKiB, formatMs, formatRatio, speedupRows } from './benchRows';

const impl = (id: string, medianMs: number) => ({ id, label: id, role: 'peer' as const, medianMs, minMs: medianMs, samples: 4, repsPerSample: 1, gops: 1 });

describe('benchmark rows for the panel', () => {
  it('labels each case and picks the paired speed-ups over float and tfjs', () => {
    const cases: CaseResult[] = [
      {
        id: 'conv-16x32-32-s2-b32', title: 'conv 16→32 @32×32 s2 b32', kind: 'conv', ops: 1,
        params: { batch: 32, cin: 16, cout: 32, size: 32, stride: 2, outSize: 16 }, reference: 'xnor',
        implementations: [impl('xnor', 2), impl('float', 30), impl('tfjs-wasm', 3)],
        speedups: [{ versus: 'float', value: 15, perRound: [15] }, { versus: 'tfjs-wasm', value: 1.5, perRound: [1.5] }],
      },
      {
        id: 'model-resnet20-w16-32x32x3-b1', title: 'ResNet-20 w=16 32×32×3 b1', kind: 'model', ops: 1,
        params: { batch: 1, depth: 20, width: 16 }, reference: 'xnor',
        implementations: [impl('xnor', 5), impl('float', 60)],
        speedups: [{ versus: 'float', value: 12, perRound: [12] }],
      },
    ];
    expect(speedupRows(cases)).toEqual([
      { id: cases[0].id, label: '16→32 @32 s2 b32', title: cases[0].title, kind: 'conv', batch: 32, xnorMs: 2, vsFloat: 15, vsTfjsWasm: 1.5, vsTfjsCpu: null },
      { id: cases[1].id, label: 'ResNet-20 b1', title: cases[1].title, kind: 'model', batch: 1, xnorMs: 5, vsFloat: 12, vsTfjsWasm: null, vsTfjsCpu: null },
    ]);
  });

  it('formats ratios, times and sizes', () => {
    expect(formatRatio(12.345)).toBe('12.3×');
    expect(formatRatio(0.8712)).toBe('0.87×');
    expect(formatRatio(null)).toBe('–');
    expect(formatMs(0.1234)).toBe('0.123 ms');
    expect(formatMs(45.67)).toBe('45.7 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatKiB(8 * 1024 * 3)).toBe('3.0 KiB');
  });
});
