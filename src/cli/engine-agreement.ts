/**
 * `npx tsx src/cli/engine-agreement.ts [--model FILE.safetensors] [--steps N] [--depth 8|14|20]
 *  [--width 8|16|32] [--limit N] [--json]`
 *
 * Agreement of the XNOR inference engine with the tfjs model on the MNIST test split: a model
 * exported by the app or `npm run train` (--model), or one trained here with the IR-Net
 * defaults for --steps steps (default 300) on wasm. Every disagreement is explained by a
 * logit tie or a sign input within float rounding of 0, or reported as unexplained.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_CONFIG, type RunConfig } from '../bnn/config';
import type { BnnModel } from '../bnn/model/model';
import { Trainer } from '../bnn/train/trainer';
import { loadMnistSmallNode } from '../data/mnist-node';
import { createInferenceModel, importModel } from '../io/import';
import { compileEngine, type EngineSource } from '../engine/engine';
import { measureAgreement } from '../engine/agreement';
import { engineSourceFromImport, engineSourceFromModel } from '../engine/sources';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
  await tf.ready();
  const data = loadMnistSmallNode();
  let model: Pick<BnnModel, 'arch' | 'params' | 'quant'>;
  let source: EngineSource;
  let what: string;
  let dispose: () => void;
  const file = flag(args, '--model');
  if (file) {
    const imported = importModel(readFileSync(file));
    if (imported.config.dataset !== 'mnist-small') throw new Error(`${file} was trained on ${imported.config.dataset}; this script evaluates MNIST small`);
    const m = createInferenceModel(imported);
    model = m;
    source = engineSourceFromImport(imported);
    what = `${file} (${imported.config.depth}-layer, w=${imported.config.width}, ${imported.config.weightTransform}/${imported.config.activationEstimator})`;
    dispose = () => m.dispose();
  } else {
    const config: RunConfig = {
      ...DEFAULT_CONFIG,
      dataset: 'mnist-small',
      depth: Number(flag(args, '--depth') ?? 8) as RunConfig['depth'],
      width: Number(flag(args, '--width') ?? 16) as RunConfig['width'],
      steps: Number(flag(args, '--steps') ?? 300),
      evalEvery: 1_000_000,
      evalLimit: 200,
    };
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
  const report = await measureAgreement(model, engine, data, { limit: Number(flag(args, '--limit') ?? 0) });
  dispose();
  if (json) {
    process.stdout.write(`${JSON.stringify({ model: what, ...report }, null, 2)}\n`);
    return;
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
  process.stdout.write(`${lines.join('\n')}\n`);
  if (report.disagreements.some((d) => d.reason === 'unexplained')) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
