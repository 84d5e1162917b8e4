import { useId, type ReactNode } from 'react';

/** A labelled <select> over a fixed list of options. */
export function SelectField<T extends string | number>(props: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (v: T) => void;
  testId?: string;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        data-testid={props.testId}
        value={String(props.value)}
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
      {props.hint && <small className="hint">{props.hint}</small>}
    </div>
  );
}

/** A labelled number input that reports only finite numbers. */
export function NumberField(props: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  min?: number;
  max?: number;
  step?: number | 'any';
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        data-testid={props.testId}
        value={Number.isFinite(props.value) ? props.value : ''}
        min={props.min}
        max={props.max}
        step={props.step ?? 'any'}
        onChange={(e) => {
          const v = e.target.valueAsNumber;
          props.onChange(Number.isFinite(v) ? v : NaN);
        }}
      />
    </div>
  );
}

/** A labelled checkbox with a one-line explanation and the formula on expand. */
export function ToggleField(props: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  explain: string;
  formula?: string;
  testId?: string;
  disabled?: boolean;
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
      <label htmlFor={id}>{props.label}</label>
      <small className="hint">{props.explain}</small>
      {props.formula && (
        <details className="formula">
          <summary>formula</summary>
          <code>{props.formula}</code>
        </details>
      )}
    </div>
  );
}

export function Fieldset(props: { legend: string; children: ReactNode }) {
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {props.children}
    </fieldset>
  );
}
