import type { ParamSnapshot } from '../bnn/model/params';
import { RunStorage, StorageError, storageEstimate, type StoredWeights } from '../io/persistence';
import { storedForm, type RunRecord, type StoredRun } from './run-record';

/** Metric histories are saved at most this often while a run trains (checkpoints save at once). */
export const SAVE_EVERY_MS = 5_000;

/**
 * The runs' side of IndexedDB: opened on first use, one record per run and its weights apart.
 * Example runs are never written (they come from public/examples every visit). Failures throw
 * a message for the user; what was stored before stays.
 */
export class RunArchive {
  private db: Promise<RunStorage<StoredRun>> | null = null;
  private readonly lastSaved = new Map<string, number>();

  private open(): Promise<RunStorage<StoredRun>> {
    this.db ??= RunStorage.open<StoredRun>();
    return this.db;
  }

  /** Whether a training run's histories are due to be saved again. */
  due(id: string, now = Date.now()): boolean {
    return now - (this.lastSaved.get(id) ?? 0) > SAVE_EVERY_MS;
  }

  /** Saves a run's record, and its weights first when given. */
  async save(run: RunRecord, weights?: { step: number; final: boolean; snapshot: ParamSnapshot }): Promise<void> {
    if (run.example) return;
    const db = await this.open();
    try {
      if (weights) await db.saveWeights({ runId: run.id, ...weights });
      await db.saveRun(storedForm(run), Date.now());
    } catch (e) {
      throw new Error(e instanceof StorageError ? e.message : `Could not save run: ${String(e)}`);
    }
    this.lastSaved.set(run.id, Date.now());
  }

  async list(): Promise<(StoredRun & { savedAt: number })[]> {
    return (await this.open()).listRuns();
  }

  async loadWeights(id: string): Promise<StoredWeights | undefined> {
    return (await this.open()).loadWeights(id);
  }

  async delete(id: string): Promise<void> {
    await (await this.open()).deleteRun(id);
    this.lastSaved.delete(id);
  }

  usage(): Promise<{ usage: number; quota: number } | null> {
    return storageEstimate();
  }
}
