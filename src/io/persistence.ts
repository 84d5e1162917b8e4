import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ParamSnapshot } from '../bnn/model/params';

/**
 * Runs survive page reloads in IndexedDB: one record per run (config, metric histories, state)
 * and, separately, its latest weights (final or last checkpoint), so listing runs does not load
 * every model. Writes are whole-record puts; a failed write (e.g. a full quota) leaves what was
 * stored before untouched and is reported as a StorageError.
 */

export interface StoredWeights {
  runId: string;
  /** Training step the weights belong to. */
  step: number;
  final: boolean;
  snapshot: ParamSnapshot;
}

interface PlaygroundDB<R> extends DBSchema {
  runs: { key: string; value: R & { id: string; savedAt: number } };
  weights: { key: string; value: StoredWeights };
}

export class StorageError extends Error {
  constructor(
    message: string,
    readonly quota: boolean,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

const DB_NAME = 'bnn-playground';
const DB_VERSION = 1;

export class RunStorage<R extends { id: string }> {
  private constructor(private readonly db: IDBPDatabase<PlaygroundDB<R>>) {}

  static async open<R extends { id: string }>(name = DB_NAME): Promise<RunStorage<R>> {
    const db = await openDB<PlaygroundDB<R>>(name, DB_VERSION, {
      upgrade(d) {
        d.createObjectStore('runs', { keyPath: 'id' });
        d.createObjectStore('weights', { keyPath: 'runId' });
      },
    });
    return new RunStorage<R>(db);
  }

  async listRuns(): Promise<(R & { savedAt: number })[]> {
    const all = await this.db.getAll('runs');
    return all.sort((a, b) => a.savedAt - b.savedAt);
  }

  async saveRun(run: R, savedAt: number): Promise<void> {
    await guard(() => this.db.put('runs', { ...run, savedAt }), `run ${run.id}`);
  }

  async saveWeights(w: StoredWeights): Promise<void> {
    await guard(() => this.db.put('weights', w), `weights of run ${w.runId}`);
  }

  loadWeights(runId: string): Promise<StoredWeights | undefined> {
    return this.db.get('weights', runId);
  }

  async deleteRun(runId: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'weights'], 'readwrite');
    await Promise.all([tx.objectStore('runs').delete(runId), tx.objectStore('weights').delete(runId), tx.done]);
  }
}

/** Bytes used and available for this origin, when the browser tells. */
export async function storageEstimate(): Promise<{ usage: number; quota: number } | null> {
  const nav = globalThis.navigator as Navigator | undefined;
  if (!nav?.storage?.estimate) return null;
  const e = await nav.storage.estimate();
  return { usage: e.usage ?? 0, quota: e.quota ?? 0 };
}

async function guard(write: () => Promise<unknown>, what: string): Promise<void> {
  try {
    await write();
  } catch (e) {
    const quota = e instanceof DOMException && (e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED');
    const detail = e instanceof Error ? e.message : String(e);
    throw new StorageError(
      quota
        ? `Browser storage is full: could not save ${what}. Everything saved before is kept; delete runs you no longer need or export this one.`
        : `Could not save ${what}: ${detail}`,
      quota,
    );
  }
}
