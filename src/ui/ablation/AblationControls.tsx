import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ESTIMATORS, WEIGHT_TRANSFORMS } from '../../bnn/quantizers/registry';
import { formatSeconds, useRuns, type RunRecord } from '../../state/runs';
import { estimateDuration } from '../../state/step-time';
import { AblationTable } from './AblationTable';

const GRID_TEXT = `{${WEIGHT_TRANSFORMS.none.label}, ${WEIGHT_TRANSFORMS.librapb.label}} × {${ESTIMATORS.ste.label}, ${ESTIMATORS.ede.label}}`;

/** One click queues the IR-Net ablation over some seeds; its table fills in as the runs finish. */
export function AblationControls() {
  const [withFp, setWithFp] = useState(true);
  const [seeds, setSeeds] = useState(3);
  const seedsId = useId();
  const queueAblation = useRuns((s) => s.queueAblation);
  // The grouped runs only; the table redraws when one of them changes.
  const runs = useRuns(useShallow((s) => s.runs.filter((r) => r.group && !r.example)));
  const draft = useRuns((s) => s.draft);
  const stepTimes = useRuns((s) => s.stepTimes);
  const count = (withFp ? 5 : 4) * seeds;
  const per = estimateDuration(draft, stepTimes);
  const groups = new Map<string, { label: string; runs: RunRecord[] }>();
  for (const r of runs) {
    if (!r.group) continue;
    const g = groups.get(r.group.id) ?? { label: r.group.label, runs: [] };
    g.runs.push(r);
    groups.set(r.group.id, g);
  }
  const last = [...groups.values()].at(-1);
  return (
    <section className="ablation panel" aria-label="Ablation">
      <h2>Ablation</h2>
      <div className="ablation-controls">
        <button type="button" onClick={() => queueAblation(withFp, seeds)} data-testid="queue-ablation">
          Run the IR-Net ablation
        </button>
        <label>
          <input type="checkbox" checked={withFp} onChange={(e) => setWithFp(e.target.checked)} data-testid="ablation-fp" /> include FP
        </label>
        <label htmlFor={seedsId}>seeds</label>
        <input
          id={seedsId}
          type="number"
          min={1}
          max={10}
          step={1}
          value={seeds}
          className="seeds"
          onChange={(e) => setSeeds(Math.max(1, Math.min(10, Math.round(e.target.valueAsNumber) || 1)))}
          data-testid="ablation-seeds"
        />
      </div>
      <p className="muted">
        {GRID_TEXT} on the current dataset, model and steps: {count} runs{per ? `, ≈ ${formatSeconds(count * per.seconds)} at ${per.msPerStep.toFixed(0)} ms/step measured here` : ''}.
      </p>
      {last && <AblationTable label={last.label} runs={last.runs} />}
    </section>
  );
}
