import { PRESETS, applyPreset, matchPreset, type PresetName } from '../../bnn/config';
import { useRuns } from '../../state/runs';

/** One click sets the technique toggles of a paper's method; every toggle stays editable. */
export function PresetBar() {
  const draft = useRuns((s) => s.draft);
  const setDraft = useRuns((s) => s.setDraft);
  const active = matchPreset(draft);
  return (
    <div className="presets" role="group" aria-label="Presets">
      {(Object.keys(PRESETS) as PresetName[]).map((name) => (
        <button
          key={name}
          type="button"
          aria-pressed={active === name}
          className={active === name ? 'preset active' : 'preset'}
          data-testid={`preset-${name}`}
          onClick={() => setDraft(applyPreset(draft, name))}
        >
          {PRESETS[name].label}
        </button>
      ))}
    </div>
  );
}
