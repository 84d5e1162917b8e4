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
import { DEFAULT_CONFIG, applyPreset, type RunConfig } from '../bnn/config';
import { BnnModel } from '../bnn/model/model';
import { Trainer } from '../bnn/train/trainer';
import { forward } from '../bnn/model/forward';
import { datasetInfoOf, exportModel } from './export';
import { createInferenceModel, importModel } from './import';

// ---------------------------------------------------------------- the independent reader

interface RefFile {
  meta: Record<string, string>;
  /** `params` as float64, `bits` as bytes (empty for a full-precision model). */
  params: Float64Array;
  bits: Uint8Array;
}

function parseFile(buf: Uint8Array): RefFile {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  expect(headerLength % 8).toBe(0);
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  const dataStart = 8 + headerLength;
  const raw = (name: string): Uint8Array => {
    const entry = header[name] as { data_offsets: [number, number] } | undefined;
    return entry ? buf.slice(dataStart + entry.data_offsets[0], dataStart + entry.data_offsets[1]) : new Uint8Array(0);
  };
  const p = raw('params');
  const pv = new DataView(p.buffer);
  return {
    meta: header.__metadata__ as Record<string, string>,
    params: Float64Array.from({ length: p.length / 4 }, (_, i) => pv.getFloat32(4 * i, true)),
    bits: raw('bits'),
  };
}

/** One op line with the doc's defaults filled in. */
interface RefOp {
  kind: string;
  name: string;
  inputs: string[];
  a: Record<string, number>;
}

const DEFAULTS: Record<string, Record<string, number>> = {
  conv2d: { k: 3, stride: 1 },
  bconv2d: { k: 3, stride: 1, scale: 0 },
  dwconv2d: { k: 3 },
  batchnorm: { eps: 1e-5 },
  shortcut_a: { stride: 1, before: 0, after: 0 },
};

function parseOps(text: string): RefOp[] {
  let previous = 'input';
  return text.split('\n').map((line) => {
    const [kind, name, ...args] = line.split(' ');
    const a: Record<string, number> = { ...(DEFAULTS[kind] ?? {}) };
    let inputs = [previous];
    for (const arg of args) {
      const [key, value] = arg.split('=');
      if (key === 'in') inputs = value.split(',');
      else a[key] = Number(value);
    }
    if (kind.endsWith('conv2d') && a.pad === undefined) a.pad = Math.floor((a.k - 1) / 2);
    previous = name;
    return { kind, name, inputs, a };
  });
}

/** A feature map of one image: [h, w, c] row-major (a vector is 1×1×c). */
interface Map3 {
  h: number;
  w: number;
  c: number;
  d: Float64Array;
}

const map = (h: number, w: number, c: number): Map3 => ({ h, w, c, d: new Float64Array(h * w * c) });

/** Runs the op list on one image; parameters are taken from `params` and `bits` in op order. */
function runReference(file: RefFile, image: Uint8Array): Float64Array {
  const ds = JSON.parse(file.meta.dataset) as { inputShape: [number, number, number]; mean: number[]; std: number[] };
  const [H, W, C] = ds.inputShape;
  const x = map(H, W, C);
  for (let i = 0; i < x.d.length; i++) x.d[i] = (image[i] / 255 - ds.mean[i % C]) / ds.std[i % C];
  const env = new Map<string, Map3>([['input', x]]);
  let p = 0;
  let b = 0;
  const take = (n: number): Float64Array => file.params.subarray(p, (p += n));
  const takeBits = (n: number): Uint8Array => file.bits.subarray(b, (b += n));
  const ops = parseOps(file.meta.ops);
  for (const op of ops) env.set(op.name, runOp(op, op.inputs.map((n) => env.get(n)!), take, takeBits));
  expect(p).toBe(file.params.length);
  expect(b).toBe(file.bits.length);
  return env.get(ops[ops.length - 1].name)!.d;
}

/** Packed U8 [cout, k, k, ceil(cin/8)] → float64 HWIO ±1 · scale. */
function binaryWeight(bytes: Uint8Array, scale: Float64Array | null, k: number, cin: number, cout: number): Float64Array {
  const perTap = Math.ceil(cin / 8);
  const out = new Float64Array(k * k * cin * cout);
  for (let o = 0; o < cout; o++) {
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++) {
        for (let c = 0; c < cin; c++) {
          const byte = bytes[((o * k + ky) * k + kx) * perTap + Math.floor(c / 8)];
          const sign = (byte >> (c % 8)) & 1 ? -1 : 1;
          out[((ky * k + kx) * cin + c) * cout + o] = sign * (scale ? scale[o] : 1);
        }
      }
    }
  }
  return out;
}

