import { useMemo } from 'react';
import { useRuns } from '../../state/runs';
import { summaryFor } from '../../bnn/model/spec';
import { predictedFileBytes } from '../summary/predicted-size';

/** One line on the model the controls describe: parameters and the exported file's size (the full table is under Model summary). */
export function ModelLine() {
  const draft = useRuns((s) => s.draft);
  const line = useMemo(() => {
    try {
      const s = summaryFor(draft, 10);
      const bytes = predictedFileBytes(draft);
      return `${s.binaryParams.toLocaleString('en-US')} binary + ${s.floatParams.toLocaleString('en-US')} float parameters${bytes ? ` · file ≈ ${(bytes / 1024).toFixed(1)} KiB` : ''}`;
    } catch {
      return null;
    }
  }, [draft]);
  return line ? (
    <p className="muted small" data-testid="model-line">
      {line}
    </p>
  ) : null;
}
