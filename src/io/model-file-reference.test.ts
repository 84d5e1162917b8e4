/**
 * An independent reader of the exported model file, written from docs/EXPORT_FORMAT.md alone:
 * the safetensors header is parsed by hand (DataView, TextDecoder, JSON.parse), bits are
 * unpacked by hand, and the op list runs as plain float64 loops. It uses none of the app's
 * reader, bit packing, kernels or forward pass; it must reproduce the app's predictions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../test/tf';
import { loadMnistSmallNode } from '../data/mnist-node';
import type { ImageDataset } from '../data/dataset';
import seedrandom from 'seedrandom';
import { DEFAULT_CONFIG, type RunConfig } from '../bnn/config';
import { BnnModel } from '../bnn/model/model';
import { Trainer } from '../bnn/train/trainer';
import { forward } from '../bnn/model/forward';
import { datasetInfoOf, exportModel } from './export';
import { createInferenceModel, importModel } from './import';

// ---------------------------------------------------------------- the independent reader

interface RawTensor {
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
}

interface RefFile {
  meta: Record<string, string>;
  tensors: Map<string, RawTensor>;
}

function parseFile(buf: Uint8Array): RefFile {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, RawTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    tensors.set(name, { dtype, shape, bytes: buf.slice(dataStart + data_offsets[0], dataStart + data_offsets[1]) });
  }
  return { meta: header.__metadata__ as Record<string, string>, tensors };
}

function f32(file: RefFile, name: string): Float64Array {
  const t = file.tensors.get(name);
  if (!t || t.dtype !== 'F32') throw new Error(`no F32 tensor ${name}`);
  const view = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  return Float64Array.from({ length: t.bytes.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

/** Packed U8 [cout, kh, kw, ceil(cin/8)] → float64 HWIO ±1 · scale. */
function binaryWeight(file: RefFile, weight: string, scaleName: string | null, k: number, cin: number, cout: number): Float64Array {
  const t = file.tensors.get(weight)!;
  expect(t.dtype).toBe('U8');
  const perTap = Math.ceil(cin / 8);
  expect(t.shape).toEqual([cout, k, k, perTap]);
  const scale = scaleName ? f32(file, scaleName) : null;
  const out = new Float64Array(k * k * cin * cout);
  for (let o = 0; o < cout; o++) {
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++) {
        for (let c = 0; c < cin; c++) {
          const byte = t.bytes[((o * k + ky) * k + kx) * perTap + Math.floor(c / 8)];
          const sign = (byte >> (c % 8)) & 1 ? -1 : 1;
          out[((ky * k + kx) * cin + c) * cout + o] = sign * (scale ? scale[o] : 1);
        }
      }
    }
  }
  return out;
}

/** A feature map of one image: [h, w, c] row-major (a vector is 1×1×c). */
interface Map3 {
  h: number;
  w: number;
  c: number;
  d: Float64Array;
}

const map = (h: number, w: number, c: number): Map3 => ({ h, w, c, d: new Float64Array(h * w * c) });

type Op = Record<string, unknown> & { op: string; name: string; output: string };

function runReference(file: RefFile, image: Uint8Array): Float64Array {
  const arch = JSON.parse(file.meta.architecture) as { input: [number, number, number]; output: string; ops: Op[] };
  const ds = JSON.parse(file.meta.dataset) as { mean: number[]; std: number[] };
  const [H, W, C] = arch.input;
  const x = map(H, W, C);
  for (let i = 0; i < x.d.length; i++) x.d[i] = (image[i] / 255 - ds.mean[i % C]) / ds.std[i % C];
  const env = new Map<string, Map3>([['input', x]]);
  for (const op of arch.ops) env.set(op.output, runOp(file, op, (n) => env.get(n)!));
  return env.get(arch.output)!.d;
}

