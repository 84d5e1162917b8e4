/**
 * bench-train.html: runs the training-step suite in one Worker per backend and shows the table.
 * On a cross-origin isolated page with more than one core, wasm runs twice, with all threads and
 * with one, in two Workers that alternate round by round (lockstep), so their times pair up; the
 * table then adds the threads' speed-up. WebGPU gets a column where an adapter is present.
 * URL parameters (used by src/cli/bench-train-browser.ts): backends=wasm,webgl,webgpu, quick=1,
 * depths=8,20, rounds=N, warmup=N, steps=N, wasmOneThread=0 (no one-thread run), autorun=1.
 * Progress lines also go to the console ("bench-train: …") and the final state to
 * `window.benchTrain`.
 */
import type { BenchDepth } from '../bench/step-bench';
import { formatStepBenchTable, type BenchColumn } from '../bench/bench-train-format';
import type { BenchBackend, BenchPageMessage, BenchRunRequest, BenchWorkerMessage } from '../bench/bench-train-protocol';
import { progressLine, type BenchSampling } from '../bench/bench-train-settings';

export interface BenchTrainPageState {
  state: 'idle' | 'running' | 'done';
  columns: BenchColumn[];
  environment: Record<string, Record<string, unknown>>;
}

declare global {
  interface Window {
    benchTrain: BenchTrainPageState;
  }
}

const BACKENDS: readonly BenchBackend[] = ['wasm', 'webgl', 'webgpu', 'cpu'];

function el<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return e as T;
}

const params = new URLSearchParams(location.search);
const backendsInput = el<HTMLInputElement>('backends');
const quickInput = el<HTMLInputElement>('quick');
const runButton = el<HTMLButtonElement>('run');
const statusEl = el<HTMLSpanElement>('status');
const tableEl = el<HTMLPreElement>('table');
const logEl = el<HTMLPreElement>('log');
if (params.has('backends')) backendsInput.value = params.get('backends') ?? '';
quickInput.checked = params.get('quick') === '1';

window.benchTrain = { state: 'idle', columns: [], environment: {} };

function log(line: string): void {
  console.log(`bench-train: ${line}`);
  logEl.textContent += `${line}\n`;
  logEl.scrollTop = logEl.scrollHeight;
}

