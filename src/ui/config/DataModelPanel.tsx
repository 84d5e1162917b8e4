import { useId } from 'react';
import { useRuns } from '../../state/runs';
import { DATASETS, DATASET_NAMES } from '../../data/catalog';
import type { RunConfig } from '../../bnn/config';
import { ESTIMATORS } from '../../bnn/quantizers/registry';
import { Fieldset, NumberField, SelectField, ToggleField } from './fields';
import { PresetBar } from './PresetBar';
import { Setting, weightEstimatorSettings } from './TechniqueControls';
import { ModelLine } from './ModelLine';
import { BudgetNote } from './BudgetNote';

const DATASET_CHOICES = DATASET_NAMES.map((value) => ({ value, label: DATASETS[value].label }));
const ESTIMATOR_CHOICES = Object.values(ESTIMATORS).map((e) => ({ value: e.name, label: e.label }));
const DEPTHS = [8, 14, 20].map((d) => ({ value: d as RunConfig['depth'], label: `ResNet-${d}` }));
const WIDTHS = [8, 16, 32].map((w) => ({ value: w as RunConfig['width'], label: `${w}` }));
const BACKENDS = [
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'webgl', label: 'WebGL' },
  { value: 'wasm', label: 'WebAssembly (SIMD)' },
  { value: 'cpu', label: 'CPU (plain JS)' },
] as const;
const OPTIMIZERS = [
  { value: 'adam', label: 'Adam' },
  { value: 'sgd', label: 'SGD + momentum' },
] as const;

/** The id the page moves focus to when a run's settings are copied into the controls. */
export const CONFIG_HEADING_ID = 'config-heading';

/** The first column: presets, the data and the model, and the training settings of the next run. */
export function DataModelPanel() {
  const draft = useRuns((s) => s.draft);
  const setDraft = useRuns((s) => s.setDraft);
  const formError = useRuns((s) => s.formError);
  const notice = useRuns((s) => s.configNotice);
  const binary = draft.precision === 'binary';
  const moreId = useId();
  return (
    <section className="config panel" aria-labelledby={CONFIG_HEADING_ID}>
      <h2 id={CONFIG_HEADING_ID} tabIndex={-1}>
        Data and model
      </h2>
      <p className="config-notice" role="status" data-testid="config-notice">
        {notice}
      </p>
      <PresetBar />
      <SelectField label="Dataset" value={draft.dataset} options={DATASET_CHOICES} onChange={(dataset) => setDraft({ dataset })} testId="dataset" />
      <div className="field-pair">
        <SelectField label="Depth" value={draft.depth} options={DEPTHS} onChange={(depth) => setDraft({ depth })} testId="depth" />
        <SelectField label="Width w" value={draft.width} options={WIDTHS} onChange={(width) => setDraft({ width })} testId="width" explain="The three stages have w, 2w and 4w channels." />
      </div>
      <ToggleField
        label="Binarize (1-bit weights and activations)"
        checked={binary}
        onChange={(on) => setDraft({ precision: on ? 'binary' : 'full' })}
        explain="Off trains the same network in full precision: the baseline and the teacher for distillation."
        testId="binary"
      />
      <ModelLine />
      <Fieldset legend="Training">
        <NumberField label="Steps" value={draft.steps} min={1} step={1} onChange={(steps) => setDraft({ steps })} testId="steps" />
        <BudgetNote />
        <NumberField label="Batch size" value={draft.batchSize} min={1} max={512} step={1} onChange={(batchSize) => setDraft({ batchSize })} testId="batch" />
        <NumberField label="Learning rate, full-precision parts" value={draft.lr} min={0} onChange={(lr) => setDraft({ lr })} testId="lr" />
        <NumberField label="Learning rate, binary latent weights" value={draft.latentLr} min={0} onChange={(latentLr) => setDraft({ latentLr })} testId="latent-lr" />
        <NumberField label="Seed" value={draft.seed} min={0} step={1} onChange={(seed) => setDraft({ seed })} testId="seed" />
        <SelectField label="Backend" value={draft.backend} options={BACKENDS} onChange={(backend) => setDraft({ backend })} testId="backend" />
        <details className="more" id={moreId}>
          <summary data-testid="more-settings">More settings: optimizer, estimators, evaluation</summary>
          <SelectField label="Optimizer" value={draft.optimizer} options={OPTIMIZERS} onChange={(optimizer) => setDraft({ optimizer })} testId="optimizer" />
          <NumberField label="Latent init (× He std)" value={draft.latentInitScale} min={0} max={10} onChange={(latentInitScale) => setDraft({ latentInitScale })} testId="latent-init" />
          <NumberField label="Warm-up steps (then cosine to 0)" value={draft.warmupSteps} min={0} step={1} onChange={(warmupSteps) => setDraft({ warmupSteps })} testId="warmup" />
          <NumberField label="Weight decay (FP weights; AdamW)" value={draft.weightDecay} min={0} max={0.1} onChange={(weightDecay) => setDraft({ weightDecay })} testId="weight-decay" />
          <SelectField label="Activation estimator" value={draft.activationEstimator} options={ESTIMATOR_CHOICES} onChange={(activationEstimator) => setDraft({ activationEstimator })} testId="activation-estimator" />
          <SelectField label="Weight estimator" value={draft.weightEstimator} options={ESTIMATOR_CHOICES} onChange={(weightEstimator) => setDraft({ weightEstimator })} testId="weight-estimator" />
          {weightEstimatorSettings(draft).map((s) => (
            <Setting key={s.key} setting={s} draft={draft} setDraft={setDraft} />
          ))}
          <NumberField label="Evaluate every (steps)" value={draft.evalEvery} min={1} step={1} onChange={(evalEvery) => setDraft({ evalEvery })} testId="eval-every" />
          <NumberField label="Test images per evaluation (0 = all)" value={draft.evalLimit} min={0} step={1} onChange={(evalLimit) => setDraft({ evalLimit })} testId="eval-limit" />
          <NumberField label="BN calibration images (0 = moving averages)" value={draft.bnCalibration} min={0} step={1} onChange={(bnCalibration) => setDraft({ bnCalibration })} testId="bn-calibration" />
        </details>
      </Fieldset>
      {formError && (
        <p className="error" role="alert" data-testid="form-error">
          {formError}
        </p>
      )}
    </section>
  );
}
