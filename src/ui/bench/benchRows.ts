import type { CaseResult } from '../../bench/kernels/types';

/** One measured case as the panel shows it: the XNOR time and its speed-up over each peer. */
export interface SpeedupRow {
  readonly id: string;
  /** Short label for the chart axis, e.g. "16→32 @32 s2". */
  readonly label: string;
  readonly title: string;
  readonly kind: string;
  readonly batch: number;
  /** Median ms of the XNOR implementation (kernel or engine). */
  readonly xnorMs: number;
  /** time(peer) / time(XNOR), paired per round; null when the peer was not measured. */
  readonly vsFloat: number | null;
  readonly vsTfjsWasm: number | null;
  readonly vsTfjsCpu: number | null;
}

function speedup(c: CaseResult, versus: string): number | null {
  const s = c.speedups.find((x) => x.versus === versus);
  return s && Number.isFinite(s.value) ? s.value : null;
}

/** A compact axis label: "GEMM 256×256×2304", "16→32 @32 s2", "ResNet-20 b32". */
export function shortLabel(c: CaseResult): string {
  const p = c.params;
  const batch = Number(p.batch ?? 1);
  const suffix = batch > 1 ? ` b${batch}` : '';
  if (c.kind === 'conv') return `${p.cin}→${p.cout} @${p.size} s${p.stride}${suffix}`;
  if (c.kind === 'model') return `ResNet-${p.depth} b${batch}`;
  return c.title;
}

export function speedupRows(cases: readonly CaseResult[]): SpeedupRow[] {
  return cases.map((c) => ({
    id: c.id,
    label: shortLabel(c),
    title: c.title,
    kind: c.kind,
    batch: Number(c.params.batch ?? 1),
    xnorMs: c.implementations.find((i) => i.id === c.reference)?.medianMs ?? NaN,
    vsFloat: speedup(c, 'float'),
    vsTfjsWasm: speedup(c, 'tfjs-wasm'),
    vsTfjsCpu: speedup(c, 'tfjs-cpu'),
  }));
}

/** "12.3×", "0.87×", or "–". */
export function formatRatio(v: number | null): string {
  if (v === null) return '–';
  return `${v >= 10 ? v.toFixed(1) : v.toFixed(2)}×`;
}

/** "1.23 ms", "45.6 ms", "1.2 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms >= 10 ? ms.toFixed(1) : ms.toFixed(3)} ms`;
}

export function formatKiB(bits: number): string {
  return `${(bits / 8 / 1024).toFixed(1)} KiB`;
}
