import type { CaseResult, SuiteResult } from './types';

function fixed(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '–';
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** One case as a plain-text table: implementation, median ms, GOPS, speed-up of XNOR over it. */
export function formatCase(c: CaseResult): string {
  const lines = [`${c.title}  (${fixed(c.ops / 1e6, 1)} M ops)`];
  for (const impl of c.implementations) {
    const speedup = c.speedups.find((s) => s.versus === impl.id);
    const note = impl.id === c.reference ? 'reference' : speedup ? `XNOR ${fixed(speedup.value, 2)}× faster` : impl.role === 'part' ? 'part of XNOR time' : '';
    lines.push(
      `  ${pad(impl.label, 22)} ${pad(fixed(impl.medianMs, 3), 10, true)} ms ${pad(fixed(impl.gops, 2), 8, true)} GOPS   ${note}`,
    );
  }
  return lines.join('\n');
}

/** How the suite was measured, where, and how long it took. */
export function formatSettings(result: SuiteResult): string {
  const s = result.settings;
  const env = Object.entries(result.environment).map(([k, v]) => `${k}=${v}`).join(' ');
  return [
    `${result.suite} benchmark${result.quick ? ' (quick)' : ''}: ${s.rounds} rounds × ${s.samplesPerRound} samples, ` +
      `≥${s.minSampleMs} ms per sample, ${s.warmupMs} ms warm-up; medians; speed-ups paired per round`,
    env,
    `total ${fixed(result.durationMs / 1000, 1)} s`,
  ].join('\n');
}
