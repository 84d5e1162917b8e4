import { initBackend, type BackendName } from '../bnn/backend';
import { Trainer, type StepMetrics } from '../bnn/train/trainer';
import { loadDataset } from './datasets';
import type { FromTrainer, ToTrainer } from './protocol';

export interface SessionEnv {
  /** Where /data/* lives (Vite's BASE_URL). */
  baseUrl: string;
  wasmPaths?: Record<string, string>;
  /** Minimum ms between step-metric messages (the page redraws about once a frame). */
  flushMs?: number;
}

/**
 * Runs one training run at a time on behalf of the page, in a Worker or (fallback) on the main
 * thread: the same code either way, talking through `post`.
 */
export class TrainingSession {
  private trainer: Trainer | null = null;
  private runId: string | null = null;
  private pending: StepMetrics[] = [];
  private lastFlush = 0;

  constructor(
    private readonly post: (m: FromTrainer) => void,
    private readonly env: SessionEnv,
  ) {}

  get busy(): boolean {
    return this.runId !== null;
  }

  async handle(msg: ToTrainer): Promise<void> {
    if (msg.type === 'start') return this.start(msg);
    if (msg.runId !== this.runId || !this.trainer) return;
    if (msg.type === 'pause') this.trainer.pause();
    else if (msg.type === 'resume') this.trainer.resume();
    else if (msg.type === 'statsLayer') this.trainer.setHistogramLayer(msg.layer);
    else this.trainer.stop();
  }

  private async start(msg: Extract<ToTrainer, { type: 'start' }>): Promise<void> {
    const { runId, config } = msg;
    if (this.runId) {
      this.post({ type: 'error', runId, message: `run ${this.runId} is still training` });
      return;
    }
    this.runId = runId;
    this.post({ type: 'status', runId, status: 'loading', message: `starting ${config.backend}` });
    try {
      await this.startBackend(runId, config.backend);
    } catch (e) {
      this.runId = null;
      this.post({ type: 'error', runId, message: errorText(e), code: config.backend === 'webgl' ? 'webgl-unavailable' : undefined });
      return;
    }
    try {
      this.post({ type: 'status', runId, status: 'loading', message: `loading ${config.dataset}` });
      const data = await loadDataset(config.dataset, this.env.baseUrl);
      const trainer = new Trainer(
        config,
        data,
        {
          onStep: (m) => this.queueStep(runId, m),
          onEval: (m) => {
            this.flush(runId);
            this.post({ type: 'eval', runId, metrics: m });
          },
          onLayerStats: (stats) => this.post({ type: 'layerStats', runId, stats }),
          onStatus: (status, message) => {
            this.flush(runId);
            this.post({ type: 'status', runId, status, message });
          },
          onCheckpoint: (step, snapshot) => this.post({ type: 'checkpoint', runId, step, snapshot }),
        },
        msg.resume ? { startStep: msg.resume.step, initial: msg.resume.snapshot } : {},
      );
      this.trainer = trainer;
      const outcome = await trainer.run();
      this.flush(runId);
      const snapshot = await trainer.snapshot();
      this.post({ type: 'done', runId, status: outcome.status, steps: outcome.steps, message: outcome.message, snapshot });
    } catch (e) {
      this.flush(runId);
      this.post({ type: 'error', runId, message: errorText(e) });
    } finally {
      this.trainer?.dispose();
      this.trainer = null;
      this.runId = null;
    }
  }

  private async startBackend(runId: string, backend: BackendName): Promise<void> {
    await initBackend(backend, { wasmPaths: this.env.wasmPaths });
    this.post({ type: 'backend', runId, backend });
  }

  private queueStep(runId: string, m: StepMetrics): void {
    this.pending.push(m);
    const now = Date.now();
    if (now - this.lastFlush >= (this.env.flushMs ?? 50)) this.flush(runId);
  }

  private flush(runId: string): void {
    if (this.pending.length === 0) return;
    this.post({ type: 'steps', runId, metrics: this.pending });
    this.pending = [];
    this.lastFlush = Date.now();
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
