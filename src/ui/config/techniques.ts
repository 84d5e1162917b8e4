import type { RunConfig } from '../../bnn/config';

/** Help text per technique: one line of what it does, the formula as built, and the paper. */
export interface TechniqueHelp {
  label: string;
  explain: string;
  formula: string;
  paper: string;
}

export const HELP = {
  xnor: {
    label: 'XNOR-Net scale',
    explain: 'Multiply each filter\'s signs by the mean magnitude of its weights.',
    formula: 'Bw = sign(w) · α_o,  α_o = mean_o |w|',
    paper: 'Rastegari et al., XNOR-Net, ECCV 2016',
  },
  approxsign: {
    label: 'ApproxSign',
    explain: 'A piecewise-quadratic surrogate gradient of sign (Bi-Real Net).',
    formula: 'd sign/dx ≈ 2 − 2|x| for |x| ≤ 1, else 0',
    paper: 'Liu et al., Bi-Real Net, ECCV 2018',
  },
  librapb: {
    label: 'Libra-PB',
    explain: 'Balance and standardise each filter before sign(): half the bits +1, half −1 (maximum entropy).',
    formula: 'ŵs = (w − mean_o w) / std_o(w − mean_o w);  Bw = sign(ŵs) · 2^round(log2 mean_o|ŵs|)',
    paper: 'Qin et al., IR-Net, CVPR 2020',
  },
  ede: {
    label: 'EDE',
    explain: 'Error Decay Estimator: a tanh surrogate gradient that sharpens from identity to sign over training.',
    formula: 'd sign/dx ≈ k·t·(1 − tanh²(t·x)),  t = 10^(log10 Tmin + p·(log10 Tmax − log10 Tmin)),  k = max(1/t, 1)',
    paper: 'Qin et al., IR-Net, CVPR 2020',
  },
  imb: {
    label: 'IMB',
    explain: 'Our reading of the paper: Libra-PB\'s balance and standardisation with the error-minimising scale.',
    formula: 'ŵs as Libra-PB;  Bw = sign(ŵs) · mean_o|ŵs|  (not rounded, detached)',
    paper: 'Qin et al., DIR-Net, IJCV 2023 (our reading: no public code)',
  },
  dte: {
    label: 'DTE',
    explain: 'Our reading of the paper: a two-stage tanh estimator measured in units of the tensor\'s own std.',
    formula: 'u = x/σ;  d sign/dx ≈ k·t·(1 − tanh²(t·u))/σ;  stage 1: k·t = 1, t: Tmin→1;  stage 2: k = 1, t: 1→Tmax',
    paper: 'Qin et al., DIR-Net, IJCV 2023 (our reading: no public code)',
  },
  rbd: {
    label: 'RBD distillation',
    explain: 'Our reading of the paper: align each stage\'s normalised features with a full-precision teacher run.',
    formula: 'L = CE + β · Σ_s mean_batch ‖F_s^B/‖F_s^B‖ − F_s^T/‖F_s^T‖‖²  (+ τ²·KL of softened logits if KD is on)',
    paper: 'Qin et al., DIR-Net, IJCV 2023 (our reading: no public code)',
  },
  restriction: {
    label: 'Information restriction',
    explain: 'Train also on the input masked to where the last stage attends, so the BNN learns what it can focus on.',
    formula: 'A = resize(mean_c F²);  mask = A > λ·mean(A);  loss = (CE(x) + CE(x·mask)) / 2',
    paper: 'Xue et al., IR2Net, arXiv 2210.02637',
  },
  recovery: {
    label: 'Information recovery',
    explain: 'Fuse pooled shallow features with the last stage in full precision before the head.',
    formula: 'concat(pool(stem), pool(stage1), pool(stage2), stage3) → 1×1 conv (full) or Ghost module (compact) → BN → hardtanh',
    paper: 'Xue et al., IR2Net, arXiv 2210.02637',
  },
} as const satisfies Record<string, TechniqueHelp>;

export type WeightTransformChoice = RunConfig['weightTransform'];
export type EstimatorChoice = RunConfig['activationEstimator'];
