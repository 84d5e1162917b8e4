import { checkTeacherCompatible } from '../../bnn/train/teacher-compatible';
import { useRuns } from '../../state/runs';

/** Pick a finished full-precision run of the same architecture as the distillation teacher. */
export function TeacherField() {
  const draft = useRuns((s) => s.draft);
  const runs = useRuns((s) => s.runs);
  const setDraft = useRuns((s) => s.setDraft);
  const finishedFp = runs.filter((r) => r.state === 'finished' && r.config.precision === 'full');
  const compatible = finishedFp.filter((r) => checkTeacherCompatible(draft, r.config) === null);
  if (compatible.length === 0) {
    const why = finishedFp.length
      ? `The finished full-precision runs do not match this architecture (${checkTeacherCompatible(draft, finishedFp[0].config)}).`
      : 'There is no finished full-precision run yet.';
    return (
      <p className="hint" data-testid="teacher-missing">
        No compatible teacher. {why} Train one with the FP preset, the same dataset, depth, width and recovery, then pick it here.
      </p>
    );
  }
  const value = compatible.some((r) => r.id === draft.teacherRunId) ? draft.teacherRunId! : '';
  return (
    <div className="field">
      <label htmlFor="teacher">Teacher run</label>
      <select id="teacher" data-testid="teacher" value={value} onChange={(e) => setDraft({ teacherRunId: e.target.value || null })}>
        <option value="">choose…</option>
        {compatible.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name} ({r.evals.length ? `${(100 * r.evals[r.evals.length - 1].testAccuracy).toFixed(1)}%` : 'no eval'})
          </option>
        ))}
      </select>
    </div>
  );
}
