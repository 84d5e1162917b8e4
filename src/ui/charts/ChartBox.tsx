import { Children, cloneElement, isValidElement, startTransition, useEffect, useRef, useState, type ReactElement, type ReactNode } from 'react';
import { CartesianGrid, XAxis, YAxis } from 'recharts';

/** The parts of a chart drawn at its first turn; series, tooltip and legend follow. */
const FRAME_PARTS: ReadonlySet<unknown> = new Set([CartesianGrid, XAxis, YAxis]);

/**
 * A chart's box: measures its width itself and mounts the chart only when its turn comes, one
 * chart per animation frame: first its frame (grid, axes), at a later turn the rest (series,
 * tooltip, legend). Mounting several SVG charts in one commit (and recharts'
 * ResponsiveContainer re-rendering synchronously on resize) blocked the page for hundreds of
 * ms while a run trained, and one whole recharts chart still took 170–350 ms on a 2-core
 * machine next to the training worker; spreading the mounts keeps every task short.
 */
export function ChartBox({ height, children }: { height: number; children: (width: number) => ReactElement<{ children?: ReactNode }> }) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [mounted, setMounted] = useState<'nothing' | 'frame' | 'all'>('nothing');
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let cancelled = false;
    waitForTurn(() => {
      if (cancelled) return;
      startTransition(() => setMounted('frame'));
      waitForTurn(() => {
        if (!cancelled) startTransition(() => setMounted('all'));
      });
    });
    const observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0].contentRect.width);
      startTransition(() => setWidth(w));
    });
    observer.observe(el);
    return () => {
      cancelled = true;
      observer.disconnect();
    };
  }, []);
  return (
    <div ref={ref} style={{ width: '100%', height }}>
      {mounted === 'nothing' || width === 0 ? null : mounted === 'all' ? children(width) : frameOf(children(width))}
    </div>
  );
}

/** The chart with only its FRAME_PARTS children. */
function frameOf(chart: ReactElement<{ children?: ReactNode }>): ReactElement {
  const frame = Children.toArray(chart.props.children).filter((c) => isValidElement(c) && FRAME_PARTS.has(c.type));
  return cloneElement(chart, undefined, ...frame);
}

const queue: (() => void)[] = [];
let draining = false;

/** Runs each callback in its own animation frame, in order. */
function waitForTurn(cb: () => void): void {
  queue.push(cb);
  if (draining) return;
  draining = true;
  const next = (): void => {
    const f = queue.shift();
    if (!f) {
      draining = false;
      return;
    }
    f();
    requestAnimationFrame(() => setTimeout(next, 0));
  };
  requestAnimationFrame(next);
}
