/**
 * `npm run profile:train -- [--preset irnet] [--depth 8] [--width 16] [--batch 32] [--steps 30] [--warmup 5]`
 *
 * Where a training step's time goes in Node (wasm backend): the Trainer's phases, the forward pass
 * alone (training and inference mode), and the time per tfjs kernel of one forward + backward
 * (src/bench/train-profile.ts). Absolute times depend on the machine and its load; read the shares.
 */
import { DEFAULT_CONFIG, PRESETS, applyPreset, type PresetName, type RunConfig } from '../bnn/config';
import { profileTraining } from '../bench/train-profile';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, bool, runIfEntry, num, parseFlags, processIO, str, type CliIO, type FlagSpec } from './args';
import { loadDatasetNode, startNodeBackend } from './run';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  preset: { type: 'string', choices: Object.keys(PRESETS) },
  dataset: { type: 'string', choices: ['mnist', 'mnist-small', 'fashion-mnist', 'shapes'] },
  depth: { type: 'int', choices: ['8', '14', '20'] },
  width: { type: 'int', choices: ['8', '16', '32'] },
  batch: { type: 'int', min: 1, max: 512 },
  steps: { type: 'int', min: 1, max: 10_000 },
  warmup: { type: 'int', min: 0, max: 1_000 },
  'stats-every': { type: 'int', min: 0 },
  backend: { type: 'string', choices: ['wasm', 'cpu'] },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
};

export const PROFILE_USAGE = `Usage: npm run profile:train -- [options]

Profiles training steps in Node: phases, forward pass, tfjs kernels.

  --preset NAME      ${Object.keys(PRESETS).join(' | ')}   (default irnet)
  --dataset NAME     mnist | mnist-small | fashion-mnist | shapes   (default mnist-small)
  --depth N          8 | 14 | 20        (default 8)
  --width N          8 | 16 | 32        (default 16)
  --batch N          batch size         (default 32)
  --steps N          measured steps     (default 30)
  --warmup N         discarded steps    (default 5)
  --stats-every N    layer statistics every N steps, 0 = none (default 0)
  --backend NAME     wasm | cpu         (default wasm)
  --json             print the profile as JSON
  --help             this text
`;

export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let config: RunConfig;
  let flags;
  try {
    flags = parseFlags(argv, FLAGS);
    if (bool(flags, 'help')) {
      io.stdout(PROFILE_USAGE);
      return EXIT_OK;
    }
    config = applyPreset(
      {
        ...DEFAULT_CONFIG,
        dataset: (str(flags, 'dataset') ?? 'mnist-small') as RunConfig['dataset'],
        depth: (num(flags, 'depth') ?? 8) as RunConfig['depth'],
        width: (num(flags, 'width') ?? 16) as RunConfig['width'],
        batchSize: num(flags, 'batch') ?? 32,
        backend: (str(flags, 'backend') ?? 'wasm') as RunConfig['backend'],
        evalEvery: 1_000_000,
        bnCalibration: 0,
      },
      (str(flags, 'preset') ?? 'irnet') as PresetName,
    );
    if (config.restriction || config.distill) config = { ...config, distill: false };
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n\n${PROFILE_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  try {
    await startNodeBackend(config.backend);
    const data = loadDatasetNode(config.dataset);
    const statsEvery = num(flags, 'stats-every') ?? 0;
    const p = await profileTraining({ config: { ...config }, data, steps: num(flags, 'steps') ?? 30, warmup: num(flags, 'warmup') ?? 5, statsEvery });
    if (bool(flags, 'json')) {
      io.stdout(`${JSON.stringify(p, null, 1)}\n`);
      return EXIT_OK;
    }
    const total = p.phases.reduce((a, x) => a + x.ms, 0);
    const lines = [
      `${p.backend}: ResNet-${config.depth} w${config.width} batch ${config.batchSize}, ${config.precision === 'full' ? 'full precision' : `${config.weightTransform} + ${config.activationEstimator}`}, ${p.steps} steps`,
      `step ${p.stepMs.toFixed(1)} ms; forward ${p.forwardTrainingMs.toFixed(1)} ms (training mode), ${p.forwardInferenceMs.toFixed(1)} ms (inference); step / inference forward = ${(p.stepMs / p.forwardInferenceMs).toFixed(2)}`,
      '',
      '| phase | ms per step | share |',
      '|---|---:|---:|',
      ...p.phases.filter((x) => x.ms > 0).map((x) => `| ${x.phase} | ${x.ms.toFixed(2)} | ${((100 * x.ms) / total).toFixed(1)}% |`),
      '',
      '| kernel (one forward + backward) | calls | ms | share |',
      '|---|---:|---:|---:|',
      ...p.kernels.slice(0, 25).map((k) => {
        const sum = p.kernels.reduce((a, x) => a + x.ms, 0);
        return `| ${k.name} | ${k.calls} | ${k.ms.toFixed(2)} | ${((100 * k.ms) / sum).toFixed(1)}% |`;
      }),
      '',
      `kernels: ${p.kernels.reduce((a, k) => a + k.calls, 0)} calls, ${p.kernels.reduce((a, k) => a + k.ms, 0).toFixed(1)} ms; tensors ${p.tensorsBefore} → ${p.tensorsAfter}`,
      `memory after measured step 1 / ${p.steps}: ${p.memoryFirstStep.numTensors} / ${p.memoryLastStep.numTensors} tensors, ${(p.memoryFirstStep.numBytes / 2 ** 20).toFixed(1)} / ${(p.memoryLastStep.numBytes / 2 ** 20).toFixed(1)} MiB; peak during one forward + backward ${(p.peakBytes / 2 ** 20).toFixed(1)} MiB`,
    ];
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT_OK;
  } catch (e) {
    io.stderr(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
}

runIfEntry(import.meta.url, main);
