import { useRuns } from '../state/runs';
import { ConfigPanel } from './config/ConfigPanel';
import { RunList } from './runs/RunList';
import { MetricCharts } from './charts/MetricCharts';
import { SummaryTable } from './summary/SummaryTable';
import { InsidePanel } from './inside/InsidePanel';
import { FilesPanel } from './files/FilesPanel';
import { useStartup } from './useStartup';
import { ThemeToggle } from './ThemeToggle';

export function App() {
  useStartup();
  const notice = useRuns((s) => s.backendNotice);
  const hashNotice = useRuns((s) => s.hashNotice);
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
        </section>
      </main>
    </div>
  );
}
