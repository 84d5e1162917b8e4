import { useRuns } from '../../state/runs';
import { activeRun } from '../../state/run-queue';
import { ThemeToggle } from '../ThemeToggle';
import { ActiveProgress } from './ActiveProgress';
import { ShareButton } from './ShareButton';

/**
 * The top bar: Train / Pause / Step / Stop for the run the controls describe (Step trains one
 * batch, as TensorFlow Playground's step does), the active run's progress, Share.
 */
export function TopBar() {
  const active = useRuns((s) => activeRun(s.runs));
  const { startRun, stepActive, pause, resume, stop } = useRuns.getState();
  const running = active?.state === 'running';
  const paused = active?.state === 'paused';
  return (
    <header className="topbar">
      <h1 className="brand">BNN Playground</h1>
      <div className="transport" role="group" aria-label="Training">
        <button type="button" className="primary" onClick={() => startRun()} data-testid="start" title="Queue a run with the settings below">
          <Icon shape="play" /> Train
        </button>
        <button
          type="button"
          onClick={() => active && (paused ? resume(active.id) : pause(active.id))}
          disabled={!running && !paused}
          data-testid="top-pause"
          title={paused ? 'Go on training' : 'Hold the run between two steps'}
        >
          <Icon shape={paused ? 'play' : 'pause'} /> {paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" onClick={stepActive} disabled={active !== undefined && !paused} data-testid="step" title="Train one batch, then hold (starts a paused run when none trains)">
          <Icon shape="step" /> Step
        </button>
        <button type="button" onClick={() => active && stop(active.id)} disabled={!active} data-testid="top-stop" title="Stop the active run (it keeps what it learned)">
          <Icon shape="stop" /> Stop
        </button>
      </div>
      <ActiveProgress />
      <ShareButton />
      <ThemeToggle />
    </header>
  );
}

const ICONS = {
  play: 'M4 2.5v11l9-5.5z',
  pause: 'M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z',
  step: 'M2.5 2.5v11l8-5.5zM11 2.5h2.5v11H11z',
  stop: 'M3 3h10v10H3z',
} as const;

/** A small play-control icon drawn in the button's text colour. */
function Icon({ shape }: { shape: keyof typeof ICONS }) {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" className="icon">
      <path d={ICONS[shape]} fill="currentColor" />
    </svg>
  );
}
