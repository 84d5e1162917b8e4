/**
 * backend-check.html: runs the cross-backend check in a Worker and lists each case. URL parameters
 * (used by the e2e tests): backend=webgpu|webgl|wasm, reference=cpu, only=<text in the case names>,
 * autorun=1. The state is also
 * in `window.backendCheck`, and each line goes to the console ("backend-check: …").
 */
import { formatCheckResult, type BackendCheckResult } from '../bnn/backend-check';
import type { BackendCheckMessage, BackendCheckRequest } from './backend-check-protocol';

export interface BackendCheckPageState {
  state: 'idle' | 'running' | 'done' | 'failed';
  environment: Record<string, unknown>;
  results: BackendCheckResult[];
  error?: string;
}

declare global {
  interface Window {
    backendCheck: BackendCheckPageState;
  }
}

function el<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return e as T;
}

const params = new URLSearchParams(location.search);
const backendSelect = el<HTMLSelectElement>('backend');
const runButton = el<HTMLButtonElement>('run');
const statusEl = el<HTMLSpanElement>('status');
const resultsEl = el<HTMLPreElement>('results');
if (params.has('backend')) backendSelect.value = params.get('backend') ?? 'webgpu';
window.backendCheck = { state: 'idle', environment: {}, results: [] };

function line(text: string): void {
  console.log(`backend-check: ${text}`);
  resultsEl.textContent += `${text}\n`;
}

function run(): void {
  const request: BackendCheckRequest = {
    type: 'run',
    target: backendSelect.value,
    reference: params.get('reference') ?? 'cpu',
    only: params.get('only') ?? undefined,
  };
  const state: BackendCheckPageState = { state: 'running', environment: {}, results: [] };
  window.backendCheck = state;
  runButton.disabled = true;
  resultsEl.textContent = '';
  statusEl.textContent = `running on ${request.target} against ${request.reference}…`;
  const worker = new Worker(new URL('./backend-check.worker.ts', import.meta.url), { type: 'module' });
  const finish = (outcome: 'done' | 'failed', message: string): void => {
    state.state = outcome;
    statusEl.textContent = message;
    runButton.disabled = false;
    worker.terminate();
  };
  worker.onmessage = (e: MessageEvent<BackendCheckMessage>) => {
    const m = e.data;
    if (m.type === 'started') {
      state.environment = m.environment;
      line(`${m.total} cases, ${JSON.stringify(m.environment)}`);
    } else if (m.type === 'result') {
      state.results.push(m.result);
      line(`[${m.index + 1}/${m.total}] ${formatCheckResult(m.result)} (${(m.result.ms / 1000).toFixed(1)} s)`);
    } else if (m.type === 'done') {
      const failed = m.results.filter((r) => !r.ok).length;
      finish('done', failed === 0 ? `all ${m.results.length} cases agree` : `${failed} of ${m.results.length} cases disagree`);
    } else {
      state.error = m.message;
      line(`failed: ${m.message}`);
      finish('failed', `failed: ${m.message}`);
    }
  };
  worker.onerror = (e) => {
    state.error = e.message || 'worker error';
    finish('failed', `failed: ${state.error}`);
  };
  worker.postMessage(request);
}

runButton.addEventListener('click', run);
if (params.get('autorun') === '1') run();
