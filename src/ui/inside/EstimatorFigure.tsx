import { estimatorCurve } from '../../bnn/train/estimator-curve';
import { getEstimator } from '../../bnn/quantizers/registry';
import type { RunRecord } from '../../state/runs';
import { LineFigure } from '../charts/LineFigure';

/** sign(x) and the activations' estimator's backward derivative at the run's latest t, k. */
export function EstimatorFigure({ run }: { run: RunRecord }) {
  const last = run.steps.at(-1);
  if (!last) return null;
  const name = run.config.activationEstimator;
  const c = estimatorCurve(name, last.t, last.k);
  return (
    <LineFigure
      testId="chart-estimator"
      title={`Activation estimator ${getEstimator(name).label} at step ${last.step}: t = ${last.t.toPrecision(3)}, k = ${last.k.toPrecision(3)}`}
      unit="value and slope against x"
      xLabel="x"
      xFormat={(v) => v.toFixed(1)}
      series={[
        { id: 'forward', label: 'forward: sign(x)', color: '#64748b', points: c.x.map((x, i) => ({ x, y: c.forward[i] })) },
        { id: 'backward', label: 'backward: d/dx used', color: '#dc2626', points: c.x.map((x, i) => ({ x, y: c.backward[i] })) },
      ]}
      note="The forward pass computes sign(x); the backward pass uses the red slope in place of its derivative."
      legend
    />
  );
}
