/**
 * `npm run bench [-- --quick] [-- --json]`: the kernel benchmark suite in Node —
 * XNOR kernels vs the float baselines vs tfjs cpu and wasm (SIMD, one thread) — then the
 * whole ResNet-20 (w = 16): XNOR engine vs float engine vs tfjs forward, with its storage.
 * Progress goes to stderr, so `--json` leaves stdout machine-readable.
 */
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { formatCase, formatSettings } from '../bench/kernels/format';
import { kernelCases } from '../bench/kernels/kernel-cases';
import { formatStorage, modelCases } from '../bench/kernels/model-cases';
import { runSuite } from '../bench/kernels/run-suite';
import { EXIT_USAGE, parseFlags, UsageError } from './args';

const BENCH_USAGE = `Usage: npm run bench [-- --quick] [-- --json]

Times the XNOR kernels against the float baselines and tfjs cpu/wasm (medians of
interleaved runs after warm-up, ratios pair by pair), then the whole ResNet-20 (w=16).

  --quick   GEMM and batch-1 conv layers, model at batch 1 only
  --json    print the result as JSON on stdout (progress stays on stderr)
  --help    this text
`;

async function main(): Promise<void> {
  let flags;
  try {
    flags = parseFlags(process.argv.slice(2), { quick: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`error: ${e.message}\n\n${BENCH_USAGE}`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  if (flags.help) {
    process.stdout.write(BENCH_USAGE);
    return;
  }
  const json = flags.json === true;
  const quick = flags.quick === true;
  tf.env().set('PROD', true); // no first-use banners or debug checks in timed runs
  const backends: string[] = [];
  for (const backend of ['cpu', 'wasm']) {
    if (await tf.setBackend(backend)) backends.push(backend);
    else process.stderr.write(`tfjs backend ${backend} unavailable; skipped\n`);
  }
  const environment = {
    runtime: `node ${process.version}`,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    tfjs: tf.version.tfjs,
    wasmSimd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    wasmThreads: backends.includes('wasm') ? getThreadsCount() : 0,
  };
  const cases = [...kernelCases({ quick, tf, tfBackends: backends }), ...modelCases({ quick, tf, tfBackends: backends })];
  const clearLine = () => process.stderr.write(`\r${' '.repeat(90)}\r`);
  const result = await runSuite(cases, {
    quick,
    environment,
    onProgress: ({ done, total, label }) => process.stderr.write(`\r[${done}/${total}] ${label}`.padEnd(90).slice(0, 90)),
    onCase: (c) => {
      clearLine();
      if (!json) process.stdout.write(`${formatCase(c)}\n${c.kind === 'model' ? `${formatStorage(c)}\n` : ''}\n`);
    },
  });
  clearLine();
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${formatSettings(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
