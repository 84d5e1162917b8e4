/**
 * The cases of the cross-backend check (backend-check.ts): every value and gradient training uses
 * (convs and their gradients, each estimator and weight transform, every preset's forward and
 * backward, trainer steps), each computed on the target backend and on the reference.
 */
import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { applyPreset, DEFAULT_CONFIG, PRESETS, needsTeacher, type PresetName, type RunConfig } from './config';
import { conv2d, conv2dWithIm2colGrad, depthwiseConv2d } from './model/conv';
import { binaryWeight } from './model/forward';
import { BnnModel, latentWeightNames, quantContextFor } from './model/model';
import type { ParamSnapshot } from './model/params';
import { binarize } from './quantizers/estimator';
import { ESTIMATORS, WEIGHT_TRANSFORMS, getWeightTransform, type EstimatorName } from './quantizers/registry';
import { trainingObjective } from './train/objective';
import { lossTermsFor } from './train/terms';
import { restrictionEraseValue } from './train/restriction';
import { Trainer } from './train/trainer';
import { datasetFromArrays, type ImageDataset } from '../data/dataset';

import type { BackendCheckCase, Outputs } from './backend-check';

function randomArray(n: number, rng: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => rng() * 2 - 1);
}

async function read(named: Record<string, tf.Tensor>): Promise<Outputs> {
  const out: Outputs = {};
  for (const [k, t] of Object.entries(named)) out[k] = (await t.data()) as Float32Array;
  tf.dispose(Object.values(named));
  return out;
}

type Shape4 = [number, number, number, number];

/** y, dx, dw of sum(conv(x, w) · dy). */
function convGradients(
  conv: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D,
  x: Float32Array, xs: Shape4, w: Float32Array, ws: Shape4, dy: Float32Array, ys: Shape4,
): Promise<Outputs> {
  const named = tf.tidy(() => {
    const xt = tf.tensor4d(x, xs);
    const wt = tf.tensor4d(w, ws);
    const dyt = tf.tensor4d(dy, ys);
    const f = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), dyt));
    const [gx, gw] = tf.grads(f)([xt, wt]);
    return { y: conv(xt, wt), dx: gx, dw: gw };
  });
  return read(named);
}

/** The conv cases of conv.test.ts (3×3, pad 1), plus its 1×1 case. */
const CONV_SHAPES: readonly [stride: number, n: number, h: number, w: number, cin: number, cout: number][] = [
  [1, 1, 9, 9, 3, 5],
  [2, 2, 9, 9, 3, 5],
  [2, 3, 8, 8, 4, 6],
  [1, 2, 7, 5, 16, 16],
  [2, 1, 28, 28, 8, 16],
];

function convCases(): BackendCheckCase[] {
  const cases: BackendCheckCase[] = [];
  for (const [stride, n, h, w, cin, cout] of CONV_SHAPES) {
    const rng = seedrandom.alea(`conv${stride}${n}${h}${cin}`);
    const ho = Math.floor((h + 2 - 3) / stride) + 1;
    const wo = Math.floor((w + 2 - 3) / stride) + 1;
    const xs: Shape4 = [n, h, w, cin];
    const ws: Shape4 = [3, 3, cin, cout];
    const ys: Shape4 = [n, ho, wo, cout];
    const x = randomArray(n * h * w * cin, rng);
    const wt = randomArray(9 * cin * cout, rng);
    const dy = randomArray(n * ho * wo * cout, rng);
    const shape = `${n}×${h}×${w}×${cin} → ${cout}`;
    cases.push(
      { name: `conv2d stride ${stride}, ${shape}`, tolerance: 1e-4, run: () => convGradients((a, b) => conv2d(a, b, stride, 1), x, xs, wt, ws, dy, ys) },
      {
        name: `conv2d stride ${stride}, ${shape}, im2col filter gradient`,
        tolerance: 1e-4,
        run: () => convGradients((a, b) => conv2dWithIm2colGrad(a, b, stride, 1), x, xs, wt, ws, dy, ys),
      },
    );
  }
  const rng = seedrandom.alea('1x1');
  const x = randomArray(2 * 4 * 4 * 6, rng);
  const w = randomArray(6 * 3, rng);
  const dy = randomArray(2 * 4 * 4 * 3, rng);
  cases.push({ name: 'conv2d 1×1, pad 0', tolerance: 1e-4, run: () => convGradients((a, b) => conv2d(a, b, 1, 0), x, [2, 4, 4, 6], w, [1, 1, 6, 3], dy, [2, 4, 4, 3]) });
  const rd = seedrandom.alea('dw');
  const dx = randomArray(2 * 5 * 5 * 4, rd);
  const dw = randomArray(9 * 4 * 3, rd);
  const ddy = randomArray(2 * 5 * 5 * 12, rd);
  cases.push({
    name: 'depthwise 3×3, multiplier 3',
    tolerance: 1e-4,
    run: () => convGradients((a, b) => depthwiseConv2d(a, b, 1), dx, [2, 5, 5, 4], dw, [3, 3, 4, 3], ddy, [2, 5, 5, 12]),
  });
  return cases;
}

