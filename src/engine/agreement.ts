/**
 * Does the inference engine predict what the tfjs model predicts? Runs both on test images
 * and explains every disagreement, which can only have two causes when the engine is right:
 * - a logit tie: the two classes' tfjs logits are within float rounding of each other;
 * - a sign input within float rounding of 0: at the first binary conv where the engine's
 *   binarised input differs from tfjs's for that image, every differing value is tiny in
 *   both (|x| ≤ zeroTolerance), so float rounding decided the sign (after that, the two
 *   computations legitimately diverge).
 * Anything else is reported as unexplained.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '../data/dataset';
import { binaryConvOps } from '../bnn/model/binary-weights';
import { forward } from '../bnn/model/forward';
import type { BnnModel } from '../bnn/model/model';
import { argmaxRows, type InferenceEngine } from './engine';

export interface Disagreement {
  /** Canonical dataset index. */
  readonly index: number;
  readonly label: number;
  readonly tfjs: number;
  readonly engine: number;
  readonly reason: 'logit-tie' | 'sign-near-zero' | 'unexplained';
  readonly detail: string;
}

export interface AgreementReport {
  readonly images: number;
  readonly agree: number;
  readonly agreement: number;
  /** Accuracy of each on the same images. */
  readonly tfjsAccuracy: number;
  readonly engineAccuracy: number;
  readonly disagreements: readonly Disagreement[];
  /** Images where some binary conv input got a different sign (whether or not the prediction changed). */
  readonly imagesWithSignFlips: number;
  /** Max over images without a sign flip of max |Δlogit| / max |tfjs logit|. */
  readonly maxRelativeLogitError: number;
}

export interface AgreementOptions {
  /** First `limit` test images (0 = all). */
  readonly limit?: number;
  /** Images per batch (≤ the engine's maxBatch). */
  readonly batch?: number;
  /** A tie: |tfjs logit gap| ≤ tieTolerance · max |tfjs logit| (default 1e-4). */
  readonly tieTolerance?: number;
  /** A sign input within rounding of 0: |x| ≤ zeroTolerance in both (default 1e-5). */
  readonly zeroTolerance?: number;
}

type Model = Pick<BnnModel, 'arch' | 'params' | 'quant'>;

/** Compares `engine` with the tfjs forward of `model` (inference mode) on the test split. */
export async function measureAgreement(
  model: Model,
  engine: InferenceEngine,
  data: ImageDataset,
  options: AgreementOptions = {},
): Promise<AgreementReport> {
  const limit = options.limit && options.limit > 0 ? Math.min(options.limit, data.testIndices.length) : data.testIndices.length;
  const batch = Math.min(options.batch ?? engine.maxBatch, engine.maxBatch);
  const tieTolerance = options.tieTolerance ?? 1e-4;
  const zeroTolerance = options.zeroTolerance ?? 1e-5;
  const classes = engine.classes;
  const convs = binaryConvOps(model.arch);
  const signInputs = [...new Set(convs.map((op) => op.input))];
  const quant = model.quant();
  const x = new Float32Array(batch * data.imageSize);
  const labels = new Int32Array(batch);
  const disagreements: Disagreement[] = [];
  let agree = 0;
  let tfCorrect = 0;
  let engineCorrect = 0;
  let flipped = 0;
  let maxRel = 0;

  for (let start = 0; start < limit; start += batch) {
    const n = Math.min(batch, limit - start);
    const indices = data.testIndices.subarray(start, start + n);
    data.fillBatch(indices, x, labels);
    const [tfLogits, tfInputs] = tf.tidy(() => {
      const input = tf.tensor4d(x.subarray(0, n * data.imageSize), [n, data.height, data.width, data.channels]);
      const out = forward(model.arch, model.params, input, { training: false, quant, keep: signInputs });
      return [out.logits.dataSync() as Float32Array, signInputs.map((name) => out.outputs[name].dataSync() as Float32Array)];
    });
    const engineInputs = new Map<string, Float32Array>();
    const engineLogits = engine.run(x, n, {
      observeSignInputs: (conv, values) => {
        const op = convs.find((c) => c.name === conv);
        if (op && !engineInputs.has(op.input)) engineInputs.set(op.input, Float32Array.from(values));
      },
    });
    const tfPred = argmaxRows(tfLogits, n, classes);
    const enginePred = argmaxRows(engineLogits, n, classes);
    for (let r = 0; r < n; r++) {
      const flip = firstSignFlip(r, n, convs, signInputs, tfInputs, engineInputs);
      if (flip) flipped++;
      const row = (l: Float32Array) => l.subarray(r * classes, (r + 1) * classes);
      const t = row(tfLogits);
      const e = row(engineLogits);
      const scale = Math.max(...Array.from(t, Math.abs));
      if (!flip) maxRel = Math.max(maxRel, Math.max(...Array.from(t, (v, i) => Math.abs(v - e[i]))) / scale);
      if (tfPred[r] === labels[r]) tfCorrect++;
      if (enginePred[r] === labels[r]) engineCorrect++;
      if (tfPred[r] === enginePred[r]) {
        agree++;
        continue;
      }
      const gap = Math.abs(t[tfPred[r]] - t[enginePred[r]]);
      let reason: Disagreement['reason'] = 'unexplained';
      let detail: string;
      if (gap <= tieTolerance * scale) {
        reason = 'logit-tie';
        detail = `tfjs logits ${t[tfPred[r]]} (class ${tfPred[r]}) and ${t[enginePred[r]]} (class ${enginePred[r]}) differ by ${gap.toExponential(2)}`;
      } else if (flip) {
        const near = flip.values.every(([a, b]) => Math.abs(a) <= zeroTolerance && Math.abs(b) <= zeroTolerance);
        if (near) reason = 'sign-near-zero';
        detail = `${flip.values.length} input(s) of ${flip.conv} binarised differently (tfjs, engine): ${flip.values
          .slice(0, 4)
          .map(([a, b]) => `(${a.toExponential(2)}, ${b.toExponential(2)})`)
          .join(' ')}`;
      } else {
        detail = `no sign flip and no tie: tfjs gap ${gap.toExponential(2)}`;
      }
      disagreements.push({ index: indices[r], label: labels[r], tfjs: tfPred[r], engine: enginePred[r], reason, detail });
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return {
    images: limit,
    agree,
    agreement: agree / limit,
    tfjsAccuracy: tfCorrect / limit,
    engineAccuracy: engineCorrect / limit,
    disagreements,
    imagesWithSignFlips: flipped,
    maxRelativeLogitError: maxRel,
  };
}

/** The first binary conv (op order) where image r's input signs differ, with the differing (tfjs, engine) values. */
function firstSignFlip(
  r: number,
  n: number,
  convs: ReturnType<typeof binaryConvOps>,
  names: readonly string[],
  tfInputs: readonly Float32Array[],
  engineInputs: ReadonlyMap<string, Float32Array>,
): { conv: string; values: [number, number][] } | null {
  for (const op of convs) {
    const a = tfInputs[names.indexOf(op.input)];
    const b = engineInputs.get(op.input);
    if (!a || !b) continue;
    const per = a.length / n;
    const values: [number, number][] = [];
    for (let i = r * per; i < (r + 1) * per; i++) if (a[i] < 0 !== b[i] < 0) values.push([a[i], b[i]]);
    if (values.length > 0) return { conv: op.name, values };
  }
  return null;
}
