/**
 * The float ops of the inference engine, on NHWC Float32Array batches, each the exact
 * meaning of the tfjs op in src/bnn/model/forward.ts. Outputs are written into caller-owned
 * buffers (only the first n·(elements per image) values are touched), so the engine can
 * preallocate everything once. The small convs (depthwise, direct) are in float-small-convs.ts.
 */

/** Per-channel affine y = a[c]·x + b[c] (with an optional residual r and hardtanh clamp). */
export interface Epilogue {
  readonly a: Float32Array;
  readonly b: Float32Array;
}

/**
 * In place over `rows` rows of `channels` values:
 *   y = a[c]·y + b[c]  (+ r)  (then clamp to [−1, 1] when `clamp`).
 * This is every binary conv's folded BN (and scale), the Bi-Real residual add and the
 * hardtanh that follows it, in one pass. `bits` is an Int32Array view of y's memory (the
 * branch-free clamp works on the float32 bit patterns; see clampBits).
 */
export function applyEpilogue(
  y: Float32Array,
  bits: Int32Array,
  rows: number,
  channels: number,
  e: Epilogue,
  residual: Float32Array | null,
  clamp: boolean,
): void {
  const size = rows * channels;
  if (residual && clamp) epilogueResidualClamp(y, bits, size, channels, e.a, e.b, residual);
  else if (residual) epilogueResidual(y, size, channels, e.a, e.b, residual);
  else if (clamp) epilogueClamp(y, bits, size, channels, e.a, e.b);
  else epilogueAffine(y, size, channels, e.a, e.b);
}

/** The float32 sign bit as an int32 (a plain 0x80000000 literal is a double in V8 and slows the loops). */
const SIGN_BIT = 0x80000000 | 0;

/**
 * clip(v, −1, 1) on the float32 bits b of v, without branches (a compare-and-branch clamp
 * mispredicts on every other value of a random-looking activation map and costs ~4× more):
 * m = −1 when |v| > 1 (exponent and mantissa above those of 1.0), else 0; then the result
 * is b where m = 0 and ±1.0 with b's sign where m = −1. Exact, and −0 stays −0. (NaN would
 * become ±1; the engine never produces NaN from finite parameters.)
 */
export function clampBits(b: number): number {
  const m = (0x3f800000 - (b & 0x7fffffff)) >> 31;
  return b ^ ((b ^ ((b & SIGN_BIT) | 0x3f800000)) & m);
}

// Separate monomorphic loops per variant; each keeps a running channel index.

function epilogueResidualClamp(
  y: Float32Array, bits: Int32Array, size: number, channels: number, a: Float32Array, b: Float32Array, r: Float32Array,
): void {
  for (let i = 0, c = 0; i < size; i++) {
    y[i] = a[c] * y[i] + b[c] + r[i];
    const v = bits[i];
    const m = (0x3f800000 - (v & 0x7fffffff)) >> 31;
    bits[i] = v ^ ((v ^ ((v & SIGN_BIT) | 0x3f800000)) & m);
    if (++c === channels) c = 0;
  }
}

function epilogueResidual(y: Float32Array, size: number, channels: number, a: Float32Array, b: Float32Array, r: Float32Array): void {
  for (let i = 0, c = 0; i < size; i++) {
    y[i] = a[c] * y[i] + b[c] + r[i];
    if (++c === channels) c = 0;
  }
}

function epilogueClamp(y: Float32Array, bits: Int32Array, size: number, channels: number, a: Float32Array, b: Float32Array): void {
  for (let i = 0, c = 0; i < size; i++) {
    y[i] = a[c] * y[i] + b[c];
    const v = bits[i];
    const m = (0x3f800000 - (v & 0x7fffffff)) >> 31;
    bits[i] = v ^ ((v ^ ((v & SIGN_BIT) | 0x3f800000)) & m);
    if (++c === channels) c = 0;
  }
}

function epilogueAffine(y: Float32Array, size: number, channels: number, a: Float32Array, b: Float32Array): void {
  for (let i = 0, c = 0; i < size; i++) {
    y[i] = a[c] * y[i] + b[c];
    if (++c === channels) c = 0;
  }
}

/** out = a[c]·x + b[c] per channel (a standalone BatchNorm in inference mode); out may be x. */
export function affine(x: Float32Array, rows: number, channels: number, e: Epilogue, out: Float32Array): void {
  const { a, b } = e;
  let i = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < channels; c++, i++) out[i] = a[c] * x[i] + b[c];
}

/** out = clip(x, −1, 1) (branch-free on the bits, see clampBits); out may be x. */
export function hardtanh(x: Float32Array, size: number, out: Float32Array): void {
  if (out !== x) out.set(x.subarray(0, size));
  const bits = new Int32Array(out.buffer, out.byteOffset, size);
  for (let i = 0; i < size; i++) {
    const v = bits[i];
    const m = (0x3f800000 - (v & 0x7fffffff)) >> 31;
    bits[i] = v ^ ((v ^ ((v & SIGN_BIT) | 0x3f800000)) & m);
  }
}

