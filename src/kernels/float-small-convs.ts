/**
 * The engine's small float convolutions on NHWC Float32Array batches: the depthwise conv of
 * IR2Net's Ghost module and the direct conv of shallow full-precision layers (the stem), each the
 * exact meaning of its tfjs op. Outputs go into caller-owned buffers.
 */

import { borderedSize, copyBordered } from './bordered-image';

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
