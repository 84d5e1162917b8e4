/**
 * The binary inference engine: compiles a model's op list (src/bnn/model/architecture.ts)
 * and weights into a plan of preallocated steps that runs a whole binarized ResNet on
 * Float32Array NHWC batches, without tfjs.
 *
 * - Binary convs run on the XNOR kernels (kernels = 'xnor'): the activations' signs are
 *   packed per inference (sign(0) = +1, DESIGN §7) and binaryConv2d reproduces the float
 *   graph's zero padding exactly. With kernels = 'float' the same plan runs them through the
 *   float conv instead (sign(x) as ±1 floats against ±1 float weights): the honest float
 *   baseline. Both produce the same integer dot products, hence identical outputs.
 * - Each conv (binary or not) and depthwise conv ends in one fused per-channel epilogue:
 *     y = a_o·dot + b_o  (+ residual)  (clamped to [−1, 1] when a hardtanh follows)
 *   where a_o, b_o fold the binary scale and the BatchNorm that follows it:
 *     a_o = scale_o·γ_o/√(σ²_o + ε),  b_o = β_o − μ_o·γ_o/√(σ²_o + ε).
 *   A Bi-Real block's add and hardtanh fuse into the same pass when the conv's output feeds
 *   nothing else.
 * - Everything else (stem, shortcuts, pooling, concat, slice, IR2Net recovery incl. the
 *   depthwise conv, head) is float math with the semantics of forward.ts.
 * Buffers are sized for `maxBatch` once and recycled by liveness; a run allocates nothing
 * but the returned logits (unless `out` is given).
 */
import {
  BN_EPSILON,
  INPUT,
  type Architecture,
  type BatchNormOp,
  type ConvOp,
  type DepthwiseConvOp,
  type HardtanhOp,
  type LayerOp,
} from '../bnn/model/architecture';
import { borderedWords, packWeightsHWIO } from './bitpack';
import { binaryConv2dFromFloat, prepareBinaryConv, type BinaryConvLayer } from './binaryConv';
import {
  add,
  affine,
  applyEpilogue,
  avgPool,
  concatChannels,
  dense,
  depthwiseConv,
  directConv,
  prepareDirectConv,
  globalAvgPool,
  hardtanh,
  shortcutA,
  signs as signsOf,
  sliceChannels,
  type Epilogue,
} from './engineOps';
import { floatConv2d, prepareFloatConv, type FloatConvLayer } from './floatConv';

/** Which kernels run the binary convs. */
export type EngineKernels = 'xnor' | 'float';

