import { DIR_NET, IR2NET, KNOWLEDGE_DISTILLATION, REACTNET, type TechniqueInfo } from './papers';

/**
 * The techniques that are not quantizers: terms of the training loss and modules of the graph,
 * each switched by one RunConfig key. Together with the quantizer registry
 * (quantizers/registry.ts) this is what the config panel groups by paper and the docs table lists.
 */
export interface ModelTechnique extends TechniqueInfo {
  /** The RunConfig key that switches it. */
  readonly key: 'restriction' | 'recovery' | 'rsign' | 'blockActivation' | 'distill' | 'kd';
  /** Where it is implemented. */
  readonly file: string;
  readonly kind: 'loss term' | 'module';
}

export const MODEL_TECHNIQUES = {
  restriction: {
    key: 'restriction',
    name: 'restriction',
    kind: 'loss term',
    label: 'Information restriction',
    paper: IR2NET,
    file: 'src/bnn/train/restriction.ts',
    explain: 'Train also on the input masked to where the last stage attends, so the BNN learns what it can focus on.',
    formula: 'A = resize(mean_c F²);  mask = A > λ·mean(A);  loss = (CE(x) + CE(x·mask + e·(1 − mask))) / 2',
    settings: [{ key: 'restrictionLambda', label: 'λ (mask threshold × mean)', kind: 'number', min: 0, max: 10, testId: 'lambda' }],
  },
  recovery: {
    key: 'recovery',
    name: 'recovery',
    kind: 'module',
    label: 'Information recovery',
    paper: IR2NET,
    file: 'src/bnn/model/recovery.ts',
    explain: 'Fuse pooled shallow features with the last stage in full precision before the head.',
    formula: 'concat(pool(stem), pool(stage1), pool(stage2), stage3) → 1×1 conv (full) or Ghost module (compact) → BN → hardtanh',
    settings: [{ key: 'recoveryRatio', label: 'Ghost ratio (compact)', kind: 'number', min: 2, max: 8, step: 1, testId: 'ratio' }],
  },
  rsign: {
    key: 'rsign',
    name: 'rsign',
    kind: 'module',
    label: 'RSign (learned threshold)',
    paper: REACTNET,
    file: 'src/bnn/model/ops/rsign.ts',
    explain: "Binarise each binary conv's input at a learned per-channel threshold instead of 0.",
    formula: 'Ba = sign(x − α_c),  α learned (init 0), gradient through the activations’ estimator',
  },
  rprelu: {
    key: 'blockActivation',
    name: 'rprelu',
    kind: 'module',
    label: 'RPReLU activation',
    paper: REACTNET,
    file: 'src/bnn/model/ops/rprelu.ts',
    explain: "Replace the blocks' hardtanh by a PReLU with learned input and output shifts.",
    formula: 'y = (x − γ_c > 0 ? x − γ_c : β_c·(x − γ_c)) + ζ_c,  γ = ζ = 0, β = 0.25 at init',
  },
  distill: {
    key: 'distill',
    name: 'rbd',
    kind: 'loss term',
    label: 'RBD distillation',
    paper: DIR_NET,
    ourReading: true,
    file: 'src/bnn/train/distillation.ts',
    explain: "Our reading of the paper: align each stage's normalised features with a full-precision teacher run.",
    formula: 'L = CE + β · Σ_s mean_batch ‖F_s^B/‖F_s^B‖ − F_s^T/‖F_s^T‖‖²',
    settings: [{ key: 'distillBeta', label: 'β', kind: 'number', min: 0, testId: 'beta' }],
  },
  kd: {
    key: 'kd',
    name: 'kd',
    kind: 'loss term',
    label: 'Logit distillation',
    paper: KNOWLEDGE_DISTILLATION,
    file: 'src/bnn/train/distillation.ts',
    explain: "Match a finished full-precision run's softened logits; any preset.",
    formula: 'L = CE + τ² · mean_batch KL(softmax(z_T/τ) ‖ softmax(z_S/τ))',
    settings: [{ key: 'kdTau', label: 'Temperature τ', kind: 'number', min: 0.5, max: 20, testId: 'tau' }],
  },
} as const satisfies Record<string, ModelTechnique>;