function runOp(file: RefFile, op: Op, get: (name: string) => Map3): Map3 {
  const n = (k: string): number => op[k] as number;
  const s = (k: string): string => op[k] as string;
  switch (op.op) {
    case 'conv2d': {
      const x = get(s('input'));
      const [k, stride, pad, cin, cout] = [n('kernel'), n('stride'), n('pad'), n('cin'), n('cout')];
      const binary = op.binary as boolean;
      const w = binary ? binaryWeight(file, s('weight'), op.scale as string | null, k, cin, cout) : f32(file, s('weight'));
      const ho = Math.floor((x.h + 2 * pad - k) / stride) + 1;
      const wo = Math.floor((x.w + 2 * pad - k) / stride) + 1;
      expect([ho, wo]).toEqual([n('outH'), n('outW')]);
      const y = map(ho, wo, cout);
      for (let oy = 0; oy < ho; oy++) {
        for (let ox = 0; ox < wo; ox++) {
          for (let o = 0; o < cout; o++) {
            let acc = 0;
            for (let ky = 0; ky < k; ky++) {
              for (let kx = 0; kx < k; kx++) {
                const iy = oy * stride + ky - pad;
                const ix = ox * stride + kx - pad;
                if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue; // zero padding contributes 0
                for (let c = 0; c < cin; c++) {
                  let v = x.d[(iy * x.w + ix) * cin + c];
                  if (binary) v = v >= 0 ? 1 : -1;
                  acc += v * w[((ky * k + kx) * cin + c) * cout + o];
                }
              }
            }
            y.d[(oy * wo + ox) * cout + o] = acc;
          }
        }
      }
      return y;
    }
    case 'dwconv2d': {
      const x = get(s('input'));
      const [k, pad, ch, m] = [n('kernel'), n('pad'), n('channels'), n('multiplier')];
      const w = f32(file, s('weight'));
      const y = map(x.h, x.w, ch * m);
      for (let oy = 0; oy < x.h; oy++) {
        for (let ox = 0; ox < x.w; ox++) {
          for (let c = 0; c < ch; c++) {
            for (let j = 0; j < m; j++) {
              let acc = 0;
              for (let ky = 0; ky < k; ky++) {
                for (let kx = 0; kx < k; kx++) {
                  const iy = oy + ky - pad;
                  const ix = ox + kx - pad;
                  if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
                  acc += x.d[(iy * x.w + ix) * ch + c] * w[((ky * k + kx) * ch + c) * m + j];
                }
              }
              y.d[(oy * x.w + ox) * ch * m + c * m + j] = acc;
            }
          }
        }
      }
      return y;
    }
    case 'batchnorm': {
      const x = get(s('input'));
      const [g, b, mu, v] = [f32(file, s('gamma')), f32(file, s('beta')), f32(file, s('mean')), f32(file, s('variance'))];
      const y = map(x.h, x.w, x.c);
      for (let i = 0; i < x.d.length; i++) {
        const c = i % x.c;
        y.d[i] = (g[c] * (x.d[i] - mu[c])) / Math.sqrt(v[c] + n('epsilon')) + b[c];
      }
      return y;
    }
    case 'hardtanh': {
      const x = get(s('input'));
      return { ...x, d: x.d.map((v) => Math.min(1, Math.max(-1, v))) };
    }
    case 'add': {
      const [a, b] = (op.inputs as string[]).map(get);
      return { ...a, d: a.d.map((v, i) => v + b.d[i]) };
    }
    case 'shortcut_a': {
      const x = get(s('input'));
      const st = n('stride');
      const before = n('padBefore');
      const y = map(Math.ceil(x.h / st), Math.ceil(x.w / st), x.c + before + n('padAfter'));
      for (let oy = 0; oy < y.h; oy++) {
        for (let ox = 0; ox < y.w; ox++) {
          for (let c = 0; c < x.c; c++) y.d[(oy * y.w + ox) * y.c + before + c] = x.d[(oy * st * x.w + ox * st) * x.c + c];
        }
      }
      return y;
    }
    case 'avgpool': {
      const x = get(s('input'));
      const k = n('size');
      const y = map(Math.floor(x.h / k), Math.floor(x.w / k), x.c);
      for (let oy = 0; oy < y.h; oy++) {
        for (let ox = 0; ox < y.w; ox++) {
          for (let c = 0; c < x.c; c++) {
            let acc = 0;
            for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) acc += x.d[((oy * k + i) * x.w + ox * k + j) * x.c + c];
            y.d[(oy * y.w + ox) * y.c + c] = acc / (k * k);
          }
        }
      }
      return y;
    }
    case 'concat': {
      const parts = (op.inputs as string[]).map(get);
      const c = parts.reduce((a, p) => a + p.c, 0);
      const y = map(parts[0].h, parts[0].w, c);
      for (let p = 0; p < parts[0].h * parts[0].w; p++) {
        let at = p * c;
        for (const part of parts) for (let i = 0; i < part.c; i++) y.d[at++] = part.d[p * part.c + i];
      }
      return y;
    }
    case 'slice_channels': {
      const x = get(s('input'));
      const keep = n('count');
      const y = map(x.h, x.w, keep);
      for (let p = 0; p < x.h * x.w; p++) for (let c = 0; c < keep; c++) y.d[p * keep + c] = x.d[p * x.c + c];
      return y;
    }
    case 'global_avgpool': {
      const x = get(s('input'));
      const y = map(1, 1, x.c);
      for (let i = 0; i < x.d.length; i++) y.d[i % x.c] += x.d[i] / (x.h * x.w);
      return y;
    }
    case 'dense': {
      const x = get(s('input'));
      const [cin, cout] = [n('cin'), n('cout')];
      const w = f32(file, s('weight'));
      const y = map(1, 1, cout);
      y.d.set(f32(file, s('bias')));
      for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) y.d[o] += x.d[i] * w[i * cout + o];
      return y;
    }
    default:
      throw new Error(`unknown op ${op.op}`);
  }
}

