import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import type { Architecture, ParamSpec } from './architecture';
import { RPRELU_INIT_SLOPE } from './ops/rprelu';

/** Plain-array copy of every parameter: checkpoints, export, worker messages, teachers. */
export type ParamSnapshot = Record<string, { shape: number[]; data: Float32Array }>;

/**
 * The model's variables by name. Trainable ones go to the optimiser; BN moving statistics are
 * non-trainable variables updated by the trainer after each finite step.
 */
export class ParamStore {
  readonly vars = new Map<string, tf.Variable>();

  constructor(readonly specs: ParamSpec[]) {}

  /**
   * Seeded initialisation: He-normal conv/dense weights (std = √(2/fanIn)), BN γ=1 β=0 μ=0 σ²=1.
   * The binary convs' latent weights (`latent`) are scaled by `latentInitScale`: at He scale
   * Adam's early steps (~lr each) move them too little to flip many signs.
   */
  static init(arch: Architecture, seed: number, latent: { names: ReadonlySet<string>; initScale: number } = NO_LATENTS): ParamStore {
    const store = new ParamStore(arch.params);
    const rng = seedrandom.alea(`init:${seed}`);
    for (const p of arch.params) {
      const values = initialValues(p, rng);
      if (latent.names.has(p.name) && latent.initScale !== 1) for (let i = 0; i < values.length; i++) values[i] *= latent.initScale;
      store.vars.set(p.name, variableFrom(values, p.shape, p.trainable, `${p.name}#${seed}#${uid++}`));
    }
    return store;
  }

  static fromSnapshot(arch: Architecture, snap: ParamSnapshot): ParamStore {
    const store = new ParamStore(arch.params);
    for (const p of arch.params) {
      const s = snap[p.name];
      if (!s) throw new Error(`snapshot lacks parameter '${p.name}'`);
      if (s.shape.join(',') !== p.shape.join(',')) {
        throw new Error(`parameter '${p.name}' has shape [${s.shape}] but the model expects [${p.shape}]`);
      }
      store.vars.set(p.name, variableFrom(s.data, p.shape, p.trainable, `${p.name}#snap#${uid++}`));
    }
    return store;
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`no parameter '${name}'`);
    return v;
  }

  trainable(): tf.Variable[] {
    return this.specs.filter((s) => s.trainable).map((s) => this.get(s.name));
  }

  async snapshot(): Promise<ParamSnapshot> {
    const out: ParamSnapshot = {};
    for (const s of this.specs) {
      out[s.name] = { shape: [...s.shape], data: (await this.get(s.name).data()) as Float32Array };
    }
    return out;
  }

  /** Overwrite values in place (restoring the last good weights after a non-finite step). */
  assign(snap: ParamSnapshot): void {
    for (const s of this.specs) {
      const v = snap[s.name];
      if (v) tf.tidy(() => this.get(s.name).assign(tf.tensor(v.data, s.shape)));
    }
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

let uid = 0;
const NO_LATENTS = { names: new Set<string>(), initScale: 1 };

/** A variable holding a copy of `values`; the temporary tensor is released at once. */
function variableFrom(values: Float32Array, shape: number[], trainable: boolean, name: string): tf.Variable {
  const t = tf.tensor(values, shape);
  const v = tf.variable(t, trainable, name);
  t.dispose();
  return v;
}

function initialValues(p: ParamSpec, rng: () => number): Float32Array {
  const size = p.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  switch (p.kind) {
    case 'conv':
    case 'dwconv':
    case 'dense': {
      const std = Math.sqrt(2 / (p.fanIn ?? 1));
      for (let i = 0; i < size; i++) out[i] = std * gaussian(rng);
      return out;
    }
    case 'bn_gamma':
    case 'bn_variance':
      return out.fill(1);
    case 'slope':
      return out.fill(RPRELU_INIT_SLOPE);
    default:
      return out;
  }
}

/** Box–Muller standard normal from a uniform [0, 1) source. */
function gaussian(rng: () => number): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
