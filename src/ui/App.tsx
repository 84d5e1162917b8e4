import { useRuns } from '../state/runs';
import { ConfigPanel } from './config/ConfigPanel';
import { RunList } from './runs/RunList';
import { MetricCharts } from './charts/MetricCharts';
import { SummaryTable } from './summary/SummaryTable';
import { InsidePanel } from './inside/InsidePanel';
import { FilesPanel } from './files/FilesPanel';
import { lazy, Suspense, useMemo } from 'react';
import { detectIsolation } from '../bnn/backend-detect';

/** The benchmark suite and its kernels load only when the panel is shown. */
const DeviceBenchPanel = lazy(() => import('./bench/DeviceBenchPanel').then((m) => ({ default: m.DeviceBenchPanel })));
import { useStartup } from './useStartup';
import { ThemeToggle } from './ThemeToggle';

export function App() {
  useStartup();
  const notice = useRuns((s) => s.backendNotice);
  const hashNotice = useRuns((s) => s.hashNotice);
  // Fixed for the page's lifetime: the headers it was served with decide it.
  const isolationNotice = useMemo(() => detectIsolation().notice, []);
  // The newest finished binary run in memory is what the device benchmark measures.
  const benchRun = useRuns((s) => [...s.runs].reverse().find((x) => x.state === 'finished' && x.config.precision === 'binary' && x.snapshot && !x.imported));
  const benchModel = useMemo(() => (benchRun?.snapshot ? { config: benchRun.config, snapshot: benchRun.snapshot } : undefined), [benchRun]);
  return (
    <div className="app">
      <header className="app-header">
        <h1>BNN Playground</h1>
        <p className="tagline">Train 1-bit ResNets in your browser and see what each binarization technique changes.</p>
        <ThemeToggle />
      </header>
      {hashNotice && (
        <div className="notice warn" role="alert" data-testid="hash-notice">
          {hashNotice}
        </div>
      )}
      {notice && (
        <div className="notice" role="status" data-testid="backend-notice">
          {notice}
        </div>
      )}
      {isolationNotice && (
        <div className="notice" role="status" data-testid="isolation-notice">
          {isolationNotice}
        </div>
      )}
      <main className="layout">
        <aside className="sidebar">
          <ConfigPanel />
        </aside>
        <section className="content">
          <RunList />
          <FilesPanel />
          <MetricCharts />
          <InsidePanel />
          <SummaryTable />
          <Suspense fallback={<p className="muted">Loading the device benchmark…</p>}>
            <DeviceBenchPanel model={benchModel} />
          </Suspense>
        </section>
      </main>
    </div>
  );
}
