/** Shape arithmetic shared by the binary and float convolutions (NHWC, square stride). */

export interface ConvGeometry {
  readonly n: number;
  readonly inH: number;
  readonly inW: number;
  readonly cin: number;
  readonly cout: number;
  readonly kh: number;
  readonly kw: number;
  readonly stride: number;
  /** Zero padding on every side (tf.conv2d with explicit pad p on all four sides). */
  readonly pad: number;
  readonly outH: number;
  readonly outW: number;
}

/** out = floor((size + 2·pad − k) / stride) + 1. */
export function convOutputSize(size: number, k: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - k) / stride) + 1;
}

/**
 * Geometry of a conv with kernel kh×kw; pad defaults to (k − 1)/2 (1 for 3×3, 0 for 1×1),
 * the model's choice for every conv.
 */
export function convGeometry(spec: {
  n: number;
  inH: number;
  inW: number;
  cin: number;
  cout: number;
  kh: number;
  kw: number;
  stride: number;
  pad?: number;
}): ConvGeometry {
  const pad = spec.pad ?? (spec.kh - 1) >> 1;
  const outH = convOutputSize(spec.inH, spec.kh, spec.stride, pad);
  const outW = convOutputSize(spec.inW, spec.kw, spec.stride, pad);
  if (outH < 1 || outW < 1) throw new RangeError(`conv output would be ${outH}×${outW}`);
  // One object shape with small-integer fields for every caller: the kernels read these in
  // their loops, and a field once seen as a double (or a different key order) would make
  // V8 generalize the shape and deoptimize them.
  return {
    n: spec.n | 0, inH: spec.inH | 0, inW: spec.inW | 0, cin: spec.cin | 0, cout: spec.cout | 0,
    kh: spec.kh | 0, kw: spec.kw | 0, stride: spec.stride | 0, pad: pad | 0, outH: outH | 0, outW: outW | 0,
  };
}

/** Number of output positions M = n·outH·outW, the rows of the im2col matrix. */
export function outputPositions(g: ConvGeometry): number {
  return g.n * g.outH * g.outW;
}
