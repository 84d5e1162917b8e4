import { convGeometry, outputPositions, type ConvGeometry } from './conv-geometry';
import { floatGemmPanels, packColumnPanels, panelLength, PANEL, type FloatPanels } from './float-gemm';

/** A float conv prepared for inference: HWIO weights as column panels of [kh·kw·cin, cout]. */
export interface FloatConvLayer {
  readonly kh: number;
  readonly kw: number;
  readonly cin: number;
  readonly cout: number;
  readonly stride: number;
  readonly pad: number;
  readonly weights: FloatPanels;
}

/** Prepares HWIO weights [kh, kw, cin, cout]; pad defaults to (k − 1)/2. */
export function prepareFloatConv(
  weightsHWIO: Float32Array,
  spec: { kh: number; kw: number; cin: number; cout: number; stride: number; pad?: number },
): FloatConvLayer {
  const depth = spec.kh * spec.kw * spec.cin;
  if (weightsHWIO.length !== depth * spec.cout) throw new RangeError(`HWIO weights need ${depth * spec.cout} values`);
  return {
    kh: spec.kh, kw: spec.kw, cin: spec.cin, cout: spec.cout, stride: spec.stride,
    pad: spec.pad ?? (spec.kh - 1) >> 1,
    weights: packColumnPanels(weightsHWIO, depth, spec.cout),
  };
}

let panelScratch = new Float32Array(0);

/**
 * Float conv, NHWC in and out, zero padding: im2col straight into the row-panel layout of
 * the float GEMM (patch element t·cin + c, t = ky·kw + kx, matching HWIO), then the GEMM.
 * out[b, oy, ox, o] = Σ_{ky,kx,c} x[b, oy·s − p + ky, ox·s − p + kx, c]·w[ky, kx, c, o].
 */
export function floatConv2d(
  x: Float32Array,
  shape: { n: number; h: number; w: number; c: number },
  layer: FloatConvLayer,
  out?: Float32Array,
): Float32Array {
  if (shape.c !== layer.cin) throw new RangeError(`input has ${shape.c} channels, layer expects ${layer.cin}`);
  const g = convGeometry({
    n: shape.n, inH: shape.h, inW: shape.w, cin: layer.cin, cout: layer.cout,
    kh: layer.kh, kw: layer.kw, stride: layer.stride, pad: layer.pad,
  });
  const rows = outputPositions(g);
  const depth = layer.kh * layer.kw * layer.cin;
  const need = panelLength(rows, depth);
  if (panelScratch.length < need) panelScratch = new Float32Array(need);
  im2colPanels(x, g, panelScratch);
  const result = out ?? new Float32Array(rows * layer.cout);
  floatGemmPanels({ data: panelScratch, rows, depth }, layer.weights, result);
  return result;
}

/** Patch rows of all output positions, written as GEMM row panels; padded taps are 0. */
function im2colPanels(x: Float32Array, g: ConvGeometry, data: Float32Array): void {
  const { n, inH, inW, outH, outW, kh, kw, stride, pad, cin } = g;
  const depth = kh * kw * cin;
  let r = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, r++) {
        const rowBase = ((r >> 2) * depth) * PANEL + (r & 3);
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * stride - pad + ky;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * stride - pad + kx;
            let d = rowBase + (ky * kw + kx) * cin * PANEL;
            if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) {
              for (let c = 0; c < cin; c++, d += PANEL) data[d] = 0;
              continue;
            }
            const s = ((b * inH + iy) * inW + ix) * cin;
            for (let c = 0; c < cin; c++, d += PANEL) data[d] = x[s + c];
          }
        }
      }
    }
  }
  // Lanes of the last panel past the last row are computed and discarded; zero them so stale
  // scratch (denormals, NaN) cannot slow the tile down.
  for (; (r & 3) !== 0; r++) {
    const rowBase = ((r >> 2) * depth) * PANEL + (r & 3);
    for (let k = 0; k < depth; k++) data[rowBase + k * PANEL] = 0;
  }
}