/** Values around the estimators' kinks and clip edges, and 0 (sign(0) = +1). */
const ESTIMATOR_INPUTS = [-3, -1.5, -1.0001, -1, -0.75, -0.5, -0.1, -1e-7, 0, 1e-7, 0.25, 0.5, 0.9999, 1, 1.0001, 2];

function quantizerCases(): BackendCheckCase[] {
  const cases: BackendCheckCase[] = [];
  const dyValues = ESTIMATOR_INPUTS.map((_, i) => ((i * 37) % 11) / 5 - 1);
  for (const name of Object.keys(ESTIMATORS) as EstimatorName[]) {
    for (const tk of [{ t: 1, k: 1 }, { t: 3, k: 0.5 }]) {
      cases.push({
        name: `estimator ${name} at t=${tk.t}, k=${tk.k}`,
        tolerance: 1e-5,
        run: () =>
          read(
            tf.tidy(() => {
              const x = tf.tensor1d(ESTIMATOR_INPUTS);
              const dy = tf.tensor1d(dyValues);
              const est = ESTIMATORS[name];
              const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(binarize(t, est, tk), dy)))(x);
              return { sign: binarize(x, est, tk), grad: g };
            }),
          ),
      });
    }
  }
  const rng = seedrandom.alea('weight-transforms');
  const w = randomArray(3 * 3 * 4 * 6, rng);
  const r = randomArray(3 * 3 * 4 * 6, rng);
  for (const name of Object.keys(WEIGHT_TRANSFORMS)) {
    cases.push({
      name: `weight transform ${name}: Bw and its gradient`,
      tolerance: 1e-4,
      run: () =>
        read(
          tf.tidy(() => {
            const quant = quantContextFor({ activationEstimator: 'ste', weightEstimator: 'ede' }, getWeightTransform(name), {
              activation: { t: 1, k: 1 },
              weight: { t: 2, k: 1 },
            });
            const wt = tf.tensor4d(w, [3, 3, 4, 6]);
            const rt = tf.tensor4d(r, [3, 3, 4, 6]);
            const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(binaryWeight(t as tf.Tensor4D, quant), rt)))(wt);
            return { bw: binaryWeight(wt, quant), grad: g };
          }),
        ),
    });
  }
  return cases;
}

/** A small seeded image set (28×28×1, 10 classes) for the model cases; no download. */
export function checkDataset(count = 48, testCount = 16): ImageDataset {
  const rng = seedrandom.alea('backend-check-data');
  const h = 28;
  const size = h * h;
  const images = new Uint8Array((count + testCount) * size);
  const labels = new Uint8Array(count + testCount);
  for (let i = 0; i < count + testCount; i++) {
    labels[i] = i % 10;
    // A class-dependent bright bar on noise, so a few steps have something to learn.
    for (let p = 0; p < size; p++) {
      const row = Math.floor(p / h);
      const bar = Math.abs(row - 4 - 2 * labels[i]) <= 1;
      images[i * size + p] = bar ? 200 + Math.floor(rng() * 55) : Math.floor(rng() * 80);
    }
  }
  return datasetFromArrays({
    name: 'backend-check',
    images,
    labels,
    h,
    w: h,
    c: 1,
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    trainIndices: Int32Array.from({ length: count }, (_, i) => i),
    testIndices: Int32Array.from({ length: testCount }, (_, i) => count + i),
  });
}

/** The ResNet-8 w=8 config of a preset (distillation needs a teacher, which the case builds). */
export function checkConfig(preset: PresetName, overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    ...applyPreset({ ...DEFAULT_CONFIG, dataset: 'mnist-small', depth: 8, width: 8, batchSize: 8, seed: 3 }, preset),
    ...overrides,
  };
}

/**
 * Snapshots made once on the reference, so that every backend starts from the very same weights
 * (random initialisation is seeded, but made here once for certain).
 */
function snapshotOnce(make: () => Promise<ParamSnapshot>): () => Promise<ParamSnapshot> {
  let snap: Promise<ParamSnapshot> | null = null;
  return () => (snap ??= make());
}

/**
 * Binary models: derivatives that jump at |x| = 1 (the hardtanh between blocks, STE's clip,
 * ApproxSign's edge) meet backends that round differently (sums in another order: the
 * activations differ by ~1e-5 between cpu and wasm, with no sign flips). An activation within that
 * distance of ±1 may fall on the other side of the edge on one backend, which drops one term from
 * a sum over the batch: between cpu and wasm up to 8e-3 of the largest gradient on these models,
 * hence 2e-2. Full precision agrees to 1e-5 and is held to 2e-3.
 */
