/**
 * bench-train.html: runs the training-step suite in one Worker per backend and shows the table.
 * URL parameters (used by scripts/bench-train-browser.ts): backends=wasm,webgl, quick=1,
 * depths=8,20, rounds=N, warmup=N, steps=N, autorun=1. Progress lines also go to the console
 * ("bench-train: …") and the final state to `window.benchTrain`.
 */
import type { BenchDepth } from '../bnn/train/step-bench';
import { formatStepBenchTable, type BenchColumn } from './bench-train-format';
import type { BenchBackend, BenchRunRequest, BenchWorkerMessage } from './bench-train-protocol';
import { progressLine, type BenchSampling } from './bench-train-settings';

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

const BACKENDS: readonly BenchBackend[] = ['wasm', 'webgl', 'cpu'];

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

function runOne(request: BenchRunRequest, title: string): Promise<BenchColumn> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./bench-train.worker.ts', import.meta.url), { type: 'module' });
    const finish = (column: BenchColumn) => {
      worker.terminate();
      resolve(column);
    };
    worker.onmessage = (e: MessageEvent<BenchWorkerMessage>) => {
      const m = e.data;
      if (m.type === 'progress') log(progressLine(title, m.event));
      else if (m.type === 'started') {
        window.benchTrain.environment[title] = m.environment;
        log(`${title}: started ${JSON.stringify(m.environment)}`);
      } else if (m.type === 'done') finish({ title, result: m.result });
      else {
        log(`${title} failed: ${m.message}`);
        finish({ title, error: m.message });
      }
    };
    worker.onerror = (e) => {
      log(`${title} failed: ${e.message}`);
      finish({ title, error: e.message || 'worker error' });
    };
    worker.postMessage(request);
  });
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
  runButton.disabled = true;
  window.benchTrain = { state: 'running', columns: [], environment: {} };
  statusEl.textContent = 'running…';
  tableEl.textContent = '';
  for (const backend of backends) {
    const title = `Browser ${backend}`;
    const column = await runOne({ type: 'run', backend, quick: quickInput.checked, depths, override }, title);
    window.benchTrain.columns.push(column);
    tableEl.textContent = formatStepBenchTable(window.benchTrain.columns);
  }
  window.benchTrain.state = 'done';
  statusEl.textContent = 'done';
  runButton.disabled = false;
}

runButton.addEventListener('click', () => void runAll());
if (params.get('autorun') === '1') void runAll();
