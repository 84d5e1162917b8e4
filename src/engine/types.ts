import type { Architecture, LayerOp } from '../bnn/model/architecture';

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
   * Lookup-table group size of the XNOR convs (see xnor-lut.ts); default per layer
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
