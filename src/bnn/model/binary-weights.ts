import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config';
import { getWeightTransform } from '../quantizers/registry';
import { signPlusOne } from '../quantizers/sign';
import { PER_OUT_CHANNEL_AXES, type WeightTransform } from '../quantizers/weight-transform';
import type { WeightTransformName } from '../quantizers/registry';
import type { Architecture, ConvOp } from './architecture';
import type { QuantContext } from './forward';
import type { QuantTk } from '../train/schedules';
import { quantContextFor, type BnnModel } from './model';
import { ParamStore, type ParamSnapshot } from './params';

/**
 * The binary weights one binary conv actually uses in the forward pass:
 *   Bw[kh, kw, cin, o] = signs[kh, kw, cin, o] · scale[o]   (scale ≡ 1 when null)
 * with signs = sign(balanced) (sign(0) = +1) after the weight transform (Libra-PB/IMB balance
 * and standardise first), not the sign of the raw latent weight.
 */
export interface BinaryConvWeights {
  /** The conv op's name. */
  name: string;
  /** The conv's weight parameter name (op.weight). */
  weight: string;
  /** HWIO: [kh, kw, cin, cout]. */
  shape: [number, number, number, number];
  /** ±1, HWIO. */
  signs: Float32Array;
  /** Per out channel; null when the transform has no scale ('none'). */
  scale: Float32Array | null;
}

/** The binary conv ops of an architecture, in op order. */
export function binaryConvOps(arch: Architecture): ConvOp[] {
  return arch.ops.filter((op): op is ConvOp => op.op === 'conv2d' && op.binary);
}

/** Signs and scale of every binary conv, computed from latent weights with `transform` on the active backend. */
export async function binaryWeightsFromSnapshot(
  arch: Architecture,
  snapshot: ParamSnapshot,
  transform: WeightTransform,
): Promise<BinaryConvWeights[]> {
  const out: BinaryConvWeights[] = [];
  for (const op of binaryConvOps(arch)) {
    const p = snapshot[op.weight];
    if (!p) throw new Error(`snapshot lacks binary conv weight '${op.weight}'`);
    const shape: [number, number, number, number] = [op.kernel, op.kernel, op.cin, op.cout];
    if (p.shape.join(',') !== shape.join(',')) throw new Error(`'${op.weight}' has shape [${p.shape}], expected [${shape}]`);
    const w = tf.tensor4d(p.data, shape);
    out.push(await transformed(op, w, transform));
    w.dispose();
  }
  return out;
}

/** Signs and scale of every binary conv of a model, exactly as its forward pass binarises them. */
export async function binaryWeightsOf(model: BnnModel): Promise<BinaryConvWeights[]> {
  const quant = model.quant();
  if (!quant) return [];
  const out: BinaryConvWeights[] = [];
  for (const op of binaryConvOps(model.arch)) {
    out.push(await transformed(op, model.params.get(op.weight), quant.transform));
  }
  return out;
}

async function transformed(op: ConvOp, w: tf.Tensor, transform: WeightTransform): Promise<BinaryConvWeights> {
  const [signs, scale] = tf.tidy(() => {
    const r = transform.apply(w);
    return r.scale ? [signPlusOne(r.balanced), r.scale] : [signPlusOne(r.balanced)];
  });
  const signData = (await signs.data()) as Float32Array;
  const scaleData = scale ? ((await scale.data()) as Float32Array) : null;
  signs.dispose();
  scale?.dispose();
  return {
    name: op.name,
    weight: op.weight,
    shape: [op.kernel, op.kernel, op.cin, op.cout],
    signs: Float32Array.from(signData),
    scale: scaleData ? Float32Array.from(scaleData) : null,
  };
}

/** Bw = signs · scale (HWIO); exact in float32 because every sign is ±1. */
export function effectiveWeight(b: BinaryConvWeights): Float32Array {
  const out = Float32Array.from(b.signs);
  if (!b.scale) return out;
  const cout = b.shape[3];
  for (let i = 0; i < out.length; i++) out[i] *= b.scale[i % cout];
  return out;
}

/**
 * The weight transform of a model whose binary convs hold fixed weights W = Bw = signs · scale
 * (an imported file without latent weights): balanced = W, scale_o = max_o |W|. Every |W| in
 * channel o equals α_o ≥ 0, so sign(W) · max_o |W| = signs · α_o = Bw bit for bit (α_o = 0 gives
 * Bw = 0 either way). Inference only.
 */
export function fixedWeightsTransform(name: WeightTransformName): WeightTransform {
  const base = getWeightTransform(name);
  return {
    ...base,
    label: `${base.label}, fixed weights`,
    apply: (w) => ({ balanced: w, scale: tf.max(tf.abs(w), PER_OUT_CHANNEL_AXES) }),
  };
}

/** A snapshot whose binary conv weights are replaced by Bw = signs · scale (other parameters copied by reference). */
export function fixedWeightsSnapshot(params: ParamSnapshot, binary: readonly BinaryConvWeights[]): ParamSnapshot {
  const out: ParamSnapshot = { ...params };
  for (const b of binary) out[b.weight] = { shape: [...b.shape], data: effectiveWeight(b) };
  return out;
}

/**
 * A model that runs binary convs with fixed weights Bw (see fixedWeightsTransform) through the
 * ordinary forward pass, so evaluation, the teacher path and re-export treat it like a BnnModel.
 * For evaluation only: training it would train Bw, not latent weights.
 */
export class FixedWeightsModel implements BnnModel {
  private constructor(
    readonly config: RunConfig,
    readonly arch: Architecture,
    readonly params: ParamStore,
  ) {}

  /** `snapshot` holds Bw at every binary conv weight (fixedWeightsSnapshot). */
  static fromSnapshot(config: RunConfig, arch: Architecture, snapshot: ParamSnapshot): FixedWeightsModel {
    return new FixedWeightsModel(config, arch, ParamStore.fromSnapshot(arch, snapshot));
  }

  get binary(): boolean {
    return this.config.precision === 'binary';
  }

  quant(tk?: QuantTk): QuantContext | undefined {
    if (!this.binary) return undefined;
    return quantContextFor(this.config, fixedWeightsTransform(this.config.weightTransform), tk);
  }

  dispose(): void {
    this.params.dispose();
  }
}
