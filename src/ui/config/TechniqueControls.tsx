import type { RunConfig } from '../../bnn/config';
import { MODEL_TECHNIQUES } from '../../bnn/model-techniques';
import type { Paper, TechniqueInfo, TechniqueSetting } from '../../bnn/papers';
import { ESTIMATORS, WEIGHT_TRANSFORMS, getEstimator, type EstimatorName } from '../../bnn/quantizers/registry';
import { useRuns } from '../../state/runs';
import { Fieldset, NumberField, SelectField, ToggleField } from './fields';
import { TeacherField } from './TeacherField';
import { scaleCancelNote } from '../ablation/scale-note';

type Draft = RunConfig;
type SetDraft = (patch: Partial<RunConfig>) => void;

/** One control of a technique: whether it is on, and what switching it does. */
interface Control {
  info: TechniqueInfo;
  on: (d: Draft) => boolean;
  set: (d: Draft, on: boolean) => Partial<RunConfig>;
  /** Only meaningful for binary runs. */
  binaryOnly: boolean;
  /** A select instead of a toggle (recovery: off / full / compact). */
  select?: { value: (d: Draft) => string; options: readonly { value: string; label: string }[]; key: keyof RunConfig };
  /** A weight transform whose per-channel scale the following BN cancels (shown while it is on). */
  note?: string | null;
}

/** Weight transforms toggle against plain sign(w); estimators against the clipped STE, paired as the official codes pair them. */
function controls(): Control[] {
  const out: Control[] = [];
  for (const t of Object.values(WEIGHT_TRANSFORMS)) {
    if (t.name === 'none') continue;
    out.push({ info: t, binaryOnly: true, on: (d) => d.weightTransform === t.name, set: (_, on) => ({ weightTransform: on ? t.name : 'none' }), note: scaleCancelNote(t.name, true) });
  }
  for (const e of Object.values(ESTIMATORS)) {
    if (e.name === 'ste') continue;
    const weights = (('officialWeightEstimator' in e ? e.officialWeightEstimator : e.name) ?? e.name) as EstimatorName;
    out.push({
      info: e,
      binaryOnly: true,
      on: (d) => d.activationEstimator === e.name,
      set: (_, on) => (on ? { activationEstimator: e.name, weightEstimator: weights } : { activationEstimator: 'ste', weightEstimator: 'ste' }),
    });
  }
  const m = MODEL_TECHNIQUES;
  out.push({ info: m.restriction, binaryOnly: false, on: (d) => d.restriction, set: (_, on) => ({ restriction: on }) });
  out.push({
    info: m.recovery,
    binaryOnly: false,
    on: (d) => d.recovery !== 'off',
    set: (_, on) => ({ recovery: on ? 'compact' : 'off' }),
    select: {
      key: 'recovery',
      value: (d) => d.recovery,
      options: [
        { value: 'off', label: 'off' },
        { value: 'full', label: 'full (1×1 conv)' },
        { value: 'compact', label: 'compact (Ghost)' },
      ],
    },
  });
  out.push({ info: m.rsign, binaryOnly: false, on: (d) => d.rsign, set: (_, on) => ({ rsign: on }) });
  out.push({ info: m.rprelu, binaryOnly: false, on: (d) => d.blockActivation === 'rprelu', set: (_, on) => ({ blockActivation: on ? 'rprelu' : 'hardtanh' }) });
  out.push({ info: m.distill, binaryOnly: true, on: (d) => d.distill, set: (_, on) => ({ distill: on }) });
  out.push({ info: m.kd, binaryOnly: true, on: (d) => d.kd, set: (_, on) => ({ kd: on }) });
  return out;
}

const CONTROLS = controls();
/** Papers in the order their first technique appears. */
const PAPER_ORDER: Paper[] = CONTROLS.map((c) => c.info.paper).filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i);

/** The technique toggles grouped by paper, rendered from the registries, with each one's settings while it is on. */
export function TechniqueControls() {
  const draft = useRuns((s) => s.draft);
  const setDraft = useRuns((s) => s.setDraft);
  const binary = draft.precision === 'binary';
  return (
    <>
      {PAPER_ORDER.map((paper) => {
        const mine = CONTROLS.filter((c) => c.info.paper.id === paper.id);
        const legend = `${paper.short}${mine.some((c) => c.info.ourReading) ? ', our reading' : ''}`;
        return (
          <Fieldset key={paper.id} legend={legend} title={paper.citation}>
            {mine.map((c) => (
              <TechniqueControl key={c.info.name} control={c} draft={draft} setDraft={setDraft} binary={binary} />
            ))}
          </Fieldset>
        );
      })}
      {(draft.distill || draft.kd) && <TeacherField />}
    </>
  );
}

function TechniqueControl({ control: c, draft, setDraft, binary }: { control: Control; draft: Draft; setDraft: SetDraft; binary: boolean }) {
  const disabled = c.binaryOnly && !binary;
  const on = c.on(draft);
  const formula = `${c.info.formula}\n— ${c.info.paper.citation}`;
  const settings = on ? activeSettings(c, draft) : [];
  return (
    <>
      {c.select ? (
        <SelectField
          label={c.info.label}
          value={c.select.value(draft)}
          options={c.select.options}
          onChange={(v) => setDraft({ [c.select!.key]: v } as Partial<RunConfig>)}
          testId={c.info.name}
          explain={c.info.explain}
          formula={formula}
        />
      ) : (
        <ToggleField
          label={c.info.label}
          explain={c.info.explain}
          formula={formula}
          checked={on}
          disabled={disabled}
          onChange={(v) => setDraft(c.set(draft, v))}
          testId={c.info.name === 'rbd' ? 'distill' : c.info.name}
          note={c.note}
        />
      )}
      {settings.map((s) => (
        <Setting key={s.key} setting={s} draft={draft} setDraft={setDraft} />
      ))}
    </>
  );
}

/** A technique's settings; an estimator's also while it is the weights' estimator; recovery's ratio only for compact. */
function activeSettings(c: Control, draft: Draft): readonly TechniqueSetting[] {
  if (c.info.name === 'recovery' && draft.recovery !== 'compact') return [];
  return c.info.settings ?? [];
}

/** Settings of the weights' estimator when it differs from the activations' (their t/k fields otherwise show once). */
export function weightEstimatorSettings(draft: Draft): readonly TechniqueSetting[] {
  if (draft.weightEstimator === draft.activationEstimator) return [];
  const shown = new Set((getEstimator(draft.activationEstimator).settings ?? []).map((s) => s.key));
  return (getEstimator(draft.weightEstimator).settings ?? []).filter((s) => !shown.has(s.key));
}

export function Setting({ setting: s, draft, setDraft }: { setting: TechniqueSetting; draft: Draft; setDraft: SetDraft }) {
  const key = s.key as keyof RunConfig;
  if (s.kind === 'toggle') {
    return <ToggleField label={s.label} checked={draft[key] === true} onChange={(v) => setDraft({ [key]: v } as Partial<RunConfig>)} explain={s.explain ?? ''} testId={s.testId} />;
  }
  return (
    <NumberField
      label={s.label}
      value={draft[key] as number}
      min={s.min}
      max={s.max}
      step={s.step}
      onChange={(v) => setDraft({ [key]: v } as Partial<RunConfig>)}
      testId={s.testId}
    />
  );
}