function runOp(op: RefOp, inputs: Map3[], take: (n: number) => Float64Array, takeBits: (n: number) => Uint8Array): Map3 {
  const [x] = inputs;
  const a = op.a;
  switch (op.kind) {
    case 'conv2d':
    case 'bconv2d': {
      const binary = op.kind === 'bconv2d';
      const { k, stride, pad, out: cout } = a;
      const cin = x.c;
      let w: Float64Array;
      if (binary) {
        const bits = takeBits(cout * k * k * Math.ceil(cin / 8));
        w = binaryWeight(bits, a.scale ? take(cout) : null, k, cin, cout);
      } else {
        w = take(k * k * cin * cout);
      }
      const ho = Math.floor((x.h + 2 * pad - k) / stride) + 1;
      const wo = Math.floor((x.w + 2 * pad - k) / stride) + 1;
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
      const { k, pad, mult: m } = a;
      const ch = x.c;
      const w = take(k * k * ch * m);
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
      const [g, b, mu, v] = [take(x.c), take(x.c), take(x.c), take(x.c)];
      const y = map(x.h, x.w, x.c);
      for (let i = 0; i < x.d.length; i++) {
        const c = i % x.c;
        y.d[i] = (g[c] * (x.d[i] - mu[c])) / Math.sqrt(v[c] + a.eps) + b[c];
      }
      return y;
    }
    case 'hardtanh':
      return { ...x, d: x.d.map((v) => Math.min(1, Math.max(-1, v))) };
    case 'rsign': {
      const t = take(x.c);
      return { ...x, d: x.d.map((v, i) => v - t[i % x.c]) };
    }
    case 'rprelu': {
      const [g, b, z] = [take(x.c), take(x.c), take(x.c)];
      return {
        ...x,
        d: x.d.map((v, i) => {
          const s = v - g[i % x.c];
          return (s > 0 ? s : b[i % x.c] * s) + z[i % x.c];
        }),
      };
    }
    case 'add': {
      const [p, q] = inputs;
      return { ...p, d: p.d.map((v, i) => v + q.d[i]) };
    }
    case 'shortcut_a': {
      const st = a.stride;
      const y = map(Math.ceil(x.h / st), Math.ceil(x.w / st), x.c + a.before + a.after);
      for (let oy = 0; oy < y.h; oy++) {
        for (let ox = 0; ox < y.w; ox++) {
          for (let c = 0; c < x.c; c++) y.d[(oy * y.w + ox) * y.c + a.before + c] = x.d[(oy * st * x.w + ox * st) * x.c + c];
        }
      }
      return y;
    }
    case 'avgpool': {
      const k = a.size;
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
      const c = inputs.reduce((s, part) => s + part.c, 0);
      const y = map(x.h, x.w, c);
      for (let q = 0; q < x.h * x.w; q++) {
        let at = q * c;
        for (const part of inputs) for (let i = 0; i < part.c; i++) y.d[at++] = part.d[q * part.c + i];
      }
      return y;
    }
    case 'slice_channels': {
      const keep = a.count;
      const y = map(x.h, x.w, keep);
      for (let q = 0; q < x.h * x.w; q++) for (let c = 0; c < keep; c++) y.d[q * keep + c] = x.d[q * x.c + c];
      return y;
    }
    case 'global_avgpool': {
      const y = map(1, 1, x.c);
      for (let i = 0; i < x.d.length; i++) y.d[i % x.c] += x.d[i] / (x.h * x.w);
      return y;
    }
    case 'dense': {
      const [cin, cout] = [x.c, a.out];
      const w = take(cin * cout);
      const y = map(1, 1, cout);
      y.d.set(take(cout));
      for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) y.d[o] += x.d[i] * w[i * cout + o];
      return y;
    }
    default:
      throw new Error(`unknown op ${op.kind}`);
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
    expect(parseFile(bytes).meta.format_version).toBe('2');
    checkAgainstApp(bytes, trainer.model);
    trainer.dispose();
  });

  // Untrained weights with random BN statistics (and RSign thresholds, RPReLU shifts and slopes)
  // exercise the recovery ops (avgpool, concat, depthwise conv, slice) and ReActNet's without
  // the cost of training.
  it.each([
    ['IR2Net compact recovery, ratio 3', { ...tiny, weightTransform: 'none', activationEstimator: 'approxsign', weightEstimator: 'approxsign', recovery: 'compact', recoveryRatio: 3 }],
    ['IMB with full recovery', { ...tiny, weightTransform: 'imb', activationEstimator: 'dte', weightEstimator: 'dte', recovery: 'full' }],
    ['ReActNet (RSign, RPReLU)', applyPreset(tiny, 'reactnet')],
  ] as [string, RunConfig][])('%s', async (_, cfg) => {
    const init = BnnModel.create(cfg, 10);
    const snap = await init.params.snapshot();
    init.dispose();
    const rng = seedrandom.alea('bn');
    for (const p of init.arch.params) {
      if (p.kind === 'bn_variance') snap[p.name].data = snap[p.name].data.map(() => 0.2 + rng());
      if (p.kind === 'bn_mean' || p.kind === 'bn_beta' || p.kind === 'shift') snap[p.name].data = snap[p.name].data.map(() => 0.3 * (rng() - 0.5));
      if (p.kind === 'slope') snap[p.name].data = snap[p.name].data.map(() => 0.5 * rng() - 0.1);
    }
    const model = BnnModel.fromSnapshot(cfg, 10, snap);
    const bytes = await exportModel({ config: cfg, params: snap, dataset: datasetInfoOf(mnist), testAccuracy: null });
    checkAgainstApp(bytes, model);
    model.dispose();
  });
});
