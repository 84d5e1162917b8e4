import type { FileReply } from '../worker/protocol';
import { runColor, type RunRecord } from './run-record';

/**
 * Runs that come from files: a model the user imports. Pure: the store asks the worker to
 * validate and measure the file, then turns the reply into a run here.
 */

/** An imported model whose accuracy here differs from the file's by more than this (percentage points) is flagged. */
export const IMPORT_ACCURACY_TOLERANCE = 1;

type Imported = Extract<FileReply, { type: 'imported' }>;

/**
 * Why the accuracy measured here may not be the file's, or null when they agree within the
 * tolerance (or the file stores none). The file's figure can come from a stratified subset of
 * the test split (evalLimit) and BN statistics the run recalibrated; the import measures the
 * whole test split with the statistics stored in the file.
 */
export function importAccuracyWarning(reply: Pick<Imported, 'measuredAccuracy' | 'fileAccuracy' | 'config'>): string | null {
  if (reply.fileAccuracy === null) return null;
  const gap = 100 * (reply.measuredAccuracy - reply.fileAccuracy);
  if (Math.abs(gap) <= IMPORT_ACCURACY_TOLERANCE) return null;
  const subset = reply.config.evalLimit > 0 ? ` The file's run evaluated on ${reply.config.evalLimit} test images; here all are used.` : '';
  return (
    `The test accuracy measured here, ${(100 * reply.measuredAccuracy).toFixed(2)}%, is ${Math.abs(gap).toFixed(2)} points ` +
    `${gap < 0 ? 'below' : 'above'} the ${(100 * reply.fileAccuracy).toFixed(2)}% stored in the file (more than ${IMPORT_ACCURACY_TOLERANCE}).${subset} ` +
    'A large gap can mean another version of the dataset or a file written by other code.'
  );
}

/** The run an imported file becomes: finished, with the accuracy measured here as its one evaluation. */
export function importedRun(reply: Imported, fileName: string, bytes: Uint8Array, o: { id: string; number: number; colorIndex: number; createdAt: number }): RunRecord {
  const stored = reply.fileAccuracy !== null ? `, stored in the file ${(100 * reply.fileAccuracy).toFixed(2)}%` : '';
  return {
    id: o.id,
    name: `#${o.number} imported ${fileName}`,
    color: runColor(o.colorIndex),
    config: reply.config,
    state: 'finished',
    message: `imported; test accuracy measured here ${(100 * reply.measuredAccuracy).toFixed(2)}%${stored}`,
    importWarning: importAccuracyWarning(reply) ?? undefined,
    steps: [],
    evals: [{ step: reply.config.steps, testAccuracy: reply.measuredAccuracy, testLoss: NaN }],
    layerStats: [],
    trainMs: 0,
    createdAt: o.createdAt,
    compare: true,
    snapshot: reply.snapshot,
    imported: { fileName, hasLatent: reply.hasLatent, fileAccuracy: reply.fileAccuracy, bytes },
  };
}
