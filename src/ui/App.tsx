import { useRuns } from '../state/runs';
import { ConfigPanel } from './config/ConfigPanel';
import { RunList } from './runs/RunList';
import { MetricCharts } from './charts/MetricCharts';
import { SummaryTable } from './summary/SummaryTable';
import { InsidePanel } from './inside/InsidePanel';
import { useDefaultBackend } from './useDefaultBackend';
import { useEffect } from 'react';

export function App() {
  useDefaultBackend();
  const notice = useRuns((s) => s.backendNotice);
  const hydrate = useRuns((s) => s.hydrate);
  useEffect(() => {
    void hydrate();
  }, [hydrate]);
  return (
    <div className="app">
      <header className="app-header">
        <h1>BNN Playground</h1>
        <p className="tagline">Train 1-bit ResNets in your browser and see what each binarization technique changes.</p>
      </header>
      {notice && (
        <div className="notice" role="status" data-testid="backend-notice">
          {notice}
        </div>
      )}
      <main className="layout">
        <aside className="sidebar">
          <ConfigPanel />
        </aside>
        <section className="content">
          <RunList />
          <MetricCharts />
          <InsidePanel />
          <SummaryTable />
        </section>
      </main>
    </div>
  );
}