/** One parameter by name (a ParamSnapshot entry). */
export interface EngineParam {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * The binary weights of one binary conv as the forward pass uses them
 * (src/bnn/model/binary-weights.ts BinaryConvWeights): Bw = signs · scale.
 */
export interface EngineBinaryConv {
  /** The conv op's name. */
  readonly name: string;
  /** HWIO [kh, kw, cin, cout]. */
  readonly shape: readonly number[];
  /** ±1, HWIO. */
  readonly signs: Float32Array;
  /** Per out channel, or null (scale 1). */
  readonly scale: Float32Array | null;
}

/** What the engine compiles: the graph, the float parameters and the binary convs' bits. */
export interface EngineSource {
  readonly arch: Architecture;
  /** Every float parameter by name; binary conv weights are not read from here. */
  readonly params: Readonly<Record<string, EngineParam>>;
  /** One entry per binary conv op (matched by op name). */
  readonly binary: readonly EngineBinaryConv[];
}

export interface EngineOptions {
  /** Default 'xnor'. */
  readonly kernels?: EngineKernels;
  /** Largest batch `run` accepts; buffers are sized for it. Default 32. */
  readonly maxBatch?: number;
  /**
   * Lookup-table group size of the XNOR convs (see xnorLut.ts); default per layer
   * (defaultGroupBits: with 2-word entries, bytes measured as fast as nibbles or faster in
   * every ResNet-20 layer at batch 1 to 32).
   */
  readonly groupBits?: 4 | 8;
}

/** Called before each binary conv with the float tensor whose signs it takes. */
export type SignInputObserver = (conv: string, values: Float32Array, shape: readonly [number, number, number, number]) => void;

export interface RunOptions {
  /** Receives the logits [batch, classes]; default a new array. */
  readonly out?: Float32Array;
  /** Sees every binary conv's input before it is binarised (analysis of sign flips). */
  readonly observeSignInputs?: SignInputObserver;
  /** Receives each step's wall time in ms (index as in `steps`; length ≥ steps.length). */
  readonly stepTimes?: Float64Array;
}

/** One step of the compiled plan, for display and tests. */
export interface EngineStep {
  readonly kind: 'binary-conv' | 'conv' | 'dwconv' | LayerOp['op'];
  /** The ops this step executes (fused ones after the first). */
  readonly ops: readonly string[];
  /** Per-image output shape. */
  readonly shape: readonly number[];
}

export interface InferenceEngine {
  readonly kernels: EngineKernels;
  readonly maxBatch: number;
  /** [H, W, C] of one input image. */
  readonly inputShape: readonly [number, number, number];
  readonly classes: number;
  readonly steps: readonly EngineStep[];
  /** Bytes of prepared weights (lookup tables or float panels, affines, float params). */
  readonly weightBytes: number;
  /** Bytes of activation buffers and scratch (for maxBatch). */
  readonly bufferBytes: number;
  /** Logits [batch, classes] of `batch` NHWC images (input holds at least batch·H·W·C floats). */
  run(input: Float32Array, batch: number, options?: RunOptions): Float32Array;
  /** argmax of each image's logits (first index on ties, like tf.argMax). */
  predict(input: Float32Array, batch: number): Int32Array;
}

type Shape = readonly number[];

/**
 * v as a small integer. The op builder computes some sizes as doubles (pad = (k − 1)/2,
 * widths w·2^s); V8 keeps such values boxed, and a boxed number stored into an object
 * literal (a layer, a geometry) generalizes that object shape's field to double for every
 * object of the shape, the kernels' own included, turning their index arithmetic into
 * float math (measured: the stem conv 2×, the float conv 1.3× slower). Every size the
 * engine hands to a kernel goes through here.
 */
const int = (v: number): number => v | 0;

/** Full-precision convs with at most this depth (k²·cin; the stem's 27) run as a direct conv. */
const DIRECT_CONV_MAX_DEPTH = 64;

const sizeOf = (s: Shape): number => s.reduce((a, b) => a * b, 1);

/** Per-image output shapes of every tensor, in op order (the shapes tfjs would produce). */
export function inferShapes(arch: Architecture): Map<string, Shape> {
  const shapes = new Map<string, Shape>([[INPUT, arch.input.map((v) => v | 0)]]);
  const get = (name: string): Shape => {
    const s = shapes.get(name);
    if (!s) throw new Error(`engine: tensor '${name}' used before it is produced`);
    return s;
  };
  const hwc = (name: string, op: string): [number, number, number] => {
    const s = get(name);
    if (s.length !== 3) throw new Error(`engine: ${op} needs an H×W×C input, '${name}' is [${s}]`);
    return [s[0], s[1], s[2]];
  };
  for (const op of arch.ops) {
    let out: Shape;
    switch (op.op) {
      case 'conv2d': {
        const [h, w, c] = hwc(op.input, op.name);
        if (h !== op.inH || w !== op.inW || c !== op.cin) throw new Error(`engine: '${op.name}' expects [${op.inH},${op.inW},${op.cin}], got [${h},${w},${c}]`);
        out = [op.outH, op.outW, op.cout];
        break;
      }
      case 'dwconv2d': {
        const [h, w, c] = hwc(op.input, op.name);
        if (c !== op.channels) throw new Error(`engine: '${op.name}' expects ${op.channels} channels, got ${c}`);
        out = [h + 2 * op.pad - op.kernel + 1, w + 2 * op.pad - op.kernel + 1, c * op.multiplier];
        break;
      }
      case 'batchnorm': {
        const s = get(op.input);
        if (s[s.length - 1] !== op.channels) throw new Error(`engine: '${op.name}' expects ${op.channels} channels`);
        out = s;
        break;
      }
      case 'hardtanh':
        out = get(op.input);
        break;
      case 'add': {
        const [a, b] = op.inputs.map(get);
        if (a.join(',') !== b.join(',')) throw new Error(`engine: '${op.name}' adds [${a}] and [${b}]`);
        out = a;
        break;
      }
      case 'shortcut_a': {
        const [h, w, c] = hwc(op.input, op.name);
        out = [Math.ceil(h / op.stride), Math.ceil(w / op.stride), c + op.padBefore + op.padAfter];
        break;
      }
      case 'avgpool': {
        const [h, w, c] = hwc(op.input, op.name);
        out = [Math.floor(h / op.size), Math.floor(w / op.size), c];
        break;
      }
      case 'concat': {
        const parts = op.inputs.map((name) => hwc(name, op.name));
        if (parts.some((p) => p[0] !== parts[0][0] || p[1] !== parts[0][1])) throw new Error(`engine: '${op.name}' concatenates different sizes`);
        out = [parts[0][0], parts[0][1], parts.reduce((a, p) => a + p[2], 0)];
        break;
      }
      case 'slice_channels': {
        const [h, w, c] = hwc(op.input, op.name);
        if (op.count > c) throw new Error(`engine: '${op.name}' keeps ${op.count} of ${c} channels`);
        out = [h, w, op.count];
        break;
      }
      case 'global_avgpool':
        out = [hwc(op.input, op.name)[2]];
        break;
      case 'dense': {
        const s = get(op.input);
        if (s.length !== 1 || s[0] !== op.cin) throw new Error(`engine: '${op.name}' expects [${op.cin}], got [${s}]`);
        out = [op.cout];
        break;
      }
    }
    shapes.set(op.output, out.map((v) => v | 0));
  }
  return shapes;
}

/** A producer (conv or depthwise conv) and the ops fused into its epilogue. */
interface ConvGroup {
  readonly producer: ConvOp | DepthwiseConvOp;
  bn?: BatchNormOp;
  residual?: string;
  addName?: string;
  act?: HardtanhOp;
  output: string;
}

/** A step before buffers are bound: what it reads and writes, and how to bind it. */
interface PlanNode {
  readonly info: EngineStep;
  readonly inputs: readonly string[];
  readonly output: string;
  /** Index of an input whose buffer the output may reuse when that input dies here. */
  readonly inPlace?: number;
  /** Bytes of weights this step prepared. */
  readonly weightBytes: number;
  bind(buffers: BufferView): (n: number, observe?: SignInputObserver) => void;
}

interface BufferView {
  get(name: string): Float32Array;
}

/** Compiles `source` into an engine. Throws on a graph or parameter it cannot run. */
export function compileEngine(source: EngineSource, options: EngineOptions = {}): InferenceEngine {
  const kernels = options.kernels ?? 'xnor';
  const maxBatch = options.maxBatch ?? 32;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  const { arch } = source;
  const shapes = inferShapes(arch);
  const shapeOf = (name: string): Shape => shapes.get(name) as Shape;
  const param = (name: string, size: number): Float32Array => {
    const p = source.params[name];
    if (!p) throw new Error(`engine: missing parameter '${name}'`);
    if (p.data.length !== size) throw new Error(`engine: parameter '${name}' has ${p.data.length} values, expected ${size}`);
    return p.data;
  };
  const binaryByName = new Map(source.binary.map((b) => [b.name, b]));

  // Uses of every tensor (the model output counts as one), then fusion groups.
  const uses = new Map<string, number>([[arch.output, 1]]);
  const consumers = new Map<string, LayerOp[]>();
  for (const op of arch.ops) {
    for (const input of inputsOf(op)) {
      uses.set(input, (uses.get(input) ?? 0) + 1);
      consumers.set(input, [...(consumers.get(input) ?? []), op]);
    }
  }
  const soleConsumer = (name: string): LayerOp | undefined => (uses.get(name) === 1 ? consumers.get(name)?.[0] : undefined);
  const groupEnd = new Map<LayerOp, ConvGroup>();
  const absorbed = new Set<LayerOp>();
  for (const op of arch.ops) {
    if (op.op !== 'conv2d' && op.op !== 'dwconv2d') continue;
    const group: ConvGroup = { producer: op, output: op.output };
    let last: LayerOp = op;
    let next = soleConsumer(group.output);
    if (next?.op === 'batchnorm') {
      group.bn = next;
      group.output = next.output;
      last = next;
      absorbed.add(next);
      next = soleConsumer(group.output);
    }
    if (next?.op === 'add') {
      const other = next.inputs[0] === group.output ? next.inputs[1] : next.inputs[0];
      group.residual = other;
      group.addName = next.name;
      group.output = next.output;
      last = next;
      absorbed.add(next);
      next = soleConsumer(group.output);
    }
    if (next?.op === 'hardtanh') {
      group.act = next;
      group.output = next.output;
      last = next;
      absorbed.add(next);
    }
    if (last !== op) absorbed.add(op);
    groupEnd.set(last, group);
  }

  // Scratch shared by all binary convs: packed words (xnor) or ±1 floats (float).
  let packWords = 0;
  let signFloats = 0;
  for (const op of arch.ops) {
    if (op.op !== 'conv2d' || !op.binary) continue;
    // The 3×3 fast path packs with a border of `pad` pixels (never fewer words than without).
    packWords = Math.max(packWords, borderedWords(maxBatch, op.inH, op.inW, op.cin, int(op.pad)));
    signFloats = Math.max(signFloats, maxBatch * op.inH * op.inW * op.cin);
  }
  const packScratch = new Uint32Array(kernels === 'xnor' ? packWords : 0);
  const signScratch = new Float32Array(kernels === 'float' ? signFloats : 0);

  const nodes: PlanNode[] = [];
  for (const op of arch.ops) {
    const group = groupEnd.get(op);
    if (group) nodes.push(convNode(group));
    else if (!absorbed.has(op)) nodes.push(simpleNode(op));
  }

  function epilogueOf(bn: BatchNormOp | undefined, channels: number, scale: Float32Array | null): Epilogue {
    const a = new Float32Array(channels);
    const b = new Float32Array(channels);
    for (let o = 0; o < channels; o++) {
      const s = scale ? scale[o] : 1;
      if (bn) {
        const gamma = param(bn.gamma, channels)[o];
        const inv = gamma / Math.sqrt(param(bn.variance, channels)[o] + BN_EPSILON);
        a[o] = s * inv;
        b[o] = param(bn.beta, channels)[o] - param(bn.mean, channels)[o] * inv;
      } else {
        a[o] = s;
        b[o] = 0;
      }
    }
    return { a, b };
  }

  function convNode(group: ConvGroup): PlanNode {
    const p = group.producer;
    const opNames = [p.name, group.bn?.name, group.addName, group.act?.name].filter((x): x is string => !!x);
    const outShape = shapeOf(group.output);
    const inputs = group.residual ? [p.input, group.residual] : [p.input];
    const clamp = !!group.act;
    if (p.op === 'dwconv2d') {
      const [h, w, c] = shapeOf(p.input);
      const [k, m, dpad] = [int(p.kernel), int(p.multiplier), int(p.pad)];
      const weight = param(p.weight, k * k * c * m);
      const ep = epilogueOf(group.bn, c * m, null);
      const rows = outShape[0] * outShape[1];
      return {
        info: { kind: 'dwconv', ops: opNames, shape: outShape },
        inputs,
        output: group.output,
        weightBytes: weight.byteLength + 8 * c * m,
        bind: (buf) => {
          const x = buf.get(p.input);
          const y = buf.get(group.output);
          const yBits = new Int32Array(y.buffer, y.byteOffset, y.length);
          const r = group.residual ? buf.get(group.residual) : null;
          return (n) => {
            depthwiseConv(x, n, h, w, c, weight, k, m, dpad, y);
            applyEpilogue(y, yBits, n * rows, c * m, ep, r, clamp);
          };
        },
      };
    }
    const [h, w, cin, cout] = [int(p.inH), int(p.inW), int(p.cin), int(p.cout)];
    const [kernel, stride, pad] = [int(p.kernel), int(p.stride), int(p.pad)];
    const rows = int(p.outH) * int(p.outW);
    const inSize = h * w * cin;
    const shape = { n: 0, h, w, c: cin };
    if (!p.binary) {
      const weight = param(p.weight, kernel * kernel * cin * cout);
      const ep = epilogueOf(group.bn, cout, null);
      const info: EngineStep = { kind: 'conv', ops: opNames, shape: outShape };
      if (kernel * kernel * cin <= DIRECT_CONV_MAX_DEPTH && cout % 8 === 0) {
        const direct = prepareDirectConv(weight, kernel, cin, cout, stride, pad);
        return {
          info,
          inputs,
          output: group.output,
          weightBytes: direct.blocked.byteLength + 8 * cout,
          bind: (buf) => {
            const x = buf.get(p.input);
            const y = buf.get(group.output);
            const yBits = new Int32Array(y.buffer, y.byteOffset, y.length);
            const r = group.residual ? buf.get(group.residual) : null;
            return (n) => {
              directConv(x, n, h, w, direct, y);
              applyEpilogue(y, yBits, n * rows, cout, ep, r, clamp);
            };
          },
        };
      }
      const layer = prepareFloatConv(weight, { kh: kernel, kw: kernel, cin, cout, stride, pad });
      return {
        info,
        inputs,
        output: group.output,
        weightBytes: layer.weights.data.byteLength + 8 * cout,
        bind: (buf) => {
          const x = buf.get(p.input);
          const y = buf.get(group.output);
          const yBits = new Int32Array(y.buffer, y.byteOffset, y.length);
          const r = group.residual ? buf.get(group.residual) : null;
          return (n) => {
            floatConv2d(x.subarray(0, n * inSize), { ...shape, n }, layer, y);
            applyEpilogue(y, yBits, n * rows, cout, ep, r, clamp);
          };
        },
      };
    }
    const bw = binaryByName.get(p.name);
    if (!bw) throw new Error(`engine: no binary weights for '${p.name}'`);
    if (bw.shape.join(',') !== [kernel, kernel, cin, cout].join(',')) {
      throw new Error(`engine: binary weights of '${p.name}' are [${bw.shape}], expected [${kernel},${kernel},${cin},${cout}]`);
    }
    if (bw.signs.length !== kernel * kernel * cin * cout) throw new Error(`engine: '${p.name}' needs ${kernel * kernel * cin * cout} signs`);
    if (bw.scale && bw.scale.length !== cout) throw new Error(`engine: '${p.name}' needs ${cout} scales`);
    const ep = epilogueOf(group.bn, cout, bw.scale);
    const info: EngineStep = { kind: 'binary-conv', ops: opNames, shape: outShape };
    const shape4 = [0, h, w, cin] as const;
    if (kernels === 'xnor') {
      const layer: BinaryConvLayer = prepareBinaryConv(packWeightsHWIO(bw.signs, kernel, kernel, cin, cout), stride, { pad, groupBits: options.groupBits });
      return {
        info,
        inputs,
        output: group.output,
        weightBytes: layer.lut.table.byteLength + 8 * cout,
        bind: (buf) => {
          const x = buf.get(p.input);
          const y = buf.get(group.output);
          const yBits = new Int32Array(y.buffer, y.byteOffset, y.length);
          const r = group.residual ? buf.get(group.residual) : null;
          return (n, observe) => {
            const xv = x.subarray(0, n * inSize);
            observe?.(p.name, xv, [n, shape4[1], shape4[2], shape4[3]]);
            binaryConv2dFromFloat(xv, { n, h, w, c: cin }, layer, y, packScratch);
            applyEpilogue(y, yBits, n * rows, cout, ep, r, clamp);
          };
        },
      };
    }
    const layer: FloatConvLayer = prepareFloatConv(bw.signs, { kh: kernel, kw: kernel, cin, cout, stride, pad });
    return {
      info,
      inputs,
      output: group.output,
      weightBytes: layer.weights.data.byteLength + 8 * cout,
      bind: (buf) => {
        const x = buf.get(p.input);
        const y = buf.get(group.output);
        const yBits = new Int32Array(y.buffer, y.byteOffset, y.length);
        const r = group.residual ? buf.get(group.residual) : null;
        return (n, observe) => {
          const xv = x.subarray(0, n * inSize);
          observe?.(p.name, xv, [n, shape4[1], shape4[2], shape4[3]]);
          signsOf(xv, n * inSize, signScratch);
          floatConv2d(signScratch.subarray(0, n * inSize), { ...shape, n }, layer, y);
          applyEpilogue(y, yBits, n * rows, cout, ep, r, clamp);
        };
      },
    };
  }

  function simpleNode(op: LayerOp): PlanNode {
    const outShape = shapeOf(op.output);
    const outSize = sizeOf(outShape);
    const info: EngineStep = { kind: op.op, ops: [op.name], shape: outShape };
    const base = { info, output: op.output, weightBytes: 0 };
    switch (op.op) {
      case 'conv2d':
      case 'dwconv2d':
        throw new Error('unreachable: convs are grouped');
      case 'batchnorm': {
        const c = int(op.channels);
        const ep = epilogueOf(op, c, null);
        return {
          ...base, inputs: [op.input], inPlace: 0, weightBytes: 8 * c,
          bind: (buf) => {
            const x = buf.get(op.input);
            const y = buf.get(op.output);
            return (n) => affine(x, (n * outSize) / c, c, ep, y);
          },
        };
      }
      case 'hardtanh':
        return {
          ...base, inputs: [op.input], inPlace: 0,
          bind: (buf) => {
            const x = buf.get(op.input);
            const y = buf.get(op.output);
            return (n) => hardtanh(x, n * outSize, y);
          },
        };
      case 'add':
        return {
          ...base, inputs: op.inputs, inPlace: 0,
          bind: (buf) => {
            const x = buf.get(op.inputs[0]);
            const z = buf.get(op.inputs[1]);
            const y = buf.get(op.output);
            return (n) => add(x, z, n * outSize, y);
          },
        };
      case 'shortcut_a': {
        const [h, w, c] = shapeOf(op.input);
        return {
          ...base, inputs: [op.input],
          bind: (buf) => {
            const x = buf.get(op.input);
            const y = buf.get(op.output);
            const [stride, before, after] = [int(op.stride), int(op.padBefore), int(op.padAfter)];
            return (n) => shortcutA(x, n, h, w, c, stride, before, after, y);
          },
        };
      }
      case 'avgpool': {
        const [h, w, c] = shapeOf(op.input);
        return {
          ...base, inputs: [op.input],
          bind: (buf) => {
            const x = buf.get(op.input);
            const y = buf.get(op.output);
            const size = int(op.size);
            return (n) => avgPool(x, n, h, w, c, size, y);
          },
        };
      }
      case 'concat': {
        const channels = op.inputs.map((name) => shapeOf(name)[2]);
        const pixels = outShape[0] * outShape[1];
        return {
          ...base, inputs: op.inputs,
          bind: (buf) => {
            const parts = op.inputs.map((name) => buf.get(name));
            const y = buf.get(op.output);
            return (n) => concatChannels(parts, channels, n * pixels, y);
          },
        };
      }
      case 'slice_channels': {
        const [h, w, c] = shapeOf(op.input);
        return {
          ...base, inputs: [op.input],
          bind: (buf) => {
            const x = buf.get(op.input);
            const y = buf.get(op.output);
            const count = int(op.count);
            return (n) => sliceChannels(x, n * h * w, c, count, y);
          },
        };
      }
      case 'global_avgpool': {
        const [h, w, c] = shapeOf(op.input);
        return {
          ...base, inputs: [op.input],
          bind: (buf) => {
            const x = buf.get(op.input);
            const y = buf.get(op.output);
            return (n) => globalAvgPool(x, n, h * w, c, y);
          },
        };
      }
      case 'dense': {
        const [cin, cout] = [int(op.cin), int(op.cout)];
        const weight = param(op.weight, cin * cout);
        const bias = param(op.bias, cout);
        return {
          ...base, inputs: [op.input], weightBytes: weight.byteLength + bias.byteLength,
          bind: (buf) => {
            const x = buf.get(op.input);
            const y = buf.get(op.output);
            return (n) => dense(x, n, cin, cout, weight, bias, y);
          },
        };
      }
    }
  }

  // Buffers by liveness: a tensor's buffer returns to the pool after its last reader.
  const lastUse = new Map<string, number>();
  nodes.forEach((node, i) => node.inputs.forEach((name) => lastUse.set(name, i)));
  lastUse.set(arch.output, Infinity);
  const pool: Float32Array[] = [];
  const free: Float32Array[] = [];
  const bufferOf = new Map<string, Float32Array>();
  const take = (floats: number): Float32Array => {
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      if (free[i].length >= floats && (best < 0 || free[i].length < free[best].length)) best = i;
    }
    if (best >= 0) return free.splice(best, 1)[0];
    const b = new Float32Array(floats);
    pool.push(b);
    return b;
  };
  const inputShape: [number, number, number] = [arch.input[0], arch.input[1], arch.input[2]];
  const inputSize = sizeOf(inputShape);
  bufferOf.set(INPUT, take(maxBatch * inputSize));
  nodes.forEach((node, i) => {
    const need = maxBatch * sizeOf(node.info.shape);
    const reuse = node.inPlace !== undefined ? node.inputs[node.inPlace] : undefined;
    const dying = (name: string): boolean => lastUse.get(name) === i && node.inputs.indexOf(name) === node.inputs.lastIndexOf(name);
    if (reuse !== undefined && dying(reuse) && (bufferOf.get(reuse) as Float32Array).length >= need) {
      bufferOf.set(node.output, bufferOf.get(reuse) as Float32Array);
    } else {
      bufferOf.set(node.output, take(need));
    }
    for (const name of new Set(node.inputs)) {
      if (lastUse.get(name) === i && bufferOf.get(name) !== bufferOf.get(node.output)) free.push(bufferOf.get(name) as Float32Array);
    }
  });
  const view: BufferView = {
    get: (name) => {
      const b = bufferOf.get(name);
      if (!b) throw new Error(`engine: no buffer for '${name}'`);
      return b;
    },
  };
  const runs = nodes.map((node) => node.bind(view));
  const inputBuffer = view.get(INPUT);
  const logits = view.get(arch.output);
  const classes = arch.classes;

