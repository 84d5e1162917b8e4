import { startTransition, useEffect, useRef, useState, type ReactElement } from 'react';

/**
 * A chart's box: measures its width itself and mounts the chart only when its turn comes, one
 * chart per animation frame. Mounting several SVG charts in one commit (and recharts'
 * ResponsiveContainer re-rendering synchronously on resize) blocked the page for hundreds of ms
 * while a run trained; spreading the mounts keeps every task short.
 */
export function ChartBox({ height, children }: { height: number; children: (width: number) => ReactElement }) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let cancelled = false;
    waitForTurn(() => {
      if (!cancelled) startTransition(() => setReady(true));
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
      {ready && width > 0 ? children(width) : null}
    </div>
  );
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