function modelCases(data: ImageDataset): BackendCheckCase[] {
  const cases: BackendCheckCase[] = [];
  const n = 8;
  const images = new Float32Array(n * data.imageSize);
  const labels = new Int32Array(n);
  data.fillBatch(data.trainIndices.slice(0, n), images, labels);
  for (const preset of Object.keys(PRESETS) as PresetName[]) {
    const cfg = checkConfig(preset);
    const teacherCfg = checkConfig('fp');
    const studentSnap = snapshotOnce(async () => {
      const m = BnnModel.create(cfg, data.numClasses);
      const s = await m.params.snapshot();
      m.dispose();
      return s;
    });
    const teacherSnap = snapshotOnce(async () => {
      const m = BnnModel.create({ ...teacherCfg, seed: 11 }, data.numClasses);
      const s = await m.params.snapshot();
      m.dispose();
      return s;
    });
    cases.push({
      name: `${PRESETS[preset].label} ResNet-8: training-mode loss, logits and every gradient`,
      tolerance: cfg.precision === 'binary' ? 2e-2 : 2e-3,
      run: async () => {
        const model = BnnModel.fromSnapshot(cfg, data.numClasses, await studentSnap());
        const teacher = needsTeacher(cfg) ? BnnModel.fromSnapshot(teacherCfg, data.numClasses, await teacherSnap()) : undefined;
        try {
          const terms = lossTermsFor(cfg, teacher, restrictionEraseValue(data, 'black'));
          const quant = model.quant({ activation: { t: 2, k: 1 }, weight: { t: 2, k: 1 } });
          const x = tf.tensor4d(images, [n, data.height, data.width, data.channels]);
          const y = tf.tensor1d(labels, 'int32');
          let logits: tf.Tensor | null = null;
          const { value, grads } = tf.variableGrads(() => {
            const obj = trainingObjective(model, quant, x, y, terms);
            logits = tf.keep(obj.logits);
            return obj.total;
          }, model.params.trainable());
          const named: Record<string, tf.Tensor> = { loss: value, logits: logits as unknown as tf.Tensor };
          for (const [k, g] of Object.entries(grads)) named[`grad ${k.split('#')[0]}`] = g;
          tf.dispose([x, y]);
          return await read(named);
        } finally {
          model.dispose();
          teacher?.dispose();
        }
      },
    });
  }
  return cases;
}

/**
 * The first steps of the real Trainer (batches, optimiser, BN statistics, the schedules): the loss
 * of each step, and how much the weights and the BN moving statistics changed over them (two
 * groups, since the statistics move by orders of magnitude more).
 *
 * Full precision: three Adam steps at the usual learning rate, every weight. Binary: one SGD step
 * at lr 1e-5, the latent weights and the statistics. A binarised network parts between two correct
 * backends once a latent weight lands on the other side of zero on one of them, or a clipped
 * derivative (hardtanh, STE) switches at |x| = 1 on one of them: then they train different
 * networks. Between cpu and wasm: the same first loss to 1e-6, then 4.52 against 3.58 with SGD at
 * lr 0.05; with Adam a few lr apart after one step (it moves a weight whose gradient is rounding
 * noise by ±lr); at lr 1e-5 the third step's updates part by 5% of the largest. A single small
 * step is lr·g, as close as the gradients (modelCases). Float weights near 1 are left out of that
 * step: float32 rounds an update of 1e-5·g there to a few ulp.
 */
function trainerCases(data: ImageDataset): BackendCheckCase[] {
  const runs = [
    { preset: 'fp', label: '3 Adam steps', steps: 3, overrides: {} },
    { preset: 'irnet', label: '1 SGD step at lr 1e-5', steps: 1, overrides: { optimizer: 'sgd', lr: 1e-5, latentLr: 1e-5 } },
  ] as const;
  return runs.map(({ preset, label, steps, overrides }) => ({
    name: `${PRESETS[preset].label} ResNet-8, Trainer, ${label} (loss, what changed)`,
    // The step is lr·g: the gradients' tolerance (modelCases).
    tolerance: preset === 'fp' ? 2e-3 : 2e-2,
    run: async () => {
      const cfg = checkConfig(preset, { steps, evalEvery: 1_000_000, evalLimit: 16, bnCalibration: 0, warmupSteps: 0, ...overrides });
      const losses: number[] = [];
      const trainer = new Trainer(cfg, data, { onStep: (m) => losses.push(m.loss) });
      const latent = new Set(latentWeightNames(trainer.model.arch));
      try {
        const params = trainer.model.arch.params;
        const compared = new Map(
          params
            .filter((p) => !p.trainable || preset === 'fp' || latent.has(p.name))
            .map((p) => [p.name, p.trainable ? 'update' : 'statistics']),
        );
        const before = await trainer.snapshot();
        await trainer.run();
        const out: Outputs = { 'loss per step': Float32Array.from(losses) };
        for (const [k, v] of Object.entries(await trainer.snapshot())) {
          const group = compared.get(k);
          if (group) out[`${group} ${k}`] = v.data.map((x, i) => x - before[k].data[i]);
        }
        return out;
      } finally {
        trainer.dispose();
      }
    },
  }));
}

/** Every case, in the order they run. */
export function backendCheckCases(data: ImageDataset = checkDataset()): BackendCheckCase[] {
  return [...convCases(), ...quantizerCases(), ...modelCases(data), ...trainerCases(data)];
}

