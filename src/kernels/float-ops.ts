/**
 * The float ops of the inference engine, on NHWC Float32Array batches, each the exact
 * meaning of the tfjs op in src/bnn/model/forward.ts. Outputs are written into caller-owned
 * buffers (only the first n·(elements per image) values are touched), so the engine can
 * preallocate everything once.
 */

import { borderedSize, copyBordered } from './bordered-image';

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

/**
 * Depthwise k×k conv, stride 1, zero padding `pad`, channel multiplier m, weights
 * [k, k, c, m]: out[b, y, x, c·m + j] = Σ_{ky,kx} x[b, y − pad + ky, x − pad + kx, c]·W[ky, kx, c, j]
 * over in-bounds taps. Output spatial size h + 2·pad − k + 1.
 */
export function depthwiseConv(
  x: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  weight: Float32Array,
  k: number,
  m: number,
  pad: number,
  out: Float32Array,
): void {
  const ho = h + 2 * pad - k + 1;
  const wo = w + 2 * pad - k + 1;
  const cm = c * m;
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < ho; y++) {
      for (let xx = 0; xx < wo; xx++, o += cm) {
        for (let j = 0; j < cm; j++) out[o + j] = 0;
        for (let ky = 0; ky < k; ky++) {
          const iy = y - pad + ky;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < k; kx++) {
            const ix = xx - pad + kx;
            if (ix < 0 || ix >= w) continue;
            const s = ((b * h + iy) * w + ix) * c;
            const wt = (ky * k + kx) * cm;
            for (let ch = 0; ch < c; ch++) {
              const v = x[s + ch];
              for (let j = 0; j < m; j++) out[o + ch * m + j] += v * weight[wt + ch * m + j];
            }
          }
        }
      }
    }
  }
}

/**
 * A full-precision conv with few input channels (the stem: 3 → w) prepared for directConv:
 * HWIO weights regrouped as [cout/8][k·k·cin][8] so the eight weights of one input value
 * are adjacent.
 */
export interface DirectConvLayer {
  readonly k: number;
  readonly cin: number;
  readonly cout: number;
  readonly stride: number;
  readonly pad: number;
  /** [cout/8][k·k·cin][8]. */
  readonly blocked: Float32Array;
}

/** Prepares HWIO weights [k, k, cin, cout] (cout a multiple of 8) for directConv. */
export function prepareDirectConv(hwio: Float32Array, k: number, cin: number, cout: number, stride: number, pad: number): DirectConvLayer {
  if (cout % 8 !== 0) throw new RangeError(`directConv needs cout % 8 = 0, got ${cout}`);
  const depth = k * k * cin;
  if (hwio.length !== depth * cout) throw new RangeError(`HWIO weights need ${depth * cout} values`);
  const blocked = new Float32Array(depth * cout);
  for (let q = 0; q < cout; q += 8) {
    for (let d = 0; d < depth; d++) for (let j = 0; j < 8; j++) blocked[q * depth + d * 8 + j] = hwio[d * cout + q + j];
  }
  // Small integers (`| 0`): an op's pad is computed as (k − 1) / 2, which V8 may keep as a
  // double; a double field makes every index computation of the hot loop float math (2×).
  return { k: k | 0, cin: cin | 0, cout: cout | 0, stride: stride | 0, pad: pad | 0, blocked };
}

/** Offsets of a pixel's k²·cin inputs in the bordered image (scratch, grown as needed). */
let offsetScratch = new Int32Array(64);
/** The input with its zero border (scratch, grown as needed). */
let borderedScratch = new Float32Array(0);

/** NHWC x with a zero border of `pad` pixels (scratch, reused), or x itself when pad = 0. */
function borderedInput(x: Float32Array, n: number, h: number, w: number, c: number, pad: number): Float32Array {
  if (pad === 0) return x;
  const size = borderedSize(n, h, w, c, pad);
  if (borderedScratch.length < size) borderedScratch = new Float32Array(size);
  return copyBordered(x, n, h, w, c, pad, borderedScratch);
}

