/**
 * `npm run examples`: trains every run of examples/gallery.json with the CLI's trainRun (Node,
 * wasm backend, the browser's Trainer) and writes the gallery the app shows on a first visit:
 * public/examples/<id>.json (curves, evaluations, layer statistics, attention masks of
 * restriction runs; src/state/example-file.ts), <id>.safetensors (the model, as Export writes
 * it) and index.json. Each file records this command and the source commit. Seeded: the same
 * commit on the same backend writes the same numbers (times aside).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BnnModel } from '../src/bnn/model/model';
import { binaryConvOps, symmetricHistogram } from '../src/bnn/train/layer-stats';
import { attentionMasks, restrictionEraseValue } from '../src/bnn/train/restriction';
import { getEstimator } from '../src/bnn/quantizers/registry';
import { UNIT_TK } from '../src/bnn/quantizers/estimator';
import type { ImageDataset } from '../src/data/dataset';
import { backgroundOf } from '../src/data/catalog';
import { stratifiedSample } from '../src/data/stratified-sample';
import type { ParamSnapshot } from '../src/bnn/model/params';
import type { RunConfig } from '../src/bnn/config';
import { MODEL_FILE, loadDatasetNode, startNodeBackend, trainRun } from '../src/cli/run';
import { formatDuration, processIO } from '../src/cli/args';
import { EXAMPLE_INDEX_FORMAT, EXAMPLE_VERSION, type ExampleIndex } from '../src/state/example-file';
import { exampleFile, planGallery, type ExampleExtras } from './examples-gallery';

const COMMAND = 'npm run examples';
/** `--gallery FILE --out DIR` write a gallery elsewhere (a quick check of the pipeline); the defaults are the committed ones. */
const GALLERY = flag('--gallery') ?? 'examples/gallery.json';
const OUT = flag('--out') ?? 'public/examples';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const MASK_BATCH = 20;
const MASK_IMAGES = 8;

function sourceCommit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  const head = git('rev-parse', 'HEAD');
  const changed = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!public/examples');
  return changed ? `${head} (with uncommitted changes)` : head;
}

/** The final latent weights of the first binary conv as a histogram (what the Inside view shows). */
function latentHistogram(config: RunConfig, classes: number, snapshot: ParamSnapshot): ExampleExtras['latentHistogram'] {
  if (config.precision !== 'binary') return null;
  const model = BnnModel.create(config, classes);
  try {
    const first = binaryConvOps(model.arch)[0];
    const w = first && snapshot[first.weight];
    return w ? { layer: first.name, ...symmetricHistogram(w.data) } : null;
  } finally {
    model.dispose();
  }
}

/** Attention masks of train images of eight classes at the end of a restriction run, as the app's worker computes them. */
async function masksOf(config: RunConfig, data: ImageDataset, snapshot: ParamSnapshot): Promise<ExampleExtras['masks']> {
  if (!config.restriction) return null;
  const model = BnnModel.fromSnapshot(config, data.numClasses, snapshot);
  const indices = stratifiedSample(data.trainIndices, (i) => data.label(i), data.numClasses, MASK_BATCH, 'masks');
  const images = new Float32Array(indices.length * data.imageSize);
  data.fillBatch(indices, images, new Int32Array(indices.length));
  const x = tf.tensor4d(images, [indices.length, data.height, data.width, data.channels]);
  const at = (name: RunConfig['activationEstimator']) => getEstimator(name).schedule?.(1, config) ?? UNIT_TK;
  try {
    const samples = await attentionMasks(model, model.quant({ activation: at(config.activationEstimator), weight: at(config.weightEstimator) }), x, config.restrictionLambda, MASK_IMAGES, {
      erase: restrictionEraseValue(data, backgroundOf(data.name)),
    });
    return { step: config.steps, labels: [...indices.slice(0, samples.length)].map((i) => data.classNames[data.label(i)]), samples };
  } finally {
    x.dispose();
    model.dispose();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const { gallery, runs } = planGallery(JSON.parse(readFileSync(GALLERY, 'utf8')));
  const commit = sourceCommit();
  const generatedAt = new Date().toISOString();
  await startNodeBackend('wasm');
  mkdirSync(OUT, { recursive: true });
  for (const f of readdirSync(OUT)) unlinkSync(join(OUT, f));
  const work = mkdtempSync(join(tmpdir(), 'bnn-examples-'));
  const datasets = new Map<string, ImageDataset>();
  const snapshots = new Map<string, { config: RunConfig; snapshot: ParamSnapshot }>();
  const index: ExampleIndex['examples'] = [];
  try {
    for (const [i, plan] of runs.entries()) {
      processIO.stderr(`\n[${i + 1}/${runs.length}] ${plan.id}\n`);
      const data = datasets.get(plan.config.dataset) ?? loadDatasetNode(plan.config.dataset);
      datasets.set(plan.config.dataset, data);
      const t = plan.teacher ? snapshots.get(plan.teacher) : undefined;
      if (plan.teacher && !t) throw new Error(`${plan.id}: its teacher ${plan.teacher} has not been trained`);
      const teacher = t && { model: BnnModel.fromSnapshot(t.config, data.numClasses, t.snapshot), info: { source: 'trained' as const, path: null, testAccuracy: null } };
      const out = join(work, plan.id);
      try {
        const result = await trainRun({ config: plan.config, data, out, io: processIO, label: plan.id, teacher, statsEvery: gallery.statsEvery });
        if (result.metrics.outcome.status !== 'finished') throw new Error(`${plan.id} ${result.metrics.outcome.status}: ${result.metrics.outcome.message}`);
        snapshots.set(plan.id, { config: plan.config, snapshot: result.snapshot });
        const modelFile = `${plan.id}.safetensors`;
        const model = readFileSync(join(out, MODEL_FILE));
        writeFileSync(join(OUT, modelFile), model);
        const file = exampleFile(plan, result.metrics, gallery.curvePoints, {
          command: COMMAND,
          commit,
          generatedAt,
          modelFile,
          modelBytes: model.length,
          latentHistogram: latentHistogram(plan.config, data.numClasses, result.snapshot),
          masks: await masksOf(plan.config, data, result.snapshot),
        });
        const json = `${JSON.stringify(file)}\n`;
        writeFileSync(join(OUT, `${plan.id}.json`), json);
        index.push({ id: plan.id, file: `${plan.id}.json`, bytes: Buffer.byteLength(json) });
        const acc = result.metrics.final.testAccuracy;
        processIO.stderr(`${plan.id}: ${acc === null ? '–' : (100 * acc).toFixed(2)}% in ${formatDuration(result.metrics.timing.trainMs)}\n`);
      } finally {
        teacher?.model.dispose();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const totalBytes = readdirSync(OUT).reduce((n, f) => n + statSync(join(OUT, f)).size, 0);
  const doc: ExampleIndex = { format: EXAMPLE_INDEX_FORMAT, version: EXAMPLE_VERSION, command: COMMAND, commit, generatedAt, totalBytes, examples: index };
  writeFileSync(join(OUT, 'index.json'), `${JSON.stringify(doc, null, 1)}\n`);
  processIO.stdout(`${runs.length} examples, ${(totalBytes / 1024).toFixed(1)} KiB in ${OUT}/, ${formatDuration(performance.now() - started)}\n`);
}

main().catch((e: unknown) => {
  processIO.stderr(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
