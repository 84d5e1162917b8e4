import type { FromTrainer, ToTrainer } from './protocol';

/** Where training runs: a Worker (default) or the page itself (when a Worker cannot get WebGL). */
export type TrainerPlace = 'worker' | 'page';

/**
 * The page's handle on training. Sends commands to the Worker; when the Worker reports that it
 * cannot start WebGL, it retries the same start on the main thread (the trainer yields to the event
 * loop between steps there, so the page stays usable).
 */
export class TrainingClient {
  private worker: Worker | null = null;
  private page: { handle(m: ToTrainer): Promise<void> } | null = null;
  private readonly placeOf = new Map<string, TrainerPlace>();
  private readonly starts = new Map<string, Extract<ToTrainer, { type: 'start' }>>();

  constructor(private readonly onMessage: (m: FromTrainer, place: TrainerPlace) => void) {}

  send(msg: ToTrainer): void {
    if (msg.type === 'start') {
      this.starts.set(msg.runId, msg);
      this.placeOf.set(msg.runId, 'worker');
      this.ensureWorker().postMessage(msg);
      return;
    }
    if ('requestId' in msg) {
      this.ensureWorker().postMessage(msg);
      return;
    }
    if (this.placeOf.get(msg.runId) === 'page') void this.page?.handle(msg);
    else this.worker?.postMessage(msg);
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e: MessageEvent<FromTrainer>) => this.fromWorker(e.data);
      this.worker.onerror = (e) => {
        for (const runId of this.starts.keys()) {
          this.onMessage({ type: 'error', runId, message: `training worker failed: ${e.message}` }, 'worker');
        }
        this.starts.clear();
      };
    }
    return this.worker;
  }

  private fromWorker(m: FromTrainer): void {
    if ('requestId' in m) {
      this.onMessage(m, 'worker');
      return;
    }
    if (m.type === 'error' && m.code === 'webgl-unavailable' && this.placeOf.get(m.runId) === 'worker') {
      const start = this.starts.get(m.runId);
      if (start) {
        this.placeOf.set(m.runId, 'page');
        void this.startOnPage(start, m.message);
        return;
      }
    }
    if (m.type === 'done' || m.type === 'error') this.starts.delete(m.runId);
    this.onMessage(m, 'worker');
    // A worker whose WebGL context is gone cannot train again: the next start gets a fresh one.
    if (m.type === 'error' && m.code === 'context-lost') this.dispose();
  }

  private async startOnPage(start: Extract<ToTrainer, { type: 'start' }>, why: string): Promise<void> {
    this.onMessage({ type: 'status', runId: start.runId, status: 'loading', message: `WebGL is not available in a Worker (${why}); training on the page` }, 'page');
    if (!this.page) {
      const [{ TrainingSession }, { wasmPaths }] = await Promise.all([import('./session'), import('./wasm-paths')]);
      this.page = new TrainingSession((msg) => {
        if (msg.type === 'done' || msg.type === 'error') this.starts.delete(msg.runId);
        this.onMessage(msg, 'page');
      }, { baseUrl: import.meta.env.BASE_URL, wasmPaths });
    }
    await this.page.handle(start);
  }
}
