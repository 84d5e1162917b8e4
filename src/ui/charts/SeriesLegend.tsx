/** One entry of a chart legend. */
export interface LegendItem {
  id: string;
  label: string;
  color: string;
  /** Drawn dashed (example runs). */
  dashed?: boolean;
  /** The full name, when the label is shortened. */
  title?: string;
}

/**
 * A legend of toggle buttons: each entry is a Tab stop and Enter or Space hides or shows its
 * series (aria-pressed says which), so the legend works by keyboard as by mouse.
 */
export function SeriesLegend(props: { label: string; items: readonly LegendItem[]; hidden: ReadonlySet<string>; onToggle: (id: string) => void; testId?: string; shared?: readonly string[] }) {
  return (
    <ul className="legend" aria-label={props.label} data-testid={props.testId}>
      {props.shared && props.shared.length > 0 && <li className="legend-shared muted">all: {props.shared.join(' · ')}</li>}
      {props.items.map((it) => {
        const shown = !props.hidden.has(it.id);
        return (
          <li key={it.id}>
            <button
              type="button"
              className={shown ? 'legend-item' : 'legend-item off'}
              aria-pressed={shown}
              onClick={() => props.onToggle(it.id)}
              title={`${shown ? 'hide' : 'show'} ${it.title ?? it.label}`}
              data-testid="legend-item"
            >
              <svg width="18" height="8" aria-hidden="true" className="legend-line">
                <line x1="1" y1="4" x2="17" y2="4" stroke={it.color} strokeWidth="2.5" strokeDasharray={it.dashed ? '4 2' : undefined} />
              </svg>
              {it.label}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** Toggles an id in a set (for the legends' hidden series). */
export function toggled(set: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}
