/**
 * Plain-text table of the training-step benchmark (`npm run bench:train`, bench-train.html):
 * rows = variants and ratios per depth; columns = where it ran (Node wasm, Browser wasm with all
 * threads and with one, Browser webgl, Browser webgpu), each as ms per step, ms per forward pass
 * and step/forward, plus the speed-up of wasm's threads over one thread.
 */
import type { StepBenchResult, VariantTiming } from './step-bench';
import { STEP_VARIANT_LABELS, type StepVariantId } from './step-bench-variants';

export interface BenchColumn {
  /** e.g. 'Node wasm, 1 thread', 'Browser webgl'. */
  title: string;
  result?: StepBenchResult;
  /** The whole column failed (e.g. the backend did not start). */
  error?: string;
  /** The backend is not present here (no WebGPU adapter): only a note, no column. */
  absent?: string;
  /**
   * A derived column: how many times faster the column titled `fast` is than the one titled
   * `slow` (wasm with all threads against one), as medians of within-round ratios. The two ran in
   * lockstep, round by round, so their samples pair up.
   */
  speedup?: { fast: string; slow: string };
}

/** Goals of the issue: binarized/FP ≤ 1.3, ours/tf.layers ≤ 1.0, threads ≥ 1.6× one thread. */
export const GOALS = { binaryOverFp: 1.3, oursOverLayers: 1.0, threadSpeedup: 1.6 } as const;

const VARIANT_ORDER: readonly StepVariantId[] = ['binary', 'fp', 'layers', 'layersIm2col'];

function fmtMs(ms: number): string {
  return ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms.toFixed(1);
}

