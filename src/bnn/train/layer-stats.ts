import * as tf from '@tensorflow/tfjs-core';
import type { Architecture, ConvOp } from '../model/architecture';
import { forward } from '../model/forward';
import type { BnnModel } from '../model/model';
import type { QuantTk } from './schedules';
import { binaryEntropy, channelEntropies, flipShare, minAndSpread, symmetricHistogram, toBits } from './layer-stats-math';

export { binaryEntropy, channelEntropies, flipShare, minAndSpread, symmetricHistogram } from './layer-stats-math';

/**
 * An estimator's derivative counts as a non-negligible gradient from a tenth of the
 * straight-through estimator's pass-through value 1 upwards.
 */
export const GRADIENT_SHARE_THRESHOLD = 0.1;

/** Statistics of one binary conv at one measurement. */
export interface LayerStatsEntry {
  /** The conv op's name, e.g. 's1.b0.conv1'. */
  name: string;
  /** H(p) in bits, p = share of +1 in Bw = sign(balanced). */
  weightEntropy: number;
  /** Per out channel H(p_o): the lowest, and the standard deviation over the channels (bits). */
  weightEntropyMin: number;
  weightEntropyStd: number;
  /** H(p) in bits, p = share of +1 in Ba = sign(x) over the probe batch; null without a probe batch. */
  activationEntropy: number | null;
  /** Per input channel H(p_c) of Ba over the probe: lowest and standard deviation; null without a probe. */
  activationEntropyMin: number | null;
  activationEntropyStd: number | null;
  /** Share of Bw signs that changed since the previous measurement; null at the first one. */
  flipRatio: number | null;
  /** Share of Bw signs that differ from those at initialisation (or at the start of a resumed run). */
  flippedSinceInit: number;
  /** L2 norm of the latent weight's gradient; null when no gradients were passed. */
  gradNorm: number | null;
  /**
   * Relative quantisation error ‖ŵ − α·b‖ / ‖ŵ‖ with ŵ the tensor that is binarised (the balanced
   * weight), b = sign(ŵ) and α the transform's scale per out channel, or mean_o |ŵ| (the
   * error-minimising scale, which the following BN absorbs) when the transform has none.
   */
  quantError: number;
  /**
   * Shares of sign inputs whose estimator derivative is at least GRADIENT_SHARE_THRESHOLD at the
   * current t, k: over the balanced weights, and over the activations of the probe (null without one).
   */
  weightGradShare: number;
  activationGradShare: number | null;
  /**
   * BN health: share of the activations entering this conv (on the probe) whose sign differs
   * between a training-mode pass (the probe's batch statistics) and an inference-mode pass (the
   * BN statistics the model holds); null without a probe.
   */
  signDisagreement: number | null;
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
  /** Histogram of the chosen layer's latent weights (the raw w, before any transform). */
  latentHistogram: GradHistogram | null;
  /** IR2Net restriction runs: share of the probe's pixels the mask keeps; null otherwise. */
  maskKeep?: number | null;
}

export interface LayerStatsOptions {
  /** Layer whose gradient histogram is reported; default the first binary conv. */
  histogramLayer?: string;
  /** Histogram bins (default 30). */
  bins?: number;
}

/** The binary convs of an architecture, in graph order. */
export function binaryConvOps(arch: Architecture): ConvOp[] {
  return arch.ops.filter((op): op is ConvOp => op.op === 'conv2d' && op.binary);
}

/** Tensors dispatched by one measurement, read back asynchronously. */
interface Dispatched {
  bits: tf.Tensor[];
  /** Per layer: share of x ≥ 0 per input channel on the probe. */
  activation: tf.Tensor[] | null;
  /** Per layer [quantError, weightGradShare]. */
  weightScalars: tf.Tensor | null;
  /** Per layer [activationGradShare, signDisagreement]. */
  probeScalars: tf.Tensor | null;
  gradSq: tf.Tensor | null;
  histGrad: tf.Tensor | null;
  histLatent: tf.Tensor | null;
}