const argmax = (v: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
};

// ---------------------------------------------------------------- the test

let mnist: ImageDataset;
beforeAll(async () => {
  await useBackend('wasm');
  mnist = loadMnistSmallNode();
});

const tiny: RunConfig = { ...DEFAULT_CONFIG, dataset: 'mnist-small', depth: 8, width: 8, batchSize: 16, steps: 5, evalEvery: 5, evalLimit: 100, seed: 4 };

/** The app's logits for canonical images: the original model and the imported file's weights. */
function appLogits(m: Pick<BnnModel, 'arch' | 'params' | 'quant'>, indices: number[]): number[][] {
  const batch = new Float32Array(indices.length * mnist.imageSize);
  mnist.fillBatch(indices, batch, new Int32Array(indices.length));
  return tf.tidy(() => {
    const x = tf.tensor4d(batch, [indices.length, 28, 28, 1]);
    return forward(m.arch, m.params, x, { training: false, quant: m.quant() }).logits.arraySync();
  });
}

/** Decodes `bytes` with the reference reader and checks it against the app on a few test images. */
function checkAgainstApp(bytes: Uint8Array, model: Pick<BnnModel, 'arch' | 'params' | 'quant'>): void {
  const indices = Array.from(mnist.testIndices.subarray(0, 8));
  const expected = appLogits(model, indices);
  const imported = createInferenceModel(importModel(bytes));
  expect(appLogits(imported, indices)).toEqual(expected);
  imported.dispose();
  const file = parseFile(bytes);
  expect(file.meta.format).toBe('bnn-playground');
  indices.forEach((index, i) => {
    const ref = runReference(file, mnist.rawImage(index));
    expect(argmax(ref)).toBe(argmax(expected[i]));
    ref.forEach((v, j) => expect(Math.abs(v - expected[i][j])).toBeLessThan(1e-3 * (1 + Math.abs(v))));
  });
}

describe('an independent float64 reader reproduces the app on exported models', () => {
  it('a trained IR-Net ResNet-8 (w = 8, MNIST, Libra-PB + EDE)', async () => {
    const trainer = new Trainer(tiny, mnist);
    const outcome = await trainer.run();
    expect(outcome.status).toBe('finished');
    const bytes = await exportModel({
      config: tiny,
      params: await trainer.snapshot(),
      dataset: datasetInfoOf(mnist),
      testAccuracy: outcome.lastEval!.accuracy,
    });
    expect(JSON.parse(parseFile(bytes).meta.test_accuracy)).toBe(outcome.lastEval!.accuracy);
    checkAgainstApp(bytes, trainer.model);
    trainer.dispose();
  });

  // Untrained weights with random BN statistics exercise the recovery ops (avgpool, concat,
  // depthwise conv, slice) without the cost of training.
  it.each([
    ['IR2Net compact recovery, ratio 3', { ...tiny, weightTransform: 'none', activationEstimator: 'approxsign', weightEstimator: 'approxsign', recovery: 'compact', recoveryRatio: 3 }],
    ['IMB with full recovery', { ...tiny, weightTransform: 'imb', activationEstimator: 'dte', weightEstimator: 'dte', recovery: 'full' }],
  ] as [string, RunConfig][])('%s', async (_, cfg) => {
    const init = BnnModel.create(cfg, 10);
    const snap = await init.params.snapshot();
    init.dispose();
    const rng = seedrandom.alea('bn');
    for (const p of init.arch.params) {
      if (p.kind === 'bn_variance') snap[p.name].data = snap[p.name].data.map(() => 0.2 + rng());
      if (p.kind === 'bn_mean' || p.kind === 'bn_beta') snap[p.name].data = snap[p.name].data.map(() => 0.3 * (rng() - 0.5));
    }
    const model = BnnModel.fromSnapshot(cfg, 10, snap);
    const bytes = await exportModel({ config: cfg, params: snap, dataset: datasetInfoOf(mnist), testAccuracy: null });
    checkAgainstApp(bytes, model);
    model.dispose();
  });
});
