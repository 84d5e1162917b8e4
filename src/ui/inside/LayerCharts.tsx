import { memo, useId, useState } from 'react';
import type { LayerStats } from '../../bnn/train/layer-stats';
import { downsample } from '../charts/downsample';
import { LineFigure } from '../charts/LineFigure';
import { SeriesLegend, toggled } from '../charts/SeriesLegend';
import { layerColor, stageOf, type LayerMetricGroup } from './layer-views';

const MAX_POINTS = 150;

/**
 * The per-layer charts of one view: a layer picker (all layers or one stage), a legend that
 * hides or shows single layers, which statistic when the view has several, and one chart per
 * metric with a line per binary conv. Memoised: it redraws when new statistics arrive, not at
 * every step of the run.
 */
export const LayerCharts = memo(function LayerCharts({ stats, groups }: { stats: readonly LayerStats[]; groups: readonly LayerMetricGroup[] }) {
  const layers = stats[0]?.layers.map((l) => l.name) ?? [];
  const stages = [...new Set(layers.map(stageOf))];
  const [stage, setStage] = useState<string>('all');
  const [groupId, setGroupId] = useState<string>(groups[0]?.id ?? '');
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const pickerId = useId();
  const groupPickerId = useId();
  const group = groups.find((g) => g.id === groupId) ?? groups[0];
  const metrics = group?.metrics ?? [];
  const picked = layers.filter((l) => stage === 'all' || stageOf(l) === stage);
  const shown = picked.filter((l) => !hidden.has(l));
  const rows = downsample(stats, MAX_POINTS, metrics.flatMap((m) => layers.map((name) => (s: LayerStats) => s.layers.find((l) => l.name === name)?.[m.key] ?? null)));
  return (
    <>
      <div className="layer-picker">
        {groups.length > 1 && (
          <>
            <label htmlFor={groupPickerId}>Statistic</label>
            <select id={groupPickerId} value={group.id} onChange={(e) => setGroupId(e.target.value)} data-testid="statistic-picker">
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.label}
                </option>
              ))}
            </select>
          </>
        )}
        <label htmlFor={pickerId}>Layers</label>
        <select id={pickerId} value={stage} onChange={(e) => setStage(e.target.value)} data-testid="layer-picker">
          <option value="all">all {layers.length} binary convs</option>
          {stages.map((s) => (
            <option key={s} value={s}>
              stage {s.slice(1)} ({layers.filter((l) => stageOf(l) === s).length})
            </option>
          ))}
        </select>
        <SeriesLegend
          label="Layers on the charts (press to hide or show)"
          items={picked.map((name) => ({ id: name, label: name, color: layerColor(layers.indexOf(name), layers.length) }))}
          hidden={hidden}
          onToggle={(id) => setHidden((h) => toggled(h, id))}
          testId="layer-legend"
        />
      </div>
      <div className="charts">
        {metrics.map((m) => (
          <LineFigure
            key={m.key}
            testId={m.testId}
            title={m.title}
            unit={m.unit}
            xLabel="step"
            xFormat={(v) => String(Math.round(v))}
            yBounds={m.bounds}
            series={shown.map((name) => ({
              id: name,
              label: name,
              color: layerColor(layers.indexOf(name), layers.length),
              points: rows.map((s) => ({ x: s.step, y: s.layers.find((l) => l.name === name)?.[m.key] ?? null })),
            }))}
          />
        ))}
      </div>
    </>
  );
});
