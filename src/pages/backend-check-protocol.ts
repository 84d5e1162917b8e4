/** Messages between backend-check.html and its Worker. */
import type { BackendCheckResult } from '../bnn/backend-check';

export interface BackendCheckRequest {
  type: 'run';
  target: string;
  reference: string;
  /** Run only the cases whose name contains this text. */
  only?: string;
}

export type BackendCheckMessage =
  | { type: 'started'; environment: Record<string, unknown>; total: number }
  | { type: 'result'; result: BackendCheckResult; index: number; total: number }
  | { type: 'done'; results: BackendCheckResult[] }
  | { type: 'error'; message: string };
