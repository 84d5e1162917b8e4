import * as tf from '@tensorflow/tfjs-core';
import type { Architecture, ConvOp } from '../model/architecture';
import { forward } from '../model/forward';
import type { BnnModel } from '../model/model';

/** Statistics of one binary conv at one measurement (DESIGN §6). */
export interface LayerStatsEntry {
  /** The conv op's name, e.g. 's1.b0.conv1'. */
  name: string;
  /** H(p) in bits, p = share of +1 in Bw = sign(balanced). */
  weightEntropy: number;
  /** H(p) in bits, p = share of +1 in Ba = sign(x) over the probe batch; null without a probe batch. */
  activationEntropy: number | null;
  /** Share of Bw signs that changed since the previous measurement; null at the first one. */
  flipRatio: number | null;
  /** L2 norm of the latent weight's gradient; null when no gradients were passed. */
  gradNorm: number | null;
}

export interface GradHistogram {
  layer: string;
  /** bins + 1 ascending edges over [−max|g|, +max|g|]. */
  edges: number[];
  counts: number[];
}

/** One measurement over all binary convs: plain data, safe to post between threads or store as JSON. */
export interface LayerStats {
  step: number;
  layers: LayerStatsEntry[];
  /** Gradient histogram of the chosen layer; null when no gradients were passed. */
  histogram: GradHistogram | null;
}

export interface LayerStatsOptions {
  /** Layer whose gradient histogram is reported; default the first binary conv. */
  histogramLayer?: string;
  /** Histogram bins (default 30). */
  bins?: number;
}

/** Binary entropy in bits: H(p) = −p log2 p − (1−p) log2(1−p), with 0 · log 0 = 0. */
export function binaryEntropy(p: number): number {
  if (!(p > 0 && p < 1)) return 0;
  return -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
}

/** The binary convs of an architecture, in graph order. */
export function binaryConvOps(arch: Architecture): ConvOp[] {
  return arch.ops.filter((op): op is ConvOp => op.op === 'conv2d' && op.binary);
}

/**
 * Histogram over the symmetric range [−m, m], m = max |v| over the finite values (m = 1 when all
 * are 0), in `bins` equal bins; bin i holds [edge_i, edge_{i+1}), the last bin also holds +m.
 * Non-finite values are not counted.
 */
export function symmetricHistogram(values: ArrayLike<number>, bins = 30): { edges: number[]; counts: number[] } {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > m && Number.isFinite(a)) m = a;
  }
  if (m === 0) m = 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => -m + (2 * m * i) / bins);
  const counts = new Array<number>(bins).fill(0);
  const perUnit = bins / (2 * m);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const b = Math.floor((v + m) * perUnit);
    counts[b < 0 ? 0 : b >= bins ? bins - 1 : b]++;
  }
  return { edges, counts };
}

/** Share of positions where two equally long 0/1 arrays differ. */
export function flipShare(previous: Uint8Array, current: Uint8Array): number {
  if (previous.length !== current.length) throw new RangeError('flipShare: sign arrays differ in length');
  let flips = 0;
  for (let i = 0; i < current.length; i++) if (previous[i] !== current[i]) flips++;
  return current.length ? flips / current.length : 0;
}

/** Tensors dispatched by one measurement, read back asynchronously. */
interface Dispatched {
  bits: tf.Tensor[];
  activation: tf.Tensor | null;
  gradSq: tf.Tensor | null;
  histGrad: tf.Tensor | null;
}

/**
 * Per binary conv statistics of a model (DESIGN §6): weight entropy of Bw, activation entropy of
 * Ba on a probe batch (inference mode), flip ratio since the previous measurement, latent-gradient
 * norm and a gradient histogram of one chosen layer. Holds no tensors between measurements: the
 * previous signs are kept as one byte per weight.
 */
export class LayerStatsTracker {
  readonly layers: readonly ConvOp[];
  private readonly bins: number;
  private histLayer: string | null;
  private previous = new Map<string, Uint8Array>();

  constructor(
    private readonly model: BnnModel,
    options: LayerStatsOptions = {},
  ) {
    this.layers = model.binary ? binaryConvOps(model.arch) : [];
    this.bins = options.bins ?? 30;
    this.histLayer = this.layers[0]?.name ?? null;
    if (options.histogramLayer !== undefined && !this.setHistogramLayer(options.histogramLayer)) {
      throw new RangeError(`no binary conv '${options.histogramLayer}' (known: ${this.layerNames.join(', ')})`);
    }
  }

  get layerNames(): string[] {
    return this.layers.map((l) => l.name);
  }

  get histogramLayer(): string | null {
    return this.histLayer;
  }

