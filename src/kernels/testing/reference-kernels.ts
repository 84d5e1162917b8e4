/**
 * Plain reference implementations the kernel tests compare against: direct loops over the
 * definitions, no packing, no tiling, nothing shared with the kernels under test.
 */

/** C[i, j] = Σ_t A[i, t]·B[j, t] for row-major A [m, k] and B [n, k]. */
export function referenceRowProduct(a: ArrayLike<number>, b: ArrayLike<number>, m: number, n: number, k: number): number[] {
  const c: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[i * k + t] * b[j * k + t];
      c.push(s);
    }
  }
  return c;
}

export interface ReferenceConvShape {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  pad: number;
}

/**
 * NHWC conv with HWIO weights and zero padding, as tf.conv2d with explicit padding:
 * out size floor((H + 2p − k)/s) + 1; out[b,oy,ox,o] = Σ x[b, oy·s−p+ky, ox·s−p+kx, c]·w[ky,kx,c,o]
 * over in-bounds input positions only.
 */
export function referenceConv(x: ArrayLike<number>, w: ArrayLike<number>, s: ReferenceConvShape): number[] {
  const outH = Math.floor((s.h + 2 * s.pad - s.k) / s.stride) + 1;
  const outW = Math.floor((s.w + 2 * s.pad - s.k) / s.stride) + 1;
  const out: number[] = [];
  for (let b = 0; b < s.n; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        for (let o = 0; o < s.cout; o++) {
          let sum = 0;
          for (let ky = 0; ky < s.k; ky++) {
            for (let kx = 0; kx < s.k; kx++) {
              const iy = oy * s.stride - s.pad + ky;
              const ix = ox * s.stride - s.pad + kx;
              if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) continue;
              for (let c = 0; c < s.cin; c++) {
                sum += x[((b * s.h + iy) * s.w + ix) * s.cin + c] * w[((ky * s.k + kx) * s.cin + c) * s.cout + o];
              }
            }
          }
          out.push(sum);
        }
      }
    }
  }
  return out;
}