/** BN health: the share of sign inputs whose sign differs between two passes (sign(0) = +1). */
export function signDisagreement(inference: tf.Tensor, training: tf.Tensor): tf.Scalar {
  return tf.mean(tf.cast(tf.notEqual(tf.greaterEqual(inference, 0), tf.greaterEqual(training, 0)), 'float32'));
}

/**
 * Per binary conv statistics of a model: weight entropy of Bw (layer and per channel), activation
 * entropy of Ba on a probe batch (inference mode), flip ratio since the previous measurement and
 * since initialisation, latent-gradient norm, quantisation error, the share of inputs an estimator
 * still passes a gradient to, BN health, and histograms of one chosen layer's gradient and latent
 * weights. Holds no tensors between measurements: the signs are kept as one byte per weight.
 */
export class LayerStatsTracker {
  readonly layers: readonly ConvOp[];
  private readonly bins: number;
  private histLayer: string | null;
  private previous = new Map<string, Uint8Array>();
  private initial = new Map<string, Uint8Array>();

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
    this.layers.forEach((l, i) => {
      const bits = toBits(data[i]);
      this.previous.set(l.name, bits);
      this.initial.set(l.name, bits);
    });
  }

  /**
   * Measure at `step`. `probe` (NHWC, normalised like training input) gives the activation
   * statistics and BN health; `grads` (keyed by variable name, as tf.variableGrads returns them)
   * the gradient norms and histogram; `tk` the estimators' t, k for the gradient shares (1, 1 if
   * absent). Probe and grads are only read before this returns its promise, so the caller may
   * dispose them right away; every tensor made here is disposed here.
   */
  measure(step: number, probe?: tf.Tensor4D | null, grads?: tf.NamedTensorMap | null, tk?: QuantTk): Promise<LayerStats> {
    return this.read(step, this.dispatch(probe ?? null, grads ?? null, tk));
  }

  private signBits(): tf.Tensor[] {
    const quant = this.model.quant();
    if (!quant) return [];
    return this.layers.map((l) => {
      const w = this.model.params.get(l.weight);
      // sign(0) = +1 as in the forward pass
      return tf.greaterEqual(quant.transform.apply(w).balanced, 0);
    });
  }

  private dispatch(probe: tf.Tensor4D | null, grads: tf.NamedTensorMap | null, tk: QuantTk | undefined): Dispatched {
    const out: Dispatched = { bits: [], activation: null, weightScalars: null, probeScalars: null, gradSq: null, histGrad: null, histLatent: null };
    const quant = this.model.quant(tk);
    if (this.layers.length === 0 || !quant) return out;
    tf.tidy(() => {
      const list: tf.Tensor[] = [];
      out.bits = this.signBits();
      list.push(...out.bits);
      const share = (d: tf.Tensor) => tf.mean(tf.cast(tf.greaterEqual(d, GRADIENT_SHARE_THRESHOLD), 'float32'));
      out.weightScalars = tf.stack(
        this.layers.map((l) => {
          const { balanced, scale } = quant.transform.apply(this.model.params.get(l.weight));
          const alpha = scale ?? tf.mean(tf.abs(balanced), [0, 1, 2]);
          const b = tf.sub(tf.mul(tf.cast(tf.greaterEqual(balanced, 0), 'float32'), 2), 1);
          const err = tf.div(tf.norm(tf.sub(balanced, tf.mul(b, alpha))), tf.maximum(tf.norm(balanced), 1e-12));
          return tf.stack([err, share(quant.weight.estimator.derivative(balanced, quant.weight.tk))]);
        }),
      );
      list.push(out.weightScalars);
      if (probe) {
        // Inference mode with the BN statistics the model holds, and training mode with the
        // probe's own batch statistics; t, k only shape the backward pass.
        const inputs = this.layers.map((l) => l.input);
        const keep = [...new Set(inputs)];
        const inference = forward(this.model.arch, this.model.params, probe, { training: false, quant, keep }).outputs;
        const training = forward(this.model.arch, this.model.params, probe, { training: true, quant, keep }).outputs;
        out.activation = inputs.map((n) => tf.mean(tf.cast(tf.greaterEqual(inference[n], 0), 'float32'), [0, 1, 2]));
        list.push(...out.activation);
        out.probeScalars = tf.stack(
          inputs.map((n) =>
            tf.stack([
              share(quant.activation.estimator.derivative(inference[n], quant.activation.tk)),
              signDisagreement(inference[n], training[n]),
            ]),
          ),
        );
        list.push(out.probeScalars);
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
      const chosenLayer = this.layers.find((l) => l.name === this.histLayer);
      if (chosenLayer) {
        out.histLatent = tf.reshape(this.model.params.get(chosenLayer.weight), [-1]);
        list.push(out.histLatent);
      }
      return list; // kept: read and disposed by read()
    });
    return out;
  }

  private gradOf(grads: tf.NamedTensorMap, layer: ConvOp): tf.Tensor | undefined {
    return grads[this.model.params.get(layer.weight).name];
  }

  private async read(step: number, d: Dispatched): Promise<LayerStats> {
    const all = [...d.bits, ...(d.activation ?? []), d.weightScalars, d.probeScalars, d.gradSq, d.histGrad, d.histLatent].filter(
      (t): t is tf.Tensor => t !== null,
    );
    try {
      const [bitData, activation, weightScalars, probeScalars, gradSq, histGrad, histLatent] = await Promise.all([
        Promise.all(d.bits.map((b) => b.data())),
        d.activation ? Promise.all(d.activation.map((a) => a.data())) : null,
        d.weightScalars?.data() ?? null,
        d.probeScalars?.data() ?? null,
        d.gradSq?.data() ?? null,
        d.histGrad?.data() ?? null,
        d.histLatent?.data() ?? null,
      ]);
      const layers = this.layers.map((l, i): LayerStatsEntry => {
        const bits = toBits(bitData[i]);
        let ones = 0;
        for (let j = 0; j < bits.length; j++) ones += bits[j];
        const prev = this.previous.get(l.name);
        this.previous.set(l.name, bits);
        const init = this.initial.get(l.name);
        if (!init) this.initial.set(l.name, bits);
        const g = gradSq ? gradSq[i] : NaN;
        const wChannels = minAndSpread(channelEntropies(bits, l.cout));
        const pChannels = activation ? Array.from(activation[i] as Float32Array) : null;
        const aChannels = pChannels ? minAndSpread(pChannels.map((p) => binaryEntropy(p))) : null;
        const pAll = pChannels ? pChannels.reduce((a, p) => a + p, 0) / pChannels.length : null;
        return {
          name: l.name,
          weightEntropy: binaryEntropy(bits.length ? ones / bits.length : 0),
          weightEntropyMin: wChannels.min,
          weightEntropyStd: wChannels.std,
          activationEntropy: pAll === null ? null : binaryEntropy(pAll),
          activationEntropyMin: aChannels?.min ?? null,
          activationEntropyStd: aChannels?.std ?? null,
          flipRatio: prev ? flipShare(prev, bits) : null,
          flippedSinceInit: init ? flipShare(init, bits) : 0,
          gradNorm: Number.isNaN(g) ? null : Math.sqrt(g),
          quantError: weightScalars ? weightScalars[2 * i] : NaN,
          weightGradShare: weightScalars ? weightScalars[2 * i + 1] : NaN,
          activationGradShare: probeScalars ? probeScalars[2 * i] : null,
          signDisagreement: probeScalars ? probeScalars[2 * i + 1] : null,
        };
      });
      const histogram =
        histGrad && this.histLayer ? { layer: this.histLayer, ...symmetricHistogram(histGrad, this.bins) } : null;
      const latentHistogram =
        histLatent && this.histLayer ? { layer: this.histLayer, ...symmetricHistogram(histLatent, this.bins) } : null;
      return { step, layers, histogram, latentHistogram };
    } finally {
      tf.dispose(all);
    }
  }
}

