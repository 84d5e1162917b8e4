import { useRuns } from '../../state/runs';
import type { RunConfig } from '../../bnn/config';
import { Fieldset, NumberField, SelectField, ToggleField } from './fields';

const DATASETS = [
  { value: 'mnist', label: 'MNIST (28×28, real digits)' },
  { value: 'shapes', label: 'Synthetic shapes (32×32 colour)' },
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

/** The next run's configuration. */
export function ConfigPanel() {
  const draft = useRuns((s) => s.draft);
  const setDraft = useRuns((s) => s.setDraft);
  const startRun = useRuns((s) => s.startRun);
  const formError = useRuns((s) => s.formError);
  const binary = draft.precision === 'binary';

  return (
    <form
      className="config"
      aria-label="Run configuration"
      onSubmit={(e) => {
        e.preventDefault();
        startRun();
      }}
    >
      <Fieldset legend="Data and model">
        <SelectField label="Dataset" value={draft.dataset} options={DATASETS} onChange={(dataset) => setDraft({ dataset })} testId="dataset" />
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

      <Fieldset legend="IR-Net (Qin et al., CVPR 2020)">
        <ToggleField
          label="Libra-PB"
          checked={draft.weightTransform === 'librapb'}
          disabled={!binary}
          onChange={(on) => setDraft({ weightTransform: on ? 'librapb' : 'none' })}
          explain="Balance and standardise each filter before sign(): half the bits +1, half −1 (maximum entropy)."
          formula="ŵs = (w − mean(w)) / std(w − mean(w));  Bw = sign(ŵs) · 2^round(log2 mean|ŵs|)"
          testId="librapb"
        />
        <ToggleField
          label="EDE"
          checked={draft.estimator === 'ede'}
          disabled={!binary}
          onChange={(on) => setDraft({ estimator: on ? 'ede' : 'ste' })}
          explain="Error Decay Estimator: a tanh surrogate gradient that sharpens from identity to sign during training (off: clipped STE)."
          formula="d sign/dx ≈ k·t·(1 − tanh²(t·x)),  t = 10^(log10 Tmin + p·(log10 Tmax − log10 Tmin)),  k = max(1/t, 1)"
          testId="ede"
        />
      </Fieldset>

      <Fieldset legend="Training">
        <SelectField label="Optimizer" value={draft.optimizer} options={OPTIMIZERS} onChange={(optimizer) => setDraft({ optimizer })} testId="optimizer" />
        <NumberField label="Learning rate (cosine to 0)" value={draft.lr} min={0} onChange={(lr) => setDraft({ lr })} testId="lr" />
        <NumberField label="Batch size" value={draft.batchSize} min={1} max={512} step={1} onChange={(batchSize) => setDraft({ batchSize })} testId="batch" />
        <NumberField label="Steps" value={draft.steps} min={1} step={1} onChange={(steps) => setDraft({ steps })} testId="steps" />
        <NumberField label="Evaluate every (steps)" value={draft.evalEvery} min={1} step={1} onChange={(evalEvery) => setDraft({ evalEvery })} testId="eval-every" />
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
