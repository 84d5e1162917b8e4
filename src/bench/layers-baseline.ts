/**
 * The full-precision ResNet of docs/TECHNIQUES.md ("The model") written as a plain tf.layers functional model, trained with
 * `model.fit`: the baseline our own training step is timed against (`npm run bench:train`).
 *
 * Layer for layer it computes the same function as our full-precision model (src/bnn/model) given
 * the same weights:
 *   stem:   conv3x3 (no bias) → BatchNormalization → hardtanh
 *   block:  out = hardtanh(BN(conv1(x)) + shortcut(x)); out = hardtanh(BN(conv2(out)) + out)
 *   head:   GlobalAveragePooling2D → BatchNormalization → Dense (softmax)
 * Details that keep it exact:
 * - Padding: stride-1 3×3 convs use 'same' (one pixel each side, like ours). TF 'same' with stride 2
 *   on an even input pads only bottom/right, which shifts the sampling grid by a pixel; ours pads one
 *   pixel each side, so stride-2 convs are ZeroPadding2D(1) followed by a 'valid' conv.
 * - Option-A shortcut (x[:, ::2, ::2] and zero channels, planes/4 each side) without a Lambda layer:
 *   a 1×1 'valid' conv with stride 2 whose kernel is fixed (trainable: false) to the identity
 *   selection W[0, 0, c, c + before] = 1. A 1×1 stride-2 window reads exactly rows and columns
 *   0, 2, 4, …, and the extra output channels get zero weights, i.e. zero padding. (Average pooling
 *   would not be exact.) Not being trainable, its filter gradient is never computed.
 * - hardtanh = clip(x, −1, 1) is a small custom layer: tf.layers has no such activation.
 * - BatchNormalization: momentum 0.9 (moving ← 0.9·moving + 0.1·batch) and ε = 1e-5, as ours.
 * - Loss: softmax output with sparseCategoricalCrossentropy (ours: cross-entropy on logits via
 *   logSumExp); Adam, lr 1e-3 by default.
 */
import * as tf from '@tensorflow/tfjs';
import { BN_EPSILON } from '../bnn/model/architecture';
import { conv2dFilterGrad } from '../bnn/model/conv';

export interface LayersResNetSpec {
  depth: 8 | 14 | 20;
  width: number;
  /** [height, width, channels], NHWC. */
  input: [number, number, number];
  classes: number;
}

/** clip(x, −1, 1): hardtanh as a tf.layers layer. */
class HardTanh extends tf.layers.Layer {
  static readonly className = 'BnnHardTanh';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.clipByValue(x, -1, 1);
  }

  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return shape;
  }
}

/** The fixed [1, 1, cin, cout] kernel that copies channel c to channel c + before. */
export function selectionKernel(cin: number, cout: number, before: number): tf.Tensor4D {
  const values = new Float32Array(cin * cout);
  for (let c = 0; c < cin; c++) values[c * cout + c + before] = 1;
  return tf.tensor4d(values, [1, 1, cin, cout]);
}

