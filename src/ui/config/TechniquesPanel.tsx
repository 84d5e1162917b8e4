import { useRuns } from '../../state/runs';
import { TechniqueControls } from './TechniqueControls';

/** The second column: every technique from the registries, grouped by paper. */
export function TechniquesPanel() {
  const binary = useRuns((s) => s.draft.precision === 'binary');
  return (
    <section className="techniques panel" aria-labelledby="techniques-heading">
      <h2 id="techniques-heading">Techniques</h2>
      <p className="muted small">
        Grouped by paper; each toggle's formula is one click away.{binary ? '' : ' The quantizers apply to binary runs only.'}
      </p>
      <TechniqueControls />
    </section>
  );
}
