import { matchPreset } from '../../bnn/config';
import { budgetHint } from '../../bnn/train/budget';
import { useShallow } from 'zustand/react/shallow';
import { useRuns, type RunRecord } from '../../state/runs';

/**
 * A hint under Steps when the budget is too short for the network to learn (bnn/train/budget.ts),
 * with what a matching example run reached by that step and at its end, when one is shown.
 */
export function BudgetNote() {
  const draft = useRuns((s) => s.draft);
  const examples = useRuns(useShallow((s) => s.runs.filter((r) => r.example)));
  const setDraft = useRuns((s) => s.setDraft);
  const hint = Number.isFinite(draft.steps) && Number.isFinite(draft.batchSize) ? budgetHint(draft) : null;
  if (!hint) return null;
  const similar = examples.filter((r) => r.config.dataset === draft.dataset && r.config.precision === draft.precision && r.evals.length > 1);
  const example = similar.find((r) => matchPreset(r.config) === matchPreset(draft)) ?? similar[0];
  return (
    <p className="hint budget-hint" data-testid="budget-hint">
      {hint.text} {example && evidence(example, draft.steps)}{' '}
      <button type="button" className="link-button" onClick={() => setDraft({ steps: hint.suggestedSteps })} data-testid="budget-use-steps">
        Use {hint.suggestedSteps} steps
      </button>
    </p>
  );
}

function evidence(r: RunRecord, steps: number): string {
  const at = [...r.evals].reverse().find((e) => e.step <= steps) ?? r.evals[0];
  const end = r.evals.at(-1)!;
  const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
  return `The ${r.name.split(' · ')[0]} example (batch ${r.config.batchSize}) was at ${pct(at.testAccuracy)} after ${at.step} steps and ${pct(end.testAccuracy)} after ${end.step}.`;
}
