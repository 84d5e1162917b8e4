import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseResult, SuiteProgress, SuiteResult } from '../../bench/kernels/types';
import type { BenchModel, BenchModelInfo, FromBench, ToBench } from '../../worker/bench-protocol';

export type BenchStatus = 'idle' | 'starting' | 'running' | 'done' | 'cancelled' | 'error';

export interface BenchState {
  status: BenchStatus;
  progress: SuiteProgress | null;
  /** Cases finished so far (all of them once done). */
  cases: CaseResult[];
  model: BenchModelInfo | null;
  backends: string[];
  result: SuiteResult | null;
  error: string | null;
}

const INITIAL: BenchState = { status: 'idle', progress: null, cases: [], model: null, backends: [], result: null, error: null };

let nextId = 0;

/**
 * The page side of the benchmark worker: started on the first run (the suite and tfjs load
 * on demand), kept for later runs, terminated when the panel unmounts.
 */
export function useDeviceBench(): { state: BenchState; run: (quick: boolean, model?: BenchModel) => void; cancel: () => void } {
  const [state, setState] = useState<BenchState>(INITIAL);
  const worker = useRef<Worker | null>(null);
  const current = useRef<string | null>(null);

  useEffect(
    () => () => {
      worker.current?.terminate();
      worker.current = null;
    },
    [],
  );

  const onMessage = useCallback((m: FromBench) => {
    if (m.id !== current.current) return;
    switch (m.type) {
      case 'started':
        setState((s) => ({ ...s, status: 'running', model: m.model, backends: m.backends }));
        break;
      case 'progress':
        setState((s) => ({ ...s, progress: { done: m.done, total: m.total, label: m.label } }));
        break;
      case 'case':
        setState((s) => ({ ...s, cases: [...s.cases, m.result] }));
        break;
      case 'done':
        setState((s) => ({ ...s, status: 'done', result: m.result, cases: [...m.result.cases] }));
        current.current = null;
        break;
      case 'cancelled':
        setState((s) => ({ ...s, status: 'cancelled' }));
        current.current = null;
        break;
      case 'error':
        setState((s) => ({ ...s, status: 'error', error: m.message }));
        current.current = null;
        break;
    }
  }, []);

  const run = useCallback(
    (quick: boolean, model?: BenchModel) => {
      if (current.current) return;
      if (!worker.current) {
        const w = new Worker(new URL('../../worker/bench.worker.ts', import.meta.url), { type: 'module' });
        w.onmessage = (e: MessageEvent<FromBench>) => onMessage(e.data);
        w.onerror = (e) => {
          e.preventDefault();
          setState((s) => ({ ...s, status: 'error', error: `benchmark worker failed: ${e.message || 'could not start'}` }));
          current.current = null;
          w.terminate();
          if (worker.current === w) worker.current = null;
        };
        worker.current = w;
      }
      const id = `bench-${++nextId}`;
      current.current = id;
      setState({ ...INITIAL, status: 'starting' });
      const msg: ToBench = { type: 'run', id, quick, model };
      worker.current.postMessage(msg);
    },
    [onMessage],
  );

  const cancel = useCallback(() => {
    const id = current.current;
    if (id && worker.current) worker.current.postMessage({ type: 'cancel', id } satisfies ToBench);
  }, []);

  return { state, run, cancel };
}