  const run = (input: Float32Array, batch: number, runOptions: RunOptions = {}): Float32Array => {
    if (!Number.isInteger(batch) || batch < 1 || batch > maxBatch) throw new RangeError(`batch must be 1…${maxBatch}, got ${batch}`);
    if (input.length < batch * inputSize) throw new RangeError(`${batch} images need ${batch * inputSize} floats, got ${input.length}`);
    inputBuffer.set(input.length === batch * inputSize ? input : input.subarray(0, batch * inputSize));
    const observe = runOptions.observeSignInputs;
    const times = runOptions.stepTimes;
    if (times) {
      for (let i = 0; i < runs.length; i++) {
        const t = performance.now();
        runs[i](batch, observe);
        times[i] = performance.now() - t;
      }
    } else {
      for (const step of runs) step(batch, observe);
    }
    const out = runOptions.out ?? new Float32Array(batch * classes);
    if (out.length < batch * classes) throw new RangeError(`out needs ${batch * classes} floats`);
    out.set(logits.subarray(0, batch * classes));
    return out;
  };

  return {
    kernels,
    maxBatch,
    inputShape,
    classes,
    steps: nodes.map((n) => n.info),
    weightBytes: nodes.reduce((a, n) => a + n.weightBytes, 0),
    bufferBytes: pool.reduce((a, b) => a + b.byteLength, 0) + packScratch.byteLength + signScratch.byteLength,
    run,
    predict(input, batch) {
      const l = run(input, batch);
      return argmaxRows(l, batch, classes);
    },
  };
}

/** Index of the largest value of each row (the first one on ties). */
export function argmaxRows(values: Float32Array, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (values[r * cols + c] > values[r * cols + best]) best = c;
    out[r] = best;
  }
  return out;
}

function inputsOf(op: LayerOp): readonly string[] {
  switch (op.op) {
    case 'add':
    case 'concat':
      return op.inputs;
    default:
      return [op.input];
  }
}
