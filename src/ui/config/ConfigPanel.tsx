import { useRuns } from '../../state/runs';
import { DATASETS, DATASET_NAMES } from '../../data/catalog';
import type { RunConfig } from '../../bnn/config';
import { Fieldset, NumberField, SelectField, ToggleField } from './fields';
import { PresetBar } from './PresetBar';
import { HELP } from './techniques';
import { TeacherField } from './TeacherField';

const DATASET_CHOICES = DATASET_NAMES.map((value) => ({ value, label: DATASETS[value].label }));
const ESTIMATOR_CHOICES = [
  { value: 'ste', label: 'STE (clipped)' },
  { value: 'approxsign', label: 'ApproxSign' },
  { value: 'ede', label: 'EDE' },
  { value: 'dte', label: 'DTE' },
] as const;
const DEPTHS = [8, 14, 20].map((d) => ({ value: d as RunConfig['depth'], label: `ResNet-${d}` }));
const WIDTHS = [8, 16, 32].map((w) => ({ value: w as RunConfig['width'], label: `${w}` }));
const BACKENDS = [
  { value: 'webgl', label: 'WebGL' },
  { value: 'wasm', label: 'WebAssembly (SIMD)' },
  { value: 'cpu', label: 'CPU (plain JS)' },
] as const;
const OPTIMIZERS = [
  { value: 'adam', label: 'Adam' },
  { value: 'sgd', label: 'SGD + momentum' },
] as const;
const RECOVERY = [
  { value: 'off', label: 'off' },
  { value: 'full', label: 'full (1×1 conv)' },
  { value: 'compact', label: 'compact (Ghost)' },
] as const;