function fmtRatio(r: number | null, goal?: number, atLeast = false): string {
  if (r === null) return 'n/a';
  const text = `${r.toFixed(2)}x`;
  if (goal === undefined) return text;
  const ok = atLeast ? r >= goal : r <= goal;
  return `${text} ${ok ? 'ok' : atLeast ? 'under' : 'over'}`;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median over rounds of slow / fast within the round (null without paired samples). */
export function pairedSpeedup(fast: readonly number[], slow: readonly number[]): number | null {
  const n = Math.min(fast.length, slow.length);
  return median(Array.from({ length: n }, (_, i) => slow[i] / fast[i]));
}

/** The table and its notes, as lines of text. */
export function formatStepBenchTable(columns: readonly BenchColumn[]): string {
  const shown = columns.filter((c) => c.absent === undefined);
  const byTitle = new Map(columns.map((c) => [c.title, c]));
  const depths = [...new Set(shown.flatMap((c) => c.result?.depths.map((d) => d.depth) ?? []))].sort((a, b) => a - b);
  const notes: string[] = [];
  const noteIndex = new Map<string, number>();
  const note = (text: string): string => {
    let i = noteIndex.get(text);
    if (i === undefined) {
      notes.push(text);
      i = notes.length;
      noteIndex.set(text, i);
    }
    return `[${i}]`;
  };
  /** Sub-column headers of a column. */
  const subs = (c: BenchColumn): string[] => (c.speedup ? ['step', 'forward'] : ['ms/step', 'ms/fwd', 'step/fwd']);
  const timingOf = (c: BenchColumn | undefined, depth: number, v: StepVariantId): VariantTiming | undefined =>
    c?.result?.depths.find((d) => d.depth === depth)?.variants.find((t) => t.variant === v);

  const rows: string[][] = [];
  for (const depth of depths) {
    const present = (v: StepVariantId) => shown.some((c) => timingOf(c, depth, v));
    const variants = VARIANT_ORDER.filter(present);
    variants.forEach((v, i) => {
      const label = `${i === 0 ? `ResNet-${depth}` : ''}`.padEnd(11) + STEP_VARIANT_LABELS[v];
      const cells: string[] = [];
      for (const c of shown) {
        if (c.error) {
          cells.push(`failed ${note(`${c.title}: ${c.error}`)}`, ...subs(c).slice(1).map(() => ''));
          continue;
        }
        if (c.speedup) {
          const fast = timingOf(byTitle.get(c.speedup.fast), depth, v);
          const slow = timingOf(byTitle.get(c.speedup.slow), depth, v);
          if (!fast || !slow || fast.msPerStep === null || slow.msPerStep === null) {
            cells.push(fast || slow ? 'n/a' : '', '');
            continue;
          }
          cells.push(
            fmtRatio(pairedSpeedup(fast.samples, slow.samples), GOALS.threadSpeedup, true),
            fmtRatio(pairedSpeedup(fast.forwardSamples, slow.forwardSamples)),
          );
          continue;
        }
        const t = timingOf(c, depth, v);
        if (!t) {
          cells.push('', '', '');
        } else if (t.msPerStep !== null) {
          cells.push(fmtMs(t.msPerStep), t.msPerForward !== null ? fmtMs(t.msPerForward) : 'n/a', fmtRatio(t.stepOverForward));
        } else if (t.skipped) {
          cells.push(`- ${note(`not needed: ${t.skipped}`)}`, '', '');
        } else {
          cells.push(`n/a ${note(`n/a: ${t.unavailable ?? 'no samples'}`)}`, '', '');
        }
      }
      rows.push([label, ...cells]);
    });
    const ratioRow = (label: string, pick: (r: StepBenchResult['depths'][number]['ratios']) => number | null, goal?: number, layers = false) => {
      const cells: string[] = [];
      for (const c of shown) {
        const d = c.result?.depths.find((x) => x.depth === depth);
        if (!d) {
          cells.push(...subs(c).map(() => ''));
          continue;
        }
        let text = fmtRatio(pick(d.ratios), goal);
        if (layers && d.ratios.layersVariant === 'layersIm2col' && pick(d.ratios) !== null) {
          text += ` ${note(`against "${STEP_VARIANT_LABELS.layersIm2col}": the plain tf.layers model cannot train on this backend`)}`;
        }
        cells.push(text, '', '');
      }
      rows.push([' '.repeat(11) + label, ...cells]);
    };
    ratioRow(`binarized / FP, per step (goal <= ${GOALS.binaryOverFp})`, (r) => r.binaryOverFp, GOALS.binaryOverFp);
    ratioRow(`ours FP / tf.layers, per step (goal <= ${GOALS.oursOverLayers})`, (r) => r.fpOverLayers, GOALS.oursOverLayers, true);
    ratioRow(`ours binarized / tf.layers, per step`, (r) => r.binaryOverLayers, undefined, true);
  }

  // Two header lines: each column's title over its sub-columns.
  const subHeader = ['ms (median)', ...shown.flatMap(subs)];
  const table = [subHeader, ...rows];
  const widths = subHeader.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  let k = 1;
  for (const c of shown) {
    // Widen the sub-columns until the title fits over them.
    const n = subs(c).length;
    const span = () => widths.slice(k, k + n).reduce((a, b) => a + b, 0) + 2 * (n - 1);
    while (span() < c.title.length) widths[k + n - 1]++;
    k += n;
  }
  const titleLine = [''.padEnd(widths[0])];
  k = 1;
  for (const c of shown) {
    const n = subs(c).length;
    const span = widths.slice(k, k + n).reduce((a, b) => a + b, 0) + 2 * (n - 1);
    titleLine.push(c.title.padStart(span));
    k += n;
  }
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  const out = [titleLine.join('  ').trimEnd(), line(subHeader), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];

  const settings = shown
    .filter((c) => c.result)
    .map((c) => {
      const s = (c.result as StepBenchResult).settings;
      const left = (c.result as StepBenchResult).tensorDelta;
      const leak = left !== 0 ? `; tf.memory().numTensors ${left > 0 ? '+' : ''}${left} after the suite` : '';
      return `${c.title}: ${s.rounds} rounds x ${s.stepsPerSample} step(s) and as many forward passes, after ${s.warmupRounds} warm-up round(s)${leak}`;
    });
  const first = shown.find((c) => c.result)?.result?.settings;
  if (first) {
    out.push(
      '',
      `ResNet w=${first.width}, batch ${first.batchSize}, ${first.dataset}; ratios are medians of within-round ratios (variants interleaved, order rotated each round).`,
      'ms/fwd: the training-mode forward pass and loss of one batch, read back; step/fwd: what the backward pass and the update add.',
      ...settings,
    );
  }
  for (const c of shown.filter((x) => x.speedup)) {
    const { fast, slow } = c.speedup as { fast: string; slow: string };
    out.push(`${c.title}: "${slow}" time / "${fast}" time per round (the two ran in lockstep, round by round; goal >= ${GOALS.threadSpeedup} per step).`);
  }
  for (const c of columns.filter((x) => x.absent !== undefined)) out.push(`${c.title}: not present here (${c.absent}).`);
  if (notes.length > 0) out.push('', ...notes.map((n, i) => `[${i + 1}] ${n}`));
  return out.join('\n');
}
