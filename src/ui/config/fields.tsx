import { useId, type ReactNode } from 'react';

/** An explanation and formula folded under a small "formula" toggle, one click from the control. */
function About({ explain, formula, label }: { explain?: string; formula?: string; label: string }) {
  if (!explain && !formula) return null;
  return (
    <details className="about">
      <summary aria-label={`${formula ? 'Formula' : 'About'}: ${label}`}>{formula ? 'formula' : 'about'}</summary>
      {explain && <p>{explain}</p>}
      {formula && <code>{formula}</code>}
    </details>
  );
}

/** A labelled <select> over a fixed list of options; the label sits above, so long options are not cut. */
export function SelectField<T extends string | number>(props: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (v: T) => void;
  testId?: string;
  explain?: string;
  formula?: string;
}) {
  const id = useId();
  const current = props.options.find((o) => o.value === props.value);
  return (
    <div className="field select-field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        data-testid={props.testId}
        value={String(props.value)}
        title={current?.label}
        onChange={(e) => {
          const opt = props.options.find((o) => String(o.value) === e.target.value);
          if (opt) props.onChange(opt.value);
        }}
      >
        {props.options.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
      <About explain={props.explain} formula={props.formula} label={props.label} />
    </div>
  );
}

/** A labelled number input that reports only finite numbers; Enter does nothing (it never starts a run). */
export function NumberField(props: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  min?: number;
  max?: number;
  step?: number | 'any';
  testId?: string;
  hint?: ReactNode;
}) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field number-field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        data-testid={props.testId}
        value={Number.isFinite(props.value) ? props.value : ''}
        min={props.min}
        max={props.max}
        step={props.step ?? 'any'}
        aria-describedby={props.hint ? hintId : undefined}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.preventDefault();
        }}
        onChange={(e) => {
          const v = e.target.valueAsNumber;
          props.onChange(Number.isFinite(v) ? v : NaN);
        }}
      />
      {props.hint && (
        <small id={hintId} className="hint">
          {props.hint}
        </small>
      )}
    </div>
  );
}

/** A labelled checkbox; its explanation and formula fold away under "formula". */
export function ToggleField(props: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  explain: string;
  formula?: string;
  testId?: string;
  disabled?: boolean;
  /** Shown under the toggle while it is on. */
  note?: string | null;
}) {
  const id = useId();
  return (
    <div className="toggle">
      <input
        id={id}
        type="checkbox"
        data-testid={props.testId}
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <label htmlFor={id} title={props.explain}>
        {props.label}
      </label>
      <About explain={props.explain} formula={props.formula} label={props.label} />
      {props.checked && props.note && <small className="hint toggle-note">{props.note}</small>}
    </div>
  );
}

export function Fieldset(props: { legend: string; title?: string; children: ReactNode }) {
  return (
    <fieldset>
      <legend title={props.title}>{props.legend}</legend>
      {props.children}
    </fieldset>
  );
}