/**
 * Direct conv, NHWC, zero padding:
 *   out[b, oy, ox, o] = Σ over taps and c of x[b, iy, ix, c]·W[ky, kx, c, o]
 * with x read from a zero-bordered copy, so every pixel takes the same path (padded taps
 * add exact zeros, as in tfjs's own conv). With so little depth (k²·cin = 27) this beats
 * im2col + the panel GEMM, whose packing dominates. Eight output channels of two
 * neighbouring pixels (one alone at the end of a row) stay in registers while their k²·cin
 * inputs stream by through a precomputed offset table, each weight load serving both
 * pixels. Sums run in float64 in (ky, kx, c) order.
 */
export function directConv(x: Float32Array, n: number, h: number, w: number, layer: DirectConvLayer, out: Float32Array): void {
  const { k, cin, cout, stride, pad, blocked } = layer;
  const ho = Math.floor((h + 2 * pad - k) / stride) + 1;
  const wo = Math.floor((w + 2 * pad - k) / stride) + 1;
  const hp = h + 2 * pad;
  const wp = w + 2 * pad;
  const src = borderedInput(x, n, h, w, cin, pad);
  const depth = k * k * cin;
  if (offsetScratch.length < depth) offsetScratch = new Int32Array(depth);
  const offsets = offsetScratch;
  for (let ky = 0, d = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) for (let c = 0; c < cin; c++, d++) offsets[d] = (ky * wp + kx) * cin + c;
  const next = stride * cin;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const o = ((b * ho + oy) * wo + ox) * cout;
        const base = ((b * hp + oy * stride) * wp + ox * stride) * cin;
        if (ox + 1 < wo) {
          const o2 = o + cout;
          for (let q = 0; q < cout; q += 8) {
            let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
            let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
            for (let d = 0, t = q * depth; d < depth; d++, t += 8) {
              const at = base + offsets[d];
              const u = src[at], v = src[at + next];
              let wt = blocked[t]; a0 += u * wt; c0 += v * wt;
              wt = blocked[t + 1]; a1 += u * wt; c1 += v * wt;
              wt = blocked[t + 2]; a2 += u * wt; c2 += v * wt;
              wt = blocked[t + 3]; a3 += u * wt; c3 += v * wt;
              wt = blocked[t + 4]; a4 += u * wt; c4 += v * wt;
              wt = blocked[t + 5]; a5 += u * wt; c5 += v * wt;
              wt = blocked[t + 6]; a6 += u * wt; c6 += v * wt;
              wt = blocked[t + 7]; a7 += u * wt; c7 += v * wt;
            }
            out[o + q] = a0; out[o + q + 1] = a1; out[o + q + 2] = a2; out[o + q + 3] = a3;
            out[o + q + 4] = a4; out[o + q + 5] = a5; out[o + q + 6] = a6; out[o + q + 7] = a7;
            out[o2 + q] = c0; out[o2 + q + 1] = c1; out[o2 + q + 2] = c2; out[o2 + q + 3] = c3;
            out[o2 + q + 4] = c4; out[o2 + q + 5] = c5; out[o2 + q + 6] = c6; out[o2 + q + 7] = c7;
          }
          ox++;
          continue;
        }
        for (let q = 0; q < cout; q += 8) {
          let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
          for (let d = 0, t = q * depth; d < depth; d++, t += 8) {
            const v = src[base + offsets[d]];
            a0 += v * blocked[t]; a1 += v * blocked[t + 1]; a2 += v * blocked[t + 2]; a3 += v * blocked[t + 3];
            a4 += v * blocked[t + 4]; a5 += v * blocked[t + 5]; a6 += v * blocked[t + 6]; a7 += v * blocked[t + 7];
          }
          out[o + q] = a0; out[o + q + 1] = a1; out[o + q + 2] = a2; out[o + q + 3] = a3;
          out[o + q + 4] = a4; out[o + q + 5] = a5; out[o + q + 6] = a6; out[o + q + 7] = a7;
        }
      }
    }
  }
}
