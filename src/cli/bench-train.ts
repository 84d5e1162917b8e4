/**
 * `npm run bench:train [-- options]`: ms per training step and per forward pass (and their ratio)
 * of our binarized and full-precision ResNet-8/20 (w=16, batch 32, MNIST) against the same network
 * as a plain tf.layers model trained with model.fit — in Node on wasm (one thread), then in
 * headless Chromium (the page bench-train.html, driven by src/cli/bench-train-browser.ts) on wasm
 * with all threads and with one, in lockstep, with the threads' speed-up, on webgl, and on webgpu
 * where an adapter is present. Progress goes to stderr; the table (or with --json the
 * machine-readable result) to stdout.
 *
 * Options:
 *   --quick          fewer rounds and steps (a rough number in a fraction of the time)
 *   --json           print JSON instead of the table
 *   --node-only      skip the browser part
 *   --browser-only   skip the Node part
 *   --cpu            add a Node cpu column (slow: tfjs's cpu Conv2DBackpropFilter takes tens of
 *                    seconds per conv at batch 32, so a ResNet-20 step takes many minutes)
 *   --depths=8,20    depths to time
 *   --browser-backends=wasm,webgl,webgpu   backends of the browser part, in order (webgpu is
 *                    left out, with a note, where Chromium gives no adapter)
 *   --no-wasm-one-thread   browser wasm with all threads only (no one-thread run, no speed-up)
 *   --webgpu-swiftshader   start Chromium with WebGPU on SwiftShader (a software adapter, for a
 *                    machine without a GPU: slow, but the webgpu column runs)
 *   --rounds=N --warmup=N --steps=N   override the sampling of every column
 */
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { initBackend, type BackendName } from '../bnn/backend';
import { runStepBench, type BenchDepth, type StepBenchResult } from '../bench/step-bench';
import { loadMnistSmallNode } from '../data/mnist-node';
import { formatStepBenchTable, GOALS, type BenchColumn } from '../bench/bench-train-format';
import { benchSampling, progressLine, type BenchSampling } from '../bench/bench-train-settings';

interface Args {
  quick: boolean;
  json: boolean;
  node: boolean;
  browser: boolean;
  cpu: boolean;
  depths: BenchDepth[];
  browserBackends: string[];
  wasmOneThread: boolean;
  webgpuSwiftshader: boolean;
  override: Partial<BenchSampling>;
}

function parseArgs(argv: readonly string[]): Args {
  const flags = new Set(argv.filter((a) => !a.includes('=')));
  const values = new Map(argv.filter((a) => a.includes('=')).map((a) => a.split('=', 2) as [string, string]));
  const known = new Set(['--quick', '--json', '--node-only', '--browser-only', '--cpu', '--no-wasm-one-thread', '--webgpu-swiftshader']);
  for (const f of flags) if (!known.has(f)) throw new Error(`unknown option ${f}`);
  for (const k of values.keys()) {
    if (!['--depths', '--browser-backends', '--rounds', '--warmup', '--steps'].includes(k)) throw new Error(`unknown option ${k}`);
  }
  const int = (key: string, min: number): number | undefined => {
    const v = values.get(key);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${key} must be an integer >= ${min}`);
    return n;
  };
  const depths = (values.get('--depths') ?? '8,20').split(',').map(Number);
  for (const d of depths) if (![8, 14, 20].includes(d)) throw new Error(`--depths: ${d} is not 8, 14 or 20`);
  const browserBackends = (values.get('--browser-backends') ?? 'wasm,webgl,webgpu').split(',');
  for (const b of browserBackends) if (!['wasm', 'webgl', 'webgpu', 'cpu'].includes(b)) throw new Error(`--browser-backends: unknown backend ${b}`);
  const override: Partial<BenchSampling> = {};
  const rounds = int('--rounds', 1);
  const warmup = int('--warmup', 0);
  const steps = int('--steps', 1);
  if (rounds !== undefined) override.rounds = rounds;
  if (warmup !== undefined) override.warmupRounds = warmup;
  if (steps !== undefined) override.stepsPerSample = steps;
  if (flags.has('--node-only') && flags.has('--browser-only')) throw new Error('--node-only and --browser-only exclude each other');
  return {
    quick: flags.has('--quick'),
    json: flags.has('--json'),
    node: !flags.has('--browser-only'),
    browser: !flags.has('--node-only'),
    cpu: flags.has('--cpu'),
    depths: depths as BenchDepth[],
    browserBackends,
    wasmOneThread: !flags.has('--no-wasm-one-thread'),
    webgpuSwiftshader: flags.has('--webgpu-swiftshader'),
    override,
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function runNode(args: Args): Promise<{ environment: Record<string, unknown>; columns: BenchColumn[] }> {
  tf.env().set('PROD', true); // no first-use banners or debug checks in timed runs
  const data = loadMnistSmallNode();
  const backends: BackendName[] = args.cpu ? ['wasm', 'cpu'] : ['wasm'];
  const columns: BenchColumn[] = [];
  const environment: Record<string, unknown> = {
    runtime: `node ${process.version}`,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    tfjs: tf.version.tfjs,
  };
  for (const backend of backends) {
    const title = backend === 'wasm' ? 'Node wasm, 1 thread' : `Node ${backend}`;
    try {
      await initBackend(backend);
      if (backend === 'wasm') {
        environment.wasmSimd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
        environment.wasmThreads = getThreadsCount();
      }
      const sampling = { ...benchSampling(backend, args.quick), ...args.override };
      log(`${title}: ${sampling.warmupRounds} warm-up + ${sampling.rounds} rounds x ${sampling.stepsPerSample} step(s), depths ${args.depths.join(', ')}`);
      const result = await runStepBench({
        data,
        depths: args.depths,
        ...sampling,
        onProgress: (e) => log(progressLine(title, e)),
      });
      columns.push({ title, result });
    } catch (e) {
      log(`${title} failed: ${errorText(e)}`);
      columns.push({ title, error: errorText(e) });
    }
  }
  return { environment, columns };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const columns: BenchColumn[] = [];
  const environment: Record<string, unknown> = {};
  if (args.node) {
    const node = await runNode(args);
    columns.push(...node.columns);
    environment.node = node.environment;
    if (args.browser && !args.json) log(`\n${formatStepBenchTable(node.columns)}\n`);
  }
  if (args.browser) {
    const { runBrowserBench } = await import('./bench-train-browser');
    const browser = await runBrowserBench({
      quick: args.quick,
      depths: args.depths,
      backends: args.browserBackends,
      wasmOneThread: args.wasmOneThread,
      webgpuSwiftshader: args.webgpuSwiftshader,
      override: args.override,
      log,
    });
    columns.push(...browser.columns);
    environment.browser = browser.environment;
  }
  if (args.json) {
    const out = {
      goals: GOALS,
      environment,
      totalSeconds: (Date.now() - started) / 1000,
      columns: columns.map((c) => ({ title: c.title, error: c.error, result: c.result as StepBenchResult | undefined })),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatStepBenchTable(columns)}\n`);
    process.stdout.write(`\nEnvironment: ${JSON.stringify(environment)}\nTotal ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