/** out = x − t[c] per channel (ReActNet's RSign threshold before a binary conv); out may be x. */
export function subtractChannels(x: Float32Array, rows: number, channels: number, t: Float32Array, out: Float32Array): void {
  let i = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < channels; c++, i++) out[i] = x[i] - t[c];
}

/**
 * ReActNet's RPReLU per channel: s = x − γ[c]; out = (s > 0 ? s : β[c]·s) + ζ[c]; out may be x.
 */
export function rprelu(x: Float32Array, rows: number, channels: number, gamma: Float32Array, beta: Float32Array, zeta: Float32Array, out: Float32Array): void {
  let i = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++, i++) {
      const s = x[i] - gamma[c];
      out[i] = (s > 0 ? s : beta[c] * s) + zeta[c];
    }
  }
}

/** out = x + y; out may be x or y. */
export function add(x: Float32Array, y: Float32Array, size: number, out: Float32Array): void {
  for (let i = 0; i < size; i++) out[i] = x[i] + y[i];
}

/** out = sign(x) as ±1 floats, sign(0) = sign(−0) = +1 (the float engine's binary activations). */
export function signs(x: Float32Array, size: number, out: Float32Array): void {
  for (let i = 0; i < size; i++) out[i] = x[i] < 0 ? -1 : 1;
}

/**
 * ResNet option-A shortcut: x[:, ::s, ::s, :] (output ceil(h/s) × ceil(w/s)), then
 * `before` zero channels in front and `after` behind.
 */
export function shortcutA(
  x: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  stride: number,
  before: number,
  after: number,
  out: Float32Array,
): void {
  const ho = Math.ceil(h / stride);
  const wo = Math.ceil(w / stride);
  const co = before + c + after;
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < ho; y++) {
      for (let xx = 0; xx < wo; xx++) {
        const s = ((b * h + y * stride) * w + xx * stride) * c;
        for (let k = 0; k < before; k++) out[o++] = 0;
        for (let k = 0; k < c; k++) out[o++] = x[s + k];
        for (let k = 0; k < after; k++) out[o++] = 0;
      }
    }
  }
  if (o !== n * ho * wo * co) throw new Error('shortcutA: size mismatch');
}

/** Average pooling, window = stride = size, 'valid' (floor(h/size) × floor(w/size)). */
export function avgPool(x: Float32Array, n: number, h: number, w: number, c: number, size: number, out: Float32Array): void {
  const ho = Math.floor(h / size);
  const wo = Math.floor(w / size);
  const inv = 1 / (size * size);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < ho; y++) {
      for (let xx = 0; xx < wo; xx++, o += c) {
        for (let k = 0; k < c; k++) {
          let sum = 0;
          for (let dy = 0; dy < size; dy++) {
            let s = ((b * h + y * size + dy) * w + xx * size) * c + k;
            for (let dx = 0; dx < size; dx++, s += c) sum += x[s];
          }
          out[o + k] = sum * inv;
        }
      }
    }
  }
}

/** Concatenation along channels of tensors with `pixels` = n·h·w positions each. */
export function concatChannels(parts: readonly Float32Array[], channels: readonly number[], pixels: number, out: Float32Array): void {
  const total = channels.reduce((a, b) => a + b, 0);
  let offset = 0;
  for (let p = 0; p < parts.length; p++) {
    const src = parts[p];
    const c = channels[p];
    for (let i = 0; i < pixels; i++) {
      const s = i * c;
      const d = i * total + offset;
      for (let k = 0; k < c; k++) out[d + k] = src[s + k];
    }
    offset += c;
  }
}

/** The first `count` of `c` channels at each of `pixels` positions. */
export function sliceChannels(x: Float32Array, pixels: number, c: number, count: number, out: Float32Array): void {
  for (let i = 0; i < pixels; i++) {
    const s = i * c;
    const d = i * count;
    for (let k = 0; k < count; k++) out[d + k] = x[s + k];
  }
}

/** Mean over H and W: [n, h, w, c] → [n, c]. */
export function globalAvgPool(x: Float32Array, n: number, hw: number, c: number, out: Float32Array): void {
  for (let b = 0; b < n; b++) {
    const base = b * hw * c;
    for (let k = 0; k < c; k++) {
      let sum = 0;
      for (let p = 0, s = base + k; p < hw; p++, s += c) sum += x[s];
      out[b * c + k] = sum / hw;
    }
  }
}

/** out[b, o] = Σ_i x[b, i]·W[i, o] + bias[o], W row-major [cin, cout]. */
export function dense(
  x: Float32Array,
  n: number,
  cin: number,
  cout: number,
  weight: Float32Array,
  bias: Float32Array,
  out: Float32Array,
): void {
  for (let b = 0; b < n; b++) {
    const row = b * cin;
    for (let o = 0; o < cout; o++) {
      let sum = 0;
      for (let i = 0, j = o; i < cin; i++, j += cout) sum += x[row + i] * weight[j];
      out[b * cout + o] = sum + bias[o];
    }
  }
}
