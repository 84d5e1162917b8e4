/**
 * Plain-text table of the training-step benchmark (`npm run bench:train`, bench-train.html):
 * rows = variants and ratios per depth, columns = where it ran (Node wasm, Chromium webgl, …).
 */
import type { StepBenchResult } from '../bnn/train/step-bench';
import { STEP_VARIANT_LABELS, type StepVariantId } from '../bnn/train/step-bench-variants';

export interface BenchColumn {
  /** e.g. 'Node wasm', 'Chromium webgl'. */
  title: string;
  result?: StepBenchResult;
  /** The whole column failed (e.g. the backend did not start). */
  error?: string;
}

/** Goals of the issue: binarized/FP ≤ 1.3, ours/tf.layers ≤ 1.0. */
export const GOALS = { binaryOverFp: 1.3, oursOverLayers: 1.0 } as const;

const VARIANT_ORDER: readonly StepVariantId[] = ['binary', 'fp', 'layers', 'layersIm2col'];

function fmtMs(ms: number): string {
  return ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms.toFixed(1);
}

function fmtRatio(r: number | null, goal?: number): string {
  if (r === null) return 'n/a';
  const text = `${r.toFixed(2)}x`;
  if (goal === undefined) return text;
  return `${text} ${r <= goal ? 'ok' : 'over'}`;
}

/** The table and its notes, as lines of text. */
export function formatStepBenchTable(columns: readonly BenchColumn[]): string {
  const depths = [...new Set(columns.flatMap((c) => c.result?.depths.map((d) => d.depth) ?? []))].sort((a, b) => a - b);
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
  const rows: string[][] = [];
  const header = ['ms per training step (median)', ...columns.map((c) => c.title)];
  for (const depth of depths) {
    const per = columns.map((c) => c.result?.depths.find((d) => d.depth === depth));
    const variants = VARIANT_ORDER.filter((v) => per.some((d) => d?.variants.some((t) => t.variant === v)));
    variants.forEach((v, i) => {
      const label = `${i === 0 ? `ResNet-${depth}` : ''}`.padEnd(11) + STEP_VARIANT_LABELS[v];
      rows.push([
        label,
        ...columns.map((c, j) => {
          if (c.error) return `failed ${note(`${c.title}: ${c.error}`)}`;
          const t = per[j]?.variants.find((x) => x.variant === v);
          if (!t) return '';
          if (t.msPerStep !== null) return fmtMs(t.msPerStep);
          if (t.skipped) return `- ${note(`not needed: ${t.skipped}`)}`;
          return `n/a ${note(`n/a: ${t.unavailable ?? 'no samples'}`)}`;
        }),
      ]);
    });
    const ratioRow = (label: string, pick: (d: NonNullable<(typeof per)[number]>) => number | null, goal?: number, layers = false) => {
      rows.push([
        ' '.repeat(11) + label,
        ...per.map((d) => {
          if (!d) return '';
          const text = fmtRatio(pick(d), goal);
          if (layers && d.ratios.layersVariant === 'layersIm2col' && pick(d) !== null) {
            return `${text} ${note(`against "${STEP_VARIANT_LABELS.layersIm2col}": the plain tf.layers model cannot train on this backend`)}`;
          }
          return text;
        }),
      ]);
    };
    ratioRow(`binarized / FP (goal <= ${GOALS.binaryOverFp})`, (d) => d.ratios.binaryOverFp, GOALS.binaryOverFp);
    ratioRow(`ours FP / tf.layers (goal <= ${GOALS.oursOverLayers})`, (d) => d.ratios.fpOverLayers, GOALS.oursOverLayers, true);
    ratioRow(`ours binarized / tf.layers`, (d) => d.ratios.binaryOverLayers, undefined, true);
  }
  const table = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const settings = columns
    .filter((c) => c.result)
    .map((c) => {
      const s = (c.result as StepBenchResult).settings;
      const left = (c.result as StepBenchResult).tensorDelta;
      const leak = left !== 0 ? `; tf.memory().numTensors ${left > 0 ? '+' : ''}${left} after the suite` : '';
      return `${c.title}: ${s.rounds} rounds x ${s.stepsPerSample} step(s) after ${s.warmupRounds} warm-up round(s)${leak}`;
    });
  const first = columns.find((c) => c.result)?.result?.settings;
  if (first) {
    out.push(
      '',
      `ResNet w=${first.width}, batch ${first.batchSize}, ${first.dataset}; ratios are medians of within-round ratios (variants interleaved, order rotated each round).`,
      ...settings,
    );
  }
  if (notes.length > 0) out.push('', ...notes.map((n, i) => `[${i + 1}] ${n}`));
  return out.join('\n');
}
