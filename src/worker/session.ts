import { initBackend, wasmThreadCount, type BackendName } from '../bnn/backend';
import * as tf from '@tensorflow/tfjs-core';
import { Trainer, type StepMetrics } from '../bnn/train/trainer';
import { BnnModel } from '../bnn/model/model';
import { attentionMasks } from '../bnn/train/restriction';
import type { ImageDataset } from '../data/dataset';
import { loadDataset } from '../data/load-dataset';
import { stratifiedSample } from '../data/stratified-sample';
import { DATASETS } from '../data/catalog';
import type { FromTrainer, ToTrainer } from './protocol';
import { handleFileRequest } from './file-requests';
import { measureStepMs } from './measure-step';

/**
 * The mask viewer shows MASK_IMAGES train images of different classes (a stratified sample),
 * computed in a training-mode batch of MASK_BATCH.
 */
const MASK_BATCH = 20;
const MASK_IMAGES = 8;

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
  private contextLost = false;
  /** What a lost GPU context is called in messages. */
  private lostWhat = 'WebGL context';
  private readonly watched = new WeakSet<object>();
  private data: ImageDataset | null = null;
  private runId: string | null = null;
  private pending: StepMetrics[] = [];
  private lastFlush = 0;
  private measuring = false;

  constructor(
    private readonly post: (m: FromTrainer) => void,
    private readonly env: SessionEnv,
  ) {}

  get busy(): boolean {
    return this.runId !== null;
  }

  async handle(msg: ToTrainer): Promise<void> {
    if (msg.type === 'start') return this.start(msg);
    if (msg.type === 'measure-step') return this.measure(msg);
    if (msg.type === 'export' || msg.type === 'import' || msg.type === 'cifar10') {
      this.post(await handleFileRequest(msg, this.env));
      return;
    }
    if (msg.runId !== this.runId || !this.trainer) return;
    if (msg.type === 'pause') this.trainer.pause();
    else if (msg.type === 'step') this.trainer.stepOnce();
    else if (msg.type === 'resume') this.trainer.resume();
    else if (msg.type === 'statsLayer') this.trainer.setHistogramLayer(msg.layer);
    else this.trainer.stop();
  }

  private async start(msg: Extract<ToTrainer, { type: 'start' }>): Promise<void> {
    const { runId, config } = msg;
    let teacher: BnnModel | undefined;
    if (this.runId || this.measuring) {
      this.post({ type: 'error', runId, message: this.runId ? `run ${this.runId} is still training` : 'the step time is being measured; start again in a moment' });
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
      const label = DATASETS[config.dataset].label;
      this.post({ type: 'status', runId, status: 'loading', message: `loading ${label}` });
      let lastPost = 0;
      const data = await loadDataset(config.dataset, this.env.baseUrl, ({ loaded, total, cached }) => {
        const now = Date.now();
        if (now - lastPost < 100 && loaded !== total) return;
        lastPost = now;
        const mb = (b: number) => (b / 1e6).toFixed(1);
        this.post({
          type: 'status',
          runId,
          status: 'loading',
          message: `loading ${label}${cached ? ' from the local cache' : ''}: ${mb(loaded)}${total ? ` of ${mb(total)}` : ''} MB`,
          progress: total ? loaded / total : undefined,
        });
      });
      this.data = data;
      if (msg.teacher) teacher = BnnModel.fromSnapshot(msg.teacher.config, data.numClasses, msg.teacher.snapshot);
      const trainer = new Trainer(
        config,
        data,
        {
          onStep: (m) => {
            this.queueStep(runId, m);
            // A single step while paused is shown at once, not with the next batch of steps.
            if (this.trainer?.paused) this.flush(runId);
          },
          onEval: (m) => {
            this.flush(runId);
            this.post({ type: 'eval', runId, metrics: m });
          },
          onLayerStats: (stats) => this.post({ type: 'layerStats', runId, stats }),
          onStatus: (status, message) => {
            this.flush(runId);
            this.post({ type: 'status', runId, status, message });
          },
          onCheckpoint: async (step, snapshot) => {
            this.post({ type: 'checkpoint', runId, step, snapshot });
            if (config.restriction) await this.postMasks(runId, teacher);
          },
        },
        {
          ...(msg.resume ? { startStep: msg.resume.step, initial: msg.resume.snapshot } : {}),
          teacher,
          startPaused: msg.paused !== undefined,
        },
      );
      this.trainer = trainer;
      for (let i = 0; i < (msg.paused?.steps ?? 0); i++) trainer.stepOnce();
      const outcome = await trainer.run();
      this.flush(runId);
      if (this.contextLost) {
        this.post({ type: 'error', runId, code: 'context-lost', message: `the ${this.lostWhat} was lost at step ${outcome.steps}; the run is paused and can resume from its last checkpoint` });
        return;
      }
      if (config.restriction) await this.postMasks(runId, teacher);
      const snapshot = await trainer.snapshot();
      this.post({ type: 'done', runId, status: outcome.status, steps: outcome.steps, message: outcome.message, snapshot });
    } catch (e) {
      this.flush(runId);
      this.post(
        this.contextLost
          ? { type: 'error', runId, code: 'context-lost', message: `the ${this.lostWhat} was lost; the run is paused and can resume from its last checkpoint` }
          : { type: 'error', runId, message: errorText(e) },
      );
    } finally {
      this.trainer?.dispose();
      teacher?.dispose();
      this.trainer = null;
      this.data = null;
      this.runId = null;
    }
  }

  /** Times a few steps of a config on this device while no run trains (measure-step.ts). */
  private async measure(msg: Extract<ToTrainer, { type: 'measure-step' }>): Promise<void> {
    const { requestId, config } = msg;
    if (this.runId || this.measuring) {
      this.post({ type: 'request-failed', requestId, message: this.runId ? 'a run is training; its own steps give the time' : 'a measurement is already running' });
      return;
    }
    this.measuring = true;
    try {
      await initBackend(config.backend, { wasmPaths: this.env.wasmPaths });
      const { msPerStep, steps } = await measureStepMs(config, msg.steps);
      this.post({ type: 'step-measured', requestId, msPerStep, steps, backend: config.backend });
    } catch (e) {
      this.post({ type: 'request-failed', requestId, message: errorText(e) });
    } finally {
      this.measuring = false;
    }
  }

  /** Input, attention map (and the teacher's) and restricted input of train images of several classes, for the mask viewer. */
  private async postMasks(runId: string, teacher: BnnModel | undefined): Promise<void> {
    const trainer = this.trainer;
    const data = this.data;
    if (!trainer || !data) return;
    const indices = stratifiedSample(data.trainIndices, (i) => data.label(i), data.numClasses, MASK_BATCH, 'masks');
    const n = indices.length;
    const images = new Float32Array(n * data.imageSize);
    data.fillBatch(indices, images, new Int32Array(n));
    const x = tf.tensor4d(images, [n, data.height, data.width, data.channels]);
    try {
      const step = trainer.currentStep;
      const samples = await attentionMasks(trainer.model, trainer.model.quant(trainer.tkAt(step)), x, trainer.config.restrictionLambda, MASK_IMAGES, {
        erase: trainer.restrictionErase(),
        teacher,
      });
      const labels = Array.from(indices.subarray(0, samples.length), (i) => data.classNames[data.label(i)]);
      this.post({ type: 'masks', runId, step, samples, labels });
    } finally {
      x.dispose();
    }
  }

  private async startBackend(runId: string, backend: BackendName): Promise<void> {
    await initBackend(backend, { wasmPaths: this.env.wasmPaths });
    this.contextLost = false;
    this.lostWhat = backend === 'webgpu' ? 'WebGPU device' : 'WebGL context';
    if (backend === 'webgl') this.watchContextLoss();
    if (backend === 'webgpu') this.watchDeviceLoss();
    const threads = backend === 'wasm' ? wasmThreadCount() : null;
    this.post({ type: 'backend', runId, backend, ...(threads !== null ? { threads } : {}) });
  }

  /**
   * A lost WebGL context (driver reset, GPU process crash, tab in the background too long) makes
   * every later op fail. Stop the run at the next step boundary; the page then offers to resume it
   * from its last checkpoint, on a fresh worker.
   */
  private watchContextLoss(): void {
    const canvas = (tf.backend() as unknown as { gpgpu?: { gl?: { canvas?: EventTarget } } }).gpgpu?.gl?.canvas;
    if (!canvas || this.watched.has(canvas)) return;
    this.watched.add(canvas);
    canvas.addEventListener('webglcontextlost', (e) => {
      e.preventDefault();
      this.contextLost = true;
      this.trainer?.stop();
    });
  }

  /** A lost WebGPU device (driver reset, GPU process crash) is the same situation as a lost WebGL context. */
  private watchDeviceLoss(): void {
    const device = (tf.backend() as unknown as { device?: { lost?: Promise<unknown> } }).device;
    if (!device?.lost || this.watched.has(device)) return;
    this.watched.add(device);
    void device.lost.then(() => {
      this.contextLost = true;
      this.trainer?.stop();
    });
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