  /** Choose the histogram layer by name; false (and no change) when there is no such binary conv. */
  setHistogramLayer(name: string): boolean {
    if (!this.layers.some((l) => l.name === name)) return false;
    this.histLayer = name;
    return true;
  }

  /** Record the current signs as the reference for the next flip ratio, without reporting. */
  async baseline(): Promise<void> {
    const bits = tf.tidy(() => this.signBits());
    const data = await Promise.all(bits.map((b) => b.data()));
    tf.dispose(bits);
    this.layers.forEach((l, i) => this.previous.set(l.name, toBits(data[i])));
  }

  /**
   * Measure at `step`. `probe` (NHWC, normalised like training input) gives the activation
   * entropies; `grads` (keyed by variable name, as tf.variableGrads returns them) the gradient
   * norms and histogram. Both are only read before this returns its promise, so the caller may
   * dispose them right away; every tensor made here is disposed here.
   */
  measure(step: number, probe?: tf.Tensor4D | null, grads?: tf.NamedTensorMap | null): Promise<LayerStats> {
    return this.read(step, this.dispatch(probe ?? null, grads ?? null));
  }

  private signBits(): tf.Tensor[] {
    const quant = this.model.quant({ t: 1, k: 1 });
    if (!quant) return [];
    return this.layers.map((l) => {
      const w = this.model.params.get(l.weight);
      // sign(0) = +1 as in the forward pass
      return tf.greaterEqual(quant.transform.apply(w).balanced, 0);
    });
  }

  private dispatch(probe: tf.Tensor4D | null, grads: tf.NamedTensorMap | null): Dispatched {
    const out: Dispatched = { bits: [], activation: null, gradSq: null, histGrad: null };
    if (this.layers.length === 0) return out;
    tf.tidy(() => {
      const list: tf.Tensor[] = [];
      out.bits = this.signBits();
      list.push(...out.bits);
      if (probe) {
        // Forward in inference mode; t, k only shape the backward pass, so any value will do.
        const inputs = this.layers.map((l) => l.input);
        const { outputs } = forward(this.model.arch, this.model.params, probe, {
          training: false,
          quant: this.model.quant({ t: 1, k: 1 }),
          keep: [...new Set(inputs)],
        });
        out.activation = tf.stack(inputs.map((n) => tf.mean(tf.cast(tf.greaterEqual(outputs[n], 0), 'float32'))));
        list.push(out.activation);
      }
      if (grads) {
        const perLayer = this.layers.map((l) => this.gradOf(grads, l));
        out.gradSq = tf.stack(perLayer.map((g) => (g ? tf.sum(tf.square(g)) : tf.scalar(NaN))));
        list.push(out.gradSq);
        const chosen = this.layers.findIndex((l) => l.name === this.histLayer);
        const g = chosen >= 0 ? perLayer[chosen] : undefined;
        if (g) {
          out.histGrad = tf.reshape(g, [-1]);
          list.push(out.histGrad);
        }
      }
      return list; // kept: read and disposed by read()
    });
    return out;
  }

  private gradOf(grads: tf.NamedTensorMap, layer: ConvOp): tf.Tensor | undefined {
    return grads[this.model.params.get(layer.weight).name];
  }

  private async read(step: number, d: Dispatched): Promise<LayerStats> {
    const all = [...d.bits, d.activation, d.gradSq, d.histGrad].filter((t): t is tf.Tensor => t !== null);
    try {
      const [bitData, activation, gradSq, histGrad] = await Promise.all([
        Promise.all(d.bits.map((b) => b.data())),
        d.activation?.data() ?? null,
        d.gradSq?.data() ?? null,
        d.histGrad?.data() ?? null,
      ]);
      const layers = this.layers.map((l, i): LayerStatsEntry => {
        const bits = toBits(bitData[i]);
        let ones = 0;
        for (let j = 0; j < bits.length; j++) ones += bits[j];
        const prev = this.previous.get(l.name);
        this.previous.set(l.name, bits);
        const g = gradSq ? gradSq[i] : NaN;
        return {
          name: l.name,
          weightEntropy: binaryEntropy(bits.length ? ones / bits.length : 0),
          activationEntropy: activation ? binaryEntropy(activation[i]) : null,
          flipRatio: prev ? flipShare(prev, bits) : null,
          gradNorm: Number.isNaN(g) ? null : Math.sqrt(g),
        };
      });
      const histogram =
        histGrad && this.histLayer ? { layer: this.histLayer, ...symmetricHistogram(histGrad, this.bins) } : null;
      return { step, layers, histogram };
    } finally {
      tf.dispose(all);
    }
  }
}

/** A bool tensor's data as one 0/1 byte per element (a copy, so it outlives the tensor). */
function toBits(data: tf.TypedArray | string[]): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] ? 1 : 0;
  return out;
}
