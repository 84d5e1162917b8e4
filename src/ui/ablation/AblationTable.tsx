import { MOVING_HEADER, SIGNIFICANCE, TABLE_HEADER, aggregateAblation, formatTableRow } from '../../bnn/train/ablation';
import type { RunRecord } from '../../state/runs';
import { ablationInputs } from './ablation-results';
import { scaleCancelNote } from './scale-note';

/**
 * One ablation group's table, aggregated by the same code as `npm run ablation`: accuracy
 * mean ± std over seeds, the 95% interval, the gap to FP, the difference to vanilla with
 * Welch's p ("n.s." when not significant), entropy, time, size and n. Rows whose runs have not
 * finished yet say how far they are.
 */
export function AblationTable({ label, runs }: { label: string; runs: readonly RunRecord[] }) {
  const { specs, results, rowOf } = ablationInputs(runs);
  const table = aggregateAblation(specs, results);
  const moving = table.some((r) => r.moving);
  const header: string[] = [...TABLE_HEADER, ...(moving ? MOVING_HEADER : [])];
  const finished = results.length;
  const seeds = Math.max(0, ...specs.map((s) => runs.filter((r) => rowOf(r) === s.id).length));
  const notSignificant = table.filter((r) => r.vsVanilla && r.vsVanilla.p >= SIGNIFICANCE);
  const significant = table.filter((r) => r.vsVanilla && r.vsVanilla.p < SIGNIFICANCE);
  const notes = [...new Set(specs.map((s) => (s.toggles.precision === 'binary' ? scaleCancelNote(s.toggles.weightTransform) : null)))].filter((n): n is string => n !== null);
  return (
    <div className="ablation-result">
      <div className="table-scroll">
        <table className="ablation-table" data-testid="ablation-table">
          <caption>
            {label} — {finished} of {runs.length} runs finished
          </caption>
          <thead>
            <tr>
              {header.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {specs.map((spec) => {
              const row = table.find((r) => r.id === spec.id);
              const mine = runs.filter((r) => rowOf(r) === spec.id);
              if (!row) {
                const states = [...new Set(mine.map((r) => r.state))].join(', ');
                return (
                  <tr key={spec.id} data-testid="ablation-row">
                    <th scope="row">{spec.label}</th>
                    <td data-testid="ablation-accuracy" colSpan={header.length - 1}>
                      {states}
                    </td>
                  </tr>
                );
              }
              const [name, accuracy, ...rest] = formatTableRow(row);
              return (
                <tr key={spec.id} data-testid="ablation-row" data-row={spec.id}>
                  <th scope="row">{name}</th>
                  <td data-testid="ablation-accuracy">{accuracy}</td>
                  {rest.map((cell, i) => (
                    <td key={i}>{cell}</td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted" data-testid="ablation-significance">
        {seeds < 2
          ? 'n = 1 seed per row: no interval and no test against vanilla (it takes two or more seeds to tell a difference from noise). '
          : `n = ${seeds} seeds per row; Welch's two-sided t-test against vanilla at α = ${SIGNIFICANCE}. `}
        {notSignificant.length > 0 && <>Not significant: {notSignificant.map((r) => r.label).join('; ')}. </>}
        {significant.length > 0 && <>Significant: {significant.map((r) => r.label).join('; ')}.</>}
      </p>
      {notes.map((n) => (
        <p key={n} className="muted scale-note" data-testid="scale-note">
          {n}
        </p>
      ))}
    </div>
  );
}
