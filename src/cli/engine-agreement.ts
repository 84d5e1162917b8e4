/**
 * `npm run engine:agreement -- [--model FILE.safetensors] [--steps N] [--depth 8|14|20]
 *  [--width 8|16|32] [--limit N] [--json]`
 *
 * Agreement of the XNOR inference engine with the tfjs model on a test split: a model exported
 * by the app or `npm run train` (--model; its own dataset), or one trained here with the IR-Net
 * defaults for --steps steps (default 300) on MNIST small, wasm. Every disagreement is explained by
 * a logit tie or a sign input within float rounding of 0, or reported as unexplained (exit 1).
 */
import { readFileSync } from 'node:fs';
import type { ImageDataset } from '../data/dataset';
import { DEFAULT_CONFIG, type RunConfig } from '../bnn/config';
import type { BnnModel } from '../bnn/model/model';
import { Trainer } from '../bnn/train/trainer';
import { createInferenceModel, importModel } from '../io/import';
import { compileEngine, type EngineSource } from '../engine/engine';
import { measureAgreement } from '../engine/agreement';
import { engineSourceFromImport, engineSourceFromModel } from '../engine/sources';

import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, bool, runIfEntry, num, parseFlags, processIO, str, type CliIO, type ParsedFlags } from './args';
import { loadDatasetNode, startNodeBackend } from './run';

export const AGREEMENT_USAGE = `Usage: npm run engine:agreement -- [options]

  --model FILE     a .safetensors file exported by the app or npm run train (default: train one here)
  --steps N        steps of the model trained here (default 300)
  --depth N        8 | 14 | 20 (default 8)
  --width N        8 | 16 | 32 (default 16)
  --limit N        test images (default 0 = all)
  --json           print the report as JSON
  --help           this text
`;

export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let flags: ParsedFlags;
  try {
    flags = parseFlags(argv, {
      model: { type: 'string' },
      steps: { type: 'int', min: 1 },
      depth: { type: 'int', choices: ['8', '14', '20'] },
      width: { type: 'int', choices: ['8', '16', '32'] },
      limit: { type: 'int', min: 0 },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    });
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n\n${AGREEMENT_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (bool(flags, 'help')) {
    io.stdout(AGREEMENT_USAGE);
    return EXIT_OK;
  }
  try {
    return await agreement(flags, io);
  } catch (e) {
    io.stderr(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
}

async function agreement(flags: ParsedFlags, io: CliIO): Promise<number> {
  const json = bool(flags, 'json');
  const log = (line: string) => io.stderr(`${line}\n`);
  await startNodeBackend('wasm');
  let model: Pick<BnnModel, 'arch' | 'params' | 'quant'>;
  let source: EngineSource;
  let what: string;
  let dispose: () => void;
  const file = str(flags, 'model');
  let data: ImageDataset;
  if (file) {
    const imported = importModel(Uint8Array.from(readFileSync(file)));
    if (imported.config.dataset === 'cifar10') throw new Error(`${file} was trained on CIFAR-10, which the command line cannot load`);
    data = loadDatasetNode(imported.config.dataset);
    const m = createInferenceModel(imported);
    model = m;
    source = engineSourceFromImport(imported);
    what = `${file} (${imported.config.depth}-layer, w=${imported.config.width}, ${imported.config.weightTransform}/${imported.config.activationEstimator})`;
    dispose = () => m.dispose();
  } else {
    const config: RunConfig = {
      ...DEFAULT_CONFIG,
      dataset: 'mnist-small',
      depth: (num(flags, 'depth') ?? 8) as RunConfig['depth'],
      width: (num(flags, 'width') ?? 16) as RunConfig['width'],
      steps: num(flags, 'steps') ?? 300,
      evalEvery: 1_000_000,
      evalLimit: 200,
    };
    data = loadDatasetNode(config.dataset);
    const t0 = performance.now();
    const trainer = new Trainer(config, data, {
      onStep: (s) => {
        if (s.step % 25 === 0) log(`step ${s.step}/${config.steps} loss ${s.loss.toFixed(3)}`);
      },
    });
    const out = await trainer.run();
    if (out.status !== 'finished') throw new Error(`training ${out.status}: ${out.message ?? ''}`);
    log(`trained ${config.steps} steps in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    model = trainer.model;
    source = await engineSourceFromModel(trainer.model);
    what = `ResNet-${config.depth} w=${config.width} IR-Net (Libra-PB + EDE) trained ${config.steps} steps, seed ${config.seed}`;
    dispose = () => trainer.dispose();
  }
  const engine = compileEngine(source, { maxBatch: 32 });
  const report = await measureAgreement(model, engine, data, { limit: num(flags, 'limit') ?? 0 });
  dispose();
  if (json) {
    io.stdout(`${JSON.stringify({ model: what, ...report }, null, 2)}\n`);
    return report.disagreements.some((d) => d.reason === 'unexplained') ? EXIT_FAILURE : EXIT_OK;
  }
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  const lines = [
    `model: ${what}`,
    `MNIST test images: ${report.images}`,
    `predictions agree: ${report.agree}/${report.images} (${pct(report.agreement)})`,
    `accuracy: tfjs ${pct(report.tfjsAccuracy)}, engine ${pct(report.engineAccuracy)}`,
    `images with a binary conv input binarised differently: ${report.imagesWithSignFlips}`,
    `max relative logit error (images without such a flip): ${report.maxRelativeLogitError.toExponential(2)}`,
    `disagreements: ${report.disagreements.length}`,
    ...report.disagreements.map((d) => `  image ${d.index} (label ${d.label}): tfjs ${d.tfjs}, engine ${d.engine} — ${d.reason}: ${d.detail}`),
  ];
  io.stdout(`${lines.join('\n')}\n`);
  return report.disagreements.some((d) => d.reason === 'unexplained') ? EXIT_FAILURE : EXIT_OK;
}

runIfEntry(import.meta.url, main);
