/**
 * Browser part of `npm run bench:train`: builds the app (with its bench-train.html page) into a
 * private folder, serves it with `vite preview` (cross-origin isolated, so wasm has its threads),
 * and drives the page in headless system Chromium (the e2e flags: SwiftShader WebGL; with
 * `webgpuSwiftshader` also WebGPU on SwiftShader) until the suite has run on each backend in a
 * Worker. Standalone: `npx tsx src/cli/bench-train-browser.ts [--quick] [--json]`.
 *
 * The build goes to node_modules/.cache/bench-train/dist (not dist/, which the e2e tests serve) and
 * is reused while no source file is newer than it.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, WEBGPU_SWIFTSHADER_ARGS } from './chromium-args';
import { buildMnistBin } from '../data/mnist-node';
import type { BenchColumn } from '../bench/bench-train-format';
import type { BenchSampling } from '../bench/bench-train-settings';
import type { BenchTrainPageState } from '../pages/bench-train-page';
import type { BenchDepth } from '../bench/step-bench';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'bench-train', 'dist');
const STAMP = join(OUT_DIR, '.built');
/** What the build depends on, besides node_modules. */
const INPUTS = ['src', 'public', 'index.html', 'bench-train.html', 'backend-check.html', 'vite.config.ts', 'package-lock.json'];

export interface BrowserBenchOptions {
  quick: boolean;
  depths: BenchDepth[];
  override: Partial<BenchSampling>;
  /** Backends to run, in order (default wasm, webgl, webgpu). */
  backends?: string[];
  /** Also run wasm on one thread, in lockstep with all threads (default true). */
  wasmOneThread?: boolean;
  /** Give Chromium WebGPU on SwiftShader (a software adapter). */
  webgpuSwiftshader?: boolean;
  log: (line: string) => void;
}

export interface BrowserBenchResult {
  environment: Record<string, unknown>;
  columns: BenchColumn[];
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

async function ensureBuild(log: (line: string) => void): Promise<void> {
  buildMnistBin(); // public/data/mnist-small.bin (no-op when up to date)
  const newest = Math.max(...INPUTS.map((p) => newestMtime(join(ROOT, p))));
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= newest && existsSync(join(OUT_DIR, 'bench-train.html'))) {
    log(`browser: reusing the build in ${OUT_DIR}`);
    return;
  }
  log(`browser: building the app into ${OUT_DIR} …`);
  const t0 = Date.now();
  await build({ root: ROOT, configFile: join(ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir: OUT_DIR, emptyOutDir: true } });
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(STAMP, new Date().toISOString());
  log(`browser: built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Runs the suite in headless Chromium; one column per backend ("Browser wasm", "Browser webgl"). */
export async function runBrowserBench(opts: BrowserBenchOptions): Promise<BrowserBenchResult> {
  const backends = opts.backends ?? ['wasm', 'webgl', 'webgpu'];
  const failed = (error: string): BrowserBenchResult => ({
    environment: {},
    columns: backends.map((b) => ({ title: `Browser ${b}`, error })),
  });
  try {
    await ensureBuild(opts.log);
  } catch (e) {
    return failed(`build failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const port = await freePort();
  const server = await preview({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: OUT_DIR },
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
  });
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const args = opts.webgpuSwiftshader ? [...CHROMIUM_ARGS, ...WEBGPU_SWIFTSHADER_ARGS] : CHROMIUM_ARGS;
  const browser = await chromium.launch({ executablePath, args, headless: true });
  try {
    const page = await browser.newPage();
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.startsWith('bench-train: ')) opts.log(text.slice('bench-train: '.length));
      else if (msg.type() === 'error') opts.log(`browser console error: ${text}`);
    });
    page.on('pageerror', (err) => opts.log(`browser page error: ${err.message}`));
    const query = new URLSearchParams({ autorun: '1', backends: backends.join(','), depths: opts.depths.join(',') });
    if (opts.quick) query.set('quick', '1');
    if (opts.wasmOneThread === false) query.set('wasmOneThread', '0');
    if (opts.override.rounds !== undefined) query.set('rounds', String(opts.override.rounds));
    if (opts.override.warmupRounds !== undefined) query.set('warmup', String(opts.override.warmupRounds));
    if (opts.override.stepsPerSample !== undefined) query.set('steps', String(opts.override.stepsPerSample));
    const url = `http://127.0.0.1:${port}/bench-train.html?${query}`;
    opts.log(`browser: ${executablePath} (${browser.version()}) → ${url}`);
    await page.goto(url);
    await page.waitForFunction(() => window.benchTrain?.state === 'done', undefined, { timeout: 90 * 60_000, polling: 1000 });
    const state = (await page.evaluate(() => window.benchTrain)) as BenchTrainPageState;
    return { environment: { chromium: browser.version(), ...state.environment }, columns: state.columns };
  } catch (e) {
    return failed(e instanceof Error ? e.message.split('\n')[0] : String(e));
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const { formatStepBenchTable } = await import('../bench/bench-train-format');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const result = await runBrowserBench({
    quick: args.has('--quick'),
    depths: [8, 20],
    override: {},
    webgpuSwiftshader: args.has('--webgpu-swiftshader'),
    log,
  });
  if (args.has('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${formatStepBenchTable(result.columns)}\n\nEnvironment: ${JSON.stringify(result.environment)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