/** Builds (uncompiled) the functional model; layer names follow our parameter names. */
export function buildLayersResNet(spec: LayersResNetSpec): tf.LayersModel {
  const n = (spec.depth - 2) / 6;
  if (!Number.isInteger(n) || n < 1) throw new Error(`depth must be 6n+2, got ${spec.depth}`);
  const input = tf.input({ shape: spec.input });
  type Sym = tf.SymbolicTensor;
  const apply = (layer: tf.layers.Layer, x: Sym | Sym[]): Sym => layer.apply(x) as Sym;
  const conv = (name: string, x: Sym, filters: number, stride: number): Sym => {
    const padded = stride === 1 ? x : apply(tf.layers.zeroPadding2d({ padding: 1, name: `${name}.pad` }), x);
    return apply(
      tf.layers.conv2d({
        name,
        filters,
        kernelSize: 3,
        strides: stride,
        padding: stride === 1 ? 'same' : 'valid',
        useBias: false,
        kernelInitializer: 'heNormal',
      }),
      padded,
    );
  };
  const bn = (name: string, x: Sym): Sym =>
    apply(tf.layers.batchNormalization({ name, axis: -1, momentum: 0.9, epsilon: BN_EPSILON }), x);
  const hardtanh = (name: string, x: Sym): Sym => apply(new HardTanh({ name }), x);
  const fixedKernels: tf.Tensor[] = [];
  const add = (name: string, a: Sym, b: Sym): Sym => apply(tf.layers.add({ name }), [a, b]);

  let x = hardtanh('stem.act', bn('stem.bn', conv('stem.conv', input, spec.width, 1)));
  let cin = spec.width;
  for (let s = 0; s < 3; s++) {
    const cout = spec.width * 2 ** s;
    for (let i = 0; i < n; i++) {
      const stride = s > 0 && i === 0 ? 2 : 1;
      const p = `s${s + 1}.b${i}`;
      let short = x;
      if (stride !== 1 || cin !== cout) {
        const before = Math.floor((cout - cin) / 2);
        const kernel = selectionKernel(cin, cout, before);
        fixedKernels.push(kernel);
        short = apply(
          tf.layers.conv2d({
            name: `${p}.shortcut`,
            filters: cout,
            kernelSize: 1,
            strides: stride,
            padding: 'valid',
            useBias: false,
            trainable: false,
            weights: [kernel],
          }),
          x,
        );
      }
      const mid = hardtanh(`${p}.act1`, add(`${p}.add1`, bn(`${p}.bn1`, conv(`${p}.conv1`, x, cout, stride)), short));
      x = hardtanh(`${p}.act2`, add(`${p}.add2`, bn(`${p}.bn2`, conv(`${p}.conv2`, mid, cout, 1)), mid));
      cin = cout;
    }
  }
  const pooled = apply(tf.layers.globalAveragePooling2d({ name: 'head.pool' }), x);
  const logits = apply(
    tf.layers.dense({ name: 'head.fc', units: spec.classes, activation: 'softmax', kernelInitializer: 'heNormal' }),
    bn('head.bn', pooled),
  );
  // The layers copied the fixed kernels into their own variables when they were built.
  tf.dispose(fixedKernels);
  return tf.model({ inputs: input, outputs: logits, name: `resnet${spec.depth}_layers` });
}

/** Builds and compiles the baseline the way a tf.layers user would: Adam + sparse categorical CE. */
export function compiledLayersResNet(spec: LayersResNetSpec, lr = 1e-3): tf.LayersModel {
  const model = buildLayersResNet(spec);
  model.compile({ optimizer: tf.train.adam(lr), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Number of trainable scalars (to check it matches ours). */
export function trainableParamCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

/**
 * Runs `fn` with a Conv2DBackpropFilter kernel registered on the active backend when it has none
 * (wasm, tfjs issue 8474): our im2col + matMul filter gradient (conv2dFilterGrad of
 * src/bnn/model/conv.ts, what our own model uses there). tf.layers' conv layers (fused or not) call
 * that kernel in their backward pass, so with it the tf.layers baseline can train on wasm and its
 * framework overhead can be compared with ours at equal filter-gradient cost. The kernel is
 * unregistered afterwards (our model checks for the kernel at every call: keep the two apart).
 */
export async function withIm2colConvFilterGradient<T>(fn: () => Promise<T>): Promise<T> {
  const backend = tf.getBackend();
  if (tf.getKernel('Conv2DBackpropFilter', backend) !== undefined) return fn();
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: backend,
    // The engine passes its input tensors and uses a returned tensor as the output as is.
    kernelFunc: ({ inputs, attrs }) => {
      const x = inputs.x as tf.Tensor4D;
      const dy = inputs.dy as tf.Tensor4D;
      const a = attrs as unknown as FilterGradAttrs;
      const [kh, kw] = a.filterShape;
      const [sh, sw] = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
      const pad = a.pad === 'valid' ? 0 : a.pad === 'same' && sh === 1 && kh % 2 === 1 ? (kh - 1) / 2 : a.pad;
      if (kh !== kw || sh !== sw || a.dataFormat === 'NCHW' || typeof pad !== 'number') {
        throw new Error(`im2col filter gradient: unsupported conv2d ${JSON.stringify(a)}`);
      }
      return conv2dFilterGrad(x, dy, kh, sh, pad);
    },
  });
  try {
    return await fn();
  } finally {
    tf.unregisterKernel('Conv2DBackpropFilter', backend);
  }
}

interface FilterGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | number[][];
  dataFormat: 'NHWC' | 'NCHW';
  filterShape: [number, number, number, number];
}
