import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem<T extends string> {
  id: T;
  label: string;
}

/**
 * A WAI-ARIA tab list: one Tab stop (the selected tab), arrow keys move between tabs (Home and
 * End to the ends) and select as they move, each tab controls the panel rendered by TabPanel.
 */
export function Tabs<T extends string>(props: { label: string; tabs: readonly TabItem<T>[]; value: T; onChange: (v: T) => void; testIdPrefix: string; panelId: string }) {
  const base = useId();
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const move = (e: KeyboardEvent<HTMLButtonElement>, i: number): void => {
    const n = props.tabs.length;
    const to = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? (i + 1) % n : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? (i - 1 + n) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    const t = props.tabs[to].id;
    props.onChange(t);
    refs.current.get(t)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={props.label}>
      {props.tabs.map((t, i) => {
        const selected = t.id === props.value;
        return (
          <button
            key={t.id}
            ref={(el) => {
              if (el) refs.current.set(t.id, el);
              else refs.current.delete(t.id);
            }}
            id={`${base}-${t.id}`}
            type="button"
            role="tab"
            aria-selected={selected}
            aria-controls={props.panelId}
            tabIndex={selected ? 0 : -1}
            className={selected ? 'tab active' : 'tab'}
            onClick={() => props.onChange(t.id)}
            onKeyDown={(e) => move(e, i)}
            data-testid={`${props.testIdPrefix}-${t.id}`}
          >
            {t.label}
          </button>
        );
      })}
    </div>
  );
}

/** The panel of a Tabs list (the selected tab's content). */
export function TabPanel(props: { id: string; label: string; className?: string; children: ReactNode }) {
  return (
    <div id={props.id} role="tabpanel" aria-label={props.label} className={props.className} tabIndex={0}>
      {props.children}
    </div>
  );
}
