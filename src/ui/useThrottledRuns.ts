import { startTransition, useEffect, useState } from 'react';
import { useRuns, type RunRecord } from '../state/runs';

/**
 * The run list, refreshed at most every `ms`: charts redraw in SVG and are the page's most
 * expensive part, so they follow training at a calmer pace than the progress bars.
 */
export function useThrottledRuns(ms: number): readonly RunRecord[] {
  const [runs, setRuns] = useState(() => useRuns.getState().runs);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const flush = (): void => {
      timer = null;
      last = Date.now();
      // A transition renders in time slices, so a chart redraw never blocks input for long.
      startTransition(() => setRuns(useRuns.getState().runs));
    };
    const unsubscribe = useRuns.subscribe((s, prev) => {
      if (s.runs === prev.runs || timer) return;
      timer = setTimeout(flush, Math.max(0, last + ms - Date.now()));
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [ms]);
  return runs;
}
