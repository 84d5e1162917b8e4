import { lazy, Suspense, useMemo } from 'react';
import { useRuns } from '../state/runs';
import { TopBar } from './topbar/TopBar';
import { Notices } from './Notices';
import { DataModelPanel } from './config/DataModelPanel';
import { TechniquesPanel } from './config/TechniquesPanel';
import { MetricCharts } from './charts/MetricCharts';
import { RunList } from './runs/RunList';
import { InsidePanel } from './inside/InsidePanel';
import { AblationControls } from './ablation/AblationControls';
import { SummaryTable } from './summary/SummaryTable';
import { FilesPanel } from './files/FilesPanel';
import { useStartup } from './useStartup';

/** The benchmark suite and its kernels load only when the panel is shown. */
const DeviceBenchPanel = lazy(() => import('./bench/DeviceBenchPanel').then((m) => ({ default: m.DeviceBenchPanel })));

/**
 * The workbench on one screen: the top bar (train controls, progress, share), then left to
 * right the data and model, the techniques by paper, and the runs with their charts; wide
 * screens put the per-run views beside the comparison.
 */
export function App() {
  useStartup();
  // The newest finished binary run trained here (with its weights in memory) is what the device benchmark measures.
  const benchRun = useRuns((s) => [...s.runs].reverse().find((x) => x.state === 'finished' && x.config.precision === 'binary' && x.snapshot && !x.imported && !x.example));
  const benchModel = useMemo(() => (benchRun?.snapshot ? { config: benchRun.config, snapshot: benchRun.snapshot } : undefined), [benchRun]);
  return (
    <div className="app">
      <a className="skip-link" href="#results">
        Skip to the runs and charts
      </a>
      <TopBar />
      <Notices />
      <main className="workbench">
        <div className="column controls-column">
          <DataModelPanel />
        </div>
        <div className="column controls-column">
          <TechniquesPanel />
        </div>
        <div className="column results" id="results" tabIndex={-1} aria-label="Runs and charts">
          <div className="results-main">
            <MetricCharts />
            <RunList />
          </div>
          <div className="results-side">
            <InsidePanel />
            <AblationControls />
            <SummaryTable />
            <FilesPanel />
            <Suspense fallback={<p className="muted">Loading the device benchmark…</p>}>
              <DeviceBenchPanel model={benchModel} modelLabel={benchRun?.name} />
            </Suspense>
          </div>
        </div>
      </main>
    </div>
  );
}