/** The next run's configuration: presets, the techniques grouped by paper, and training settings. */
export function ConfigPanel() {
  const draft = useRuns((s) => s.draft);
  const setDraft = useRuns((s) => s.setDraft);
  const startRun = useRuns((s) => s.startRun);
  const formError = useRuns((s) => s.formError);
  const binary = draft.precision === 'binary';
  const scheduled = (e: RunConfig['activationEstimator']) => e === 'ede' || e === 'dte';
  const tk = scheduled(draft.activationEstimator) || scheduled(draft.weightEstimator);
  const usesDte = draft.activationEstimator === 'dte' || draft.weightEstimator === 'dte';

  /** A weight transform or estimator toggle: on selects it, off falls back to the plain one. */
  const transform = (name: RunConfig['weightTransform']) => ({
    checked: draft.weightTransform === name,
    disabled: !binary,
    onChange: (on: boolean) => setDraft({ weightTransform: on ? name : 'none' }),
  });
  /** As the official codes pair them: ApproxSign on activations keeps the clipped STE on weights. */
  const estimator = (name: RunConfig['activationEstimator']) => ({
    checked: draft.activationEstimator === name,
    disabled: !binary,
    onChange: (on: boolean) =>
      setDraft(on ? { activationEstimator: name, weightEstimator: name === 'approxsign' ? 'ste' : name } : { activationEstimator: 'ste', weightEstimator: 'ste' }),
  });
  const help = (k: keyof typeof HELP) => ({ label: HELP[k].label, explain: HELP[k].explain, formula: `${HELP[k].formula}\n— ${HELP[k].paper}` });

  return (
    <form
      className="config"
      aria-label="Run configuration"
      onSubmit={(e) => {
        e.preventDefault();
        startRun();
      }}
    >
      <PresetBar />
      <Fieldset legend="Data and model">
        <SelectField label="Dataset" value={draft.dataset} options={DATASET_CHOICES} onChange={(dataset) => setDraft({ dataset })} testId="dataset" />
        <SelectField label="Depth" value={draft.depth} options={DEPTHS} onChange={(depth) => setDraft({ depth })} testId="depth" />
        <SelectField label="Width w (stages w, 2w, 4w)" value={draft.width} options={WIDTHS} onChange={(width) => setDraft({ width })} testId="width" />
        <ToggleField
          label="Binarize (1-bit weights and activations)"
          checked={binary}
          onChange={(on) => setDraft({ precision: on ? 'binary' : 'full' })}
          explain="Off trains the same network in full precision: the baseline and the teacher for distillation."
          testId="binary"
        />
      </Fieldset>

      <Fieldset legend="Baselines">
        <ToggleField {...help('xnor')} {...transform('xnor')} testId="xnor" />
        <ToggleField {...help('approxsign')} {...estimator('approxsign')} testId="approxsign" />
      </Fieldset>

      <Fieldset legend="IR-Net (Qin et al., CVPR 2020)">
        <ToggleField {...help('librapb')} {...transform('librapb')} testId="librapb" />
        <ToggleField {...help('ede')} {...estimator('ede')} testId="ede" />
        {tk && (
          <>
            <NumberField label="Tmin" value={draft.tMin} min={0} max={1} onChange={(tMin) => setDraft({ tMin })} testId="tmin" />
            <NumberField label="Tmax" value={draft.tMax} min={1} onChange={(tMax) => setDraft({ tMax })} testId="tmax" />
            <ToggleField
              label="Step t once per epoch"
              checked={draft.tkPerEpoch}
              onChange={(tkPerEpoch) => setDraft({ tkPerEpoch })}
              explain="The paper's schedule; off updates t continuously every step."
            />
          </>
        )}
      </Fieldset>

      <Fieldset legend="IR2Net (Xue et al., 2022)">
        <ToggleField {...help('restriction')} checked={draft.restriction} onChange={(restriction) => setDraft({ restriction })} testId="restriction" />
        {draft.restriction && (
          <NumberField label="λ (mask threshold × mean)" value={draft.restrictionLambda} min={0} max={10} onChange={(restrictionLambda) => setDraft({ restrictionLambda })} testId="lambda" />
        )}
        <SelectField
          label={HELP.recovery.label}
          value={draft.recovery}
          options={RECOVERY}
          onChange={(recovery) => setDraft({ recovery })}
          testId="recovery"
          hint={`${HELP.recovery.explain} ${HELP.recovery.formula}`}
        />
        {draft.recovery === 'compact' && (
          <NumberField label="Ghost ratio" value={draft.recoveryRatio} min={2} max={8} step={1} onChange={(recoveryRatio) => setDraft({ recoveryRatio })} testId="ratio" />
        )}
      </Fieldset>

      <Fieldset legend="DIR-Net (Qin et al., IJCV 2023), our reading">
        <ToggleField {...help('imb')} {...transform('imb')} testId="imb" />
        <ToggleField {...help('dte')} {...estimator('dte')} testId="dte" />
        {usesDte && (
          <NumberField label="Stage switch p" value={draft.pSwitch} min={0.05} max={0.95} onChange={(pSwitch) => setDraft({ pSwitch })} testId="pswitch" />
        )}
        <ToggleField {...help('rbd')} checked={draft.distill} disabled={!binary} onChange={(distill) => setDraft({ distill })} testId="distill" />
        {draft.distill && <NumberField label="β" value={draft.distillBeta} min={0} onChange={(distillBeta) => setDraft({ distillBeta })} testId="beta" />}
      </Fieldset>

      <Fieldset legend="Distillation (any preset)">
        <ToggleField
          label="Logit KD from a full-precision run"
          checked={draft.kd}
          disabled={!binary}
          onChange={(kd) => setDraft({ kd })}
          explain="Also match a finished FP run's softened logits (Hinton et al.): loss = CE + τ²·KL(p_T ‖ p_S)."
          testId="kd"
        />
        {draft.kd && <NumberField label="Temperature τ" value={draft.kdTau} min={0.5} max={20} onChange={(kdTau) => setDraft({ kdTau })} testId="tau" />}
        {(draft.distill || draft.kd) && <TeacherField />}
      </Fieldset>

      <Fieldset legend="Training">
        <SelectField label="Optimizer" value={draft.optimizer} options={OPTIMIZERS} onChange={(optimizer) => setDraft({ optimizer })} testId="optimizer" />
        <NumberField label="Learning rate, full-precision parts" value={draft.lr} min={0} onChange={(lr) => setDraft({ lr })} testId="lr" />
        <NumberField label="Learning rate, binary latent weights" value={draft.latentLr} min={0} onChange={(latentLr) => setDraft({ latentLr })} testId="latent-lr" />
        <NumberField label="Latent init (× He std)" value={draft.latentInitScale} min={0} max={10} onChange={(latentInitScale) => setDraft({ latentInitScale })} testId="latent-init" />
        <NumberField label="Warm-up steps (then cosine to 0)" value={draft.warmupSteps} min={0} step={1} onChange={(warmupSteps) => setDraft({ warmupSteps })} testId="warmup" />
        <NumberField label="Weight decay (FP weights; AdamW)" value={draft.weightDecay} min={0} max={0.1} onChange={(weightDecay) => setDraft({ weightDecay })} testId="weight-decay" />
        <SelectField label="Activation estimator" value={draft.activationEstimator} options={ESTIMATOR_CHOICES} onChange={(activationEstimator) => setDraft({ activationEstimator })} testId="activation-estimator" />
        <SelectField label="Weight estimator" value={draft.weightEstimator} options={ESTIMATOR_CHOICES} onChange={(weightEstimator) => setDraft({ weightEstimator })} testId="weight-estimator" />
        <NumberField label="Batch size" value={draft.batchSize} min={1} max={512} step={1} onChange={(batchSize) => setDraft({ batchSize })} testId="batch" />
        <NumberField label="Steps" value={draft.steps} min={1} step={1} onChange={(steps) => setDraft({ steps })} testId="steps" />
        <NumberField label="Evaluate every (steps)" value={draft.evalEvery} min={1} step={1} onChange={(evalEvery) => setDraft({ evalEvery })} testId="eval-every" />
        <NumberField label="Test images per evaluation (0 = all)" value={draft.evalLimit} min={0} step={1} onChange={(evalLimit) => setDraft({ evalLimit })} testId="eval-limit" />
        <NumberField
          label="BN calibration images (0 = moving averages)"
          value={draft.bnCalibration}
          min={0}
          step={1}
          onChange={(bnCalibration) => setDraft({ bnCalibration })}
          testId="bn-calibration"
        />
        <NumberField label="Seed" value={draft.seed} min={0} step={1} onChange={(seed) => setDraft({ seed })} testId="seed" />
        <SelectField label="Backend" value={draft.backend} options={BACKENDS} onChange={(backend) => setDraft({ backend })} testId="backend" />
      </Fieldset>

      {formError && (
        <p className="error" role="alert" data-testid="form-error">
          {formError}
        </p>
      )}
      <button type="submit" className="primary" data-testid="start">
        Train
      </button>
    </form>
  );
}
