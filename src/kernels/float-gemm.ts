/**
 * The float baseline: a register-tiled, panel-packed Float32Array GEMM written with the
 * same care as the XNOR kernel, so the measured speed-up is the bits' and not the loops'.
 *
 * Operands are packed into panels of 4 rows interleaved along the depth axis:
 * data[(p·depth + k)·4 + i] = row 4p + i, element k (rows past the end are 0). The
 * micro-kernel then reads 4 + 4 consecutive floats per step and updates a 4×4 block of
 * accumulators held in registers: C[4p+i, 4q+j] += A[4p+i, k]·B[k, 4q+j].
 */

export const PANEL = 4;

/** Depth-interleaved panels of a [rows, depth] operand. */
export interface FloatPanels {
  readonly data: Float32Array;
  readonly rows: number;
  readonly depth: number;
}

/** Floats needed by panels of `rows` rows and `depth` depth. */
export function panelLength(rows: number, depth: number): number {
  return Math.ceil(rows / PANEL) * PANEL * depth;
}

/** Packs a row-major [rows, depth] matrix (e.g. A of C = A·B) into row panels. */
export function packRowPanels(src: Float32Array, rows: number, depth: number, into?: Float32Array): FloatPanels {
  const data = into ?? new Float32Array(panelLength(rows, depth));
  const panels = Math.ceil(rows / PANEL);
  for (let p = 0; p < panels; p++) {
    for (let i = 0; i < PANEL; i++) {
      const r = p * PANEL + i;
      const dst = p * depth * PANEL + i;
      if (r >= rows) {
        for (let k = 0; k < depth; k++) data[dst + k * PANEL] = 0;
        continue;
      }
      const s = r * depth;
      for (let k = 0; k < depth; k++) data[dst + k * PANEL] = src[s + k];
    }
  }
  return { data, rows, depth };
}

/** Packs the columns of a row-major [depth, cols] matrix (B of C = A·B, or HWIO weights) into panels. */
export function packColumnPanels(src: Float32Array, depth: number, cols: number, into?: Float32Array): FloatPanels {
  const data = into ?? new Float32Array(panelLength(cols, depth));
  const panels = Math.ceil(cols / PANEL);
  for (let q = 0; q < panels; q++) {
    for (let k = 0; k < depth; k++) {
      const dst = (q * depth + k) * PANEL;
      for (let j = 0; j < PANEL; j++) {
        const c = q * PANEL + j;
        data[dst + j] = c < cols ? src[k * cols + c] : 0;
      }
    }
  }
  return { data, rows: cols, depth };
}

/**
 * out[i·n + j] = Σ_k A[i, k]·B[k, j] for row panels of A [m, depth] and column panels of
 * B [depth, n]; out is row-major [m, n]. Accumulation is in float64 registers.
 */
export function floatGemmPanels(a: FloatPanels, b: FloatPanels, out: Float32Array): void {
  if (a.depth !== b.depth) throw new RangeError(`depth mismatch: ${a.depth} vs ${b.depth}`);
  const m = a.rows;
  const n = b.rows;
  const K = a.depth;
  if (out.length < m * n) throw new RangeError(`out needs ${m * n} elements`);
  const A = a.data;
  const B = b.data;
  const rowPanels = Math.ceil(m / PANEL);
  const colPanels = Math.ceil(n / PANEL);
  const step = K * PANEL;
  for (let p = 0; p < rowPanels; p++) {
    const ap = p * step;
    const i0 = p * PANEL;
    for (let q = 0; q < colPanels; q++) {
      const bp = q * step;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0; k < step; k += PANEL) {
        const b0 = B[bp + k], b1 = B[bp + k + 1], b2 = B[bp + k + 2], b3 = B[bp + k + 3];
        let a = A[ap + k];
        c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
        a = A[ap + k + 1];
        c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
        a = A[ap + k + 2];
        c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
        a = A[ap + k + 3];
        c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
      }
      const j0 = q * PANEL;
      if (i0 + PANEL <= m && j0 + PANEL <= n) {
        let o = i0 * n + j0;
        out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03; o += n;
        out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13; o += n;
        out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23; o += n;
        out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
      } else {
        const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let i = 0; i < PANEL && i0 + i < m; i++) {
          for (let j = 0; j < PANEL && j0 + j < n; j++) out[(i0 + i) * n + j0 + j] = tile[i * PANEL + j];
        }
      }
    }
  }
}

/** C = A·B for row-major A [m, k] and B [k, n]; packs both operands, returns row-major [m, n]. */
export function floatGemm(a: Float32Array, b: Float32Array, m: number, n: number, k: number, out?: Float32Array): Float32Array {
  const result = out ?? new Float32Array(m * n);
  floatGemmPanels(packRowPanels(a, m, k), packColumnPanels(b, k, n), result);
  return result;
}