function intParam(name: string): number | undefined {
  const v = params.get(name);
  return v === null ? undefined : Number(v);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One Worker running the suite: its column, and in lockstep its turns. */
class BenchWorker {
  title: string;
  readonly column: Promise<BenchColumn>;
  private readonly worker: Worker;
  private turn: ((state: 'round' | 'end') => void) | null = null;
  private ended = false;

  constructor(request: BenchRunRequest, title: string) {
    this.title = title;
    this.worker = new Worker(new URL('./bench-train.worker.ts', import.meta.url), { type: 'module' });
    this.column = new Promise((resolve) => {
      const finish = (column: BenchColumn) => {
        this.ended = true;
        this.worker.terminate();
        this.turn?.('end');
        this.turn = null;
        resolve(column);
      };
      this.worker.onmessage = (e: MessageEvent<BenchWorkerMessage>) => {
        const m = e.data;
        if (m.type === 'progress') log(progressLine(this.title, m.event));
        else if (m.type === 'round') {
          this.turn?.('round');
          this.turn = null;
        } else if (m.type === 'started') {
          if (request.backend === 'wasm' && typeof m.environment.wasmThreads === 'number') {
            this.title = `Browser wasm, ${plural(m.environment.wasmThreads, 'thread')}`;
          }
          if (request.backend === 'webgpu' && m.environment.webgpuSoftware === true) {
            this.title = `Browser webgpu (software adapter: ${String(m.environment.webgpuAdapter)})`;
          }
          window.benchTrain.environment[this.title] = m.environment;
          log(`${this.title}: started ${JSON.stringify(m.environment)}`);
        } else if (m.type === 'done') finish({ title: this.title, result: m.result });
        else if (m.type === 'absent') {
          log(`${this.title}: not present here (${m.reason})`);
          finish({ title: this.title, absent: m.reason });
        } else {
          log(`${this.title} failed: ${m.message}`);
          finish({ title: this.title, error: m.message });
        }
      };
      this.worker.onerror = (e) => {
        log(`${this.title} failed: ${e.message}`);
        finish({ title: this.title, error: e.message || 'worker error' });
      };
    });
    this.worker.postMessage(request satisfies BenchPageMessage);
  }

  /** Resolves when the Worker waits for its next round ('round') or has finished ('end'). */
  next(): Promise<'round' | 'end'> {
    if (this.ended) return Promise.resolve('end');
    return new Promise((resolve) => (this.turn = resolve));
  }

  go(): void {
    this.worker.postMessage({ type: 'go' } satisfies BenchPageMessage);
  }
}

/**
 * Runs the Workers one round at a time, in turn (who goes first alternates every round), so that
 * their round i ran under the same conditions. The turn is taken when a Worker is at its next
 * round, after its set-up for that round.
 */
async function runLockstep(workers: readonly BenchWorker[]): Promise<BenchColumn[]> {
  const waiting = workers.map((w) => w.next());
  const states = await Promise.all(waiting);
  for (let turn = 0; states.some((s) => s === 'round'); turn++) {
    const order = workers.map((_, i) => i);
    if (turn % 2 === 1) order.reverse();
    for (const i of order) {
      if (states[i] !== 'round') continue;
      const next = workers[i].next();
      workers[i].go();
      states[i] = await next;
    }
  }
  return Promise.all(workers.map((w) => w.column));
}

async function runAll(): Promise<void> {
  const backends = backendsInput.value
    .split(',')
    .map((b) => b.trim())
    .filter((b): b is BenchBackend => (BACKENDS as readonly string[]).includes(b));
  const depths = (params.get('depths') ?? '8,20').split(',').map(Number) as BenchDepth[];
  const override: Partial<BenchSampling> = {};
  const rounds = intParam('rounds');
  const warmup = intParam('warmup');
  const steps = intParam('steps');
  if (rounds !== undefined) override.rounds = rounds;
  if (warmup !== undefined) override.warmupRounds = warmup;
  if (steps !== undefined) override.stepsPerSample = steps;
  const pairThreads = crossOriginIsolated && navigator.hardwareConcurrency > 1 && params.get('wasmOneThread') !== '0';
  runButton.disabled = true;
  window.benchTrain = { state: 'running', columns: [], environment: {} };
  statusEl.textContent = 'running…';
  tableEl.textContent = '';
  const show = (...columns: BenchColumn[]) => {
    window.benchTrain.columns.push(...columns);
    tableEl.textContent = formatStepBenchTable(window.benchTrain.columns);
  };
  for (const backend of backends) {
    const request: BenchRunRequest = { type: 'run', backend, quick: quickInput.checked, depths, override };
    if (backend === 'wasm' && pairThreads) {
      const all = new BenchWorker({ ...request, lockstep: true }, 'Browser wasm, all threads');
      const one = new BenchWorker({ ...request, lockstep: true, wasmThreads: 1 }, 'Browser wasm, 1 thread');
      const [a, b] = await runLockstep([all, one]);
      const both = a.result && b.result;
      show(a, b, ...(both ? [{ title: `wasm ${a.title.replace('Browser wasm, ', '')} vs 1: speed-up`, speedup: { fast: a.title, slow: b.title } }] : []));
      continue;
    }
    show(await new BenchWorker(request, `Browser ${backend}`).column);
  }
  window.benchTrain.state = 'done';
  statusEl.textContent = 'done';
  runButton.disabled = false;
}

runButton.addEventListener('click', () => void runAll());
if (params.get('autorun') === '1') void runAll();
