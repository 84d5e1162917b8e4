import * as tf from '@tensorflow/tfjs-core';
import { customGrad } from '../custom-grad';

/**
 * 2-D convolution (NHWC, HWIO, symmetric zero padding `pad`) whose filter gradient works on every
 * backend. The wasm backend has no Conv2DBackpropFilter kernel (tfjs issue 8474), so there we
 * supply the filter gradient ourselves as im2col + matMul:
 *   dW[i, j, c, o] = Σ_{n, y, x} xpad[n, y·s + i, x·s + j, c] · dy[n, y, x, o]
 * and the input gradient with the backend's Conv2DBackpropInput (conv2dTranspose).
 */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, pad: number): tf.Tensor4D {
  if (hasNativeFilterGrad()) return tf.conv2d(x, w, stride, pad);
  return conv2dWithIm2colGrad(x, w, stride, pad);
}

/** Does the active backend implement the conv filter gradient itself? */
export function hasNativeFilterGrad(): boolean {
  return tf.getKernel('Conv2DBackpropFilter', tf.getBackend()) !== undefined;
}

/** The custom-gradient path, exported so tests can compare it with a native backend. */
export function conv2dWithIm2colGrad(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, pad: number): tf.Tensor4D {
  const f = customGrad(([input, filter]: [tf.Tensor4D, tf.Tensor4D], save) => {
    save([input, filter]);
    return {
      value: tf.conv2d(input, filter, stride, pad),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        return [conv2dInputGrad(dy, sw, sx.shape, stride, pad), conv2dFilterGrad(sx, dy, sw.shape[0], stride, pad)];
      },
    };
  });
  return f(x, w);
}

/**
 * Input gradient. For stride 1 it is a plain conv of dy with the flipped, in/out-swapped filter
 *   dx = conv(dy, W[k−1−i, k−1−j, o, c], pad k−1−pad)
 * which the wasm backend runs several times faster than its Conv2DBackpropInput kernel. Other
 * strides use the polyphase form (stridedInputGrad), again a plain stride-1 conv.
 */
export function conv2dInputGrad(dy: tf.Tensor4D, w: tf.Tensor4D, xShape: [number, number, number, number], stride: number, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    const k = w.shape[0];
    if (stride !== 1) return stridedInputGrad(dy, w, xShape, stride, pad);
    const flipped = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(dy, flipped, 1, k - 1 - pad);
  });
}

/**
 * The input gradient of a stride-s conv in polyphase form. With y[o] = Σ_k x[s·o + k − p]·W[k]
 * (per spatial axis), the input position i = s·m + a (phase a ∈ [0, s)) receives
 *   dx[s·m + a] = Σ_d dy[m + d] · W[a + p − s·d]     over the d with 0 ≤ a + p − s·d < K,
 * so every phase is a stride-1 correlation of dy with a few taps of W. All s² phases (rows × columns)
 * are one conv of dy with a D×D filter F[d_h, d_w, o, (a·s + b)·C + c] = W[a + p − s·d_h,
 * b + p − s·d_w, c, o] (0 where a tap is out of range), and depthToSpace(s) interleaves its s²·C
 * output channels into the s× larger image, which is then cut to the input size.
 */
export function stridedInputGrad(dy: tf.Tensor4D, w: tf.Tensor4D, xShape: [number, number, number, number], s: number, p: number): tf.Tensor4D {
  const [K, , C, Co] = w.shape;
  const [n, H, W] = xShape;
  const [, Ho, Wo] = dy.shape;
  const tapsOf = (a: number): number[] => {
    const out: number[] = [];
    for (let d = Math.ceil((a + p - K + 1) / s); d <= Math.floor((a + p) / s); d++) out.push(d);
    return out;
  };
  const phases = Array.from({ length: s }, (_, a) => tapsOf(a));
  const dMin = Math.min(...phases.map((t) => t[0] ?? 0));
  const dMax = Math.max(...phases.map((t) => t[t.length - 1] ?? 0));
  const D = dMax - dMin + 1;
  // filter rows of F as indices into W's K·K taps, K·K = a zero tap
  const index: number[] = [];
  const tap = (a: number, d: number): number => {
    const k = a + p - s * d;
    return k >= 0 && k < K ? k : -1;
  };
  for (let dh = dMin; dh <= dMax; dh++) {
    for (let dw = dMin; dw <= dMax; dw++) {
      for (let a = 0; a < s; a++) {
        for (let b = 0; b < s; b++) {
          const [kh, kw] = [tap(a, dh), tap(b, dw)];
          index.push(kh < 0 || kw < 0 ? K * K : kh * K + kw);
        }
      }
    }
  }
  return tf.tidy(() => {
    const taps = tf.concat([tf.reshape(w, [K * K, C, Co]), tf.zeros([1, C, Co])], 0);
    const gathered = tf.gather(taps, tf.tensor1d(index, 'int32')); // [D·D·s·s, C, Co]
    const filter = tf.reshape(tf.transpose(tf.reshape(gathered, [D, D, s * s, C, Co]), [0, 1, 4, 2, 3]), [D, D, Co, s * s * C]) as tf.Tensor4D;
    const Mh = Math.ceil(H / s);
    const Mw = Math.ceil(W / s);
    // output m reads dy[m + dMin … m + dMax]: shift by dMin, pad the far end for the last m
    const from = Math.max(0, dMin);
    const before = Math.max(0, -dMin);
    const afterH = Math.max(0, Mh - 1 + dMax - (Ho - 1));
    const afterW = Math.max(0, Mw - 1 + dMax - (Wo - 1));
    let src: tf.Tensor4D = from > 0 ? tf.slice(dy, [0, from, from, 0], [-1, -1, -1, -1]) : dy;
    src = tf.pad(src, [[0, 0], [before, afterH], [before, afterW], [0, 0]]);
    const phased = tf.conv2d(src, filter, 1, 'valid'); // [n, ≥Mh, ≥Mw, s²·C]
    const cut = tf.slice(phased, [0, 0, 0, 0], [n, Mh, Mw, s * s * C]);
    const full = depthToSpace(cut, s);
    return tf.slice(full, [0, 0, 0, 0], [n, H, W, C]) as tf.Tensor4D;
  });
}

/**
 * tf.depthToSpace (NHWC) as reshape, transpose, reshape:
 *   out[n, h·s + i, w·s + j, c] = x[n, h, w, (i·s + j)·C' + c]
 * On wasm, tf.depthToSpace took 8–13× as long as this form on the polyphase shapes (batch 32,
 * 7–14 px, 64–128 channels; exact same values), 8% of a ResNet-8 training step.
 */
export function depthToSpace(x: tf.Tensor4D, s: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const co = c / (s * s);
  return tf.reshape(tf.transpose(tf.reshape(x, [n * h, w, s, s * co]), [0, 2, 1, 3]), [n, h * s, w * s, co]);
}

/**
 * Filter gradient as one dilated conv, with the batch as the channel axis:
 *   dW[i, j, c, o] = Σ_{n, y, x} xpad[n, y·s + i, x·s + j, c] · dy[n, y, x, o]
 *                  = conv(xpadᵀ[c, ·, ·, n], dyᵀ[y, x, n, o], dilation s)[c, i, j, o]
 * (xpadᵀ = xpad transposed to [C, H, W, N], dyᵀ = dy transposed to [Ho, Wo, N, Co]).
 */
export function conv2dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, stride: number, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    const c = x.shape[3];
    const co = dy.shape[3];
    const xp = pad > 0 ? tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]) : x;
    const xT = tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D;
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
    const full = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', stride);
    const cut = tf.slice(full, [0, 0, 0, 0], [c, k, k, co]);
    return tf.transpose(cut, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/**
 * Depthwise k×k conv with channel multiplier M, written as k² shifted multiply-adds so autograd
 * differentiates it on every backend (wasm has no depthwise backprop kernels):
 *   y[n, h, w, c·M + m] = Σ_{i,j} xpad[n, h + i, w + j, c] · W[i, j, c, m]
 * Output channel order c·M + m matches tf.depthwiseConv2d and grouped convs.
 */
export function depthwiseConv2d(x: tf.Tensor4D, w: tf.Tensor4D, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, wd, c] = x.shape;
    const [k, , , m] = w.shape;
    const ho = h + 2 * pad - k + 1;
    const wo = wd + 2 * pad - k + 1;
    const xp = pad > 0 ? tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]) : x;
    let acc: tf.Tensor4D | null = null;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const tap = tf.slice(xp, [0, i, j, 0], [n, ho, wo, c]);
        const repeated = m === 1 ? tap : tf.tile(tap.reshape([n * ho * wo, c, 1]), [1, 1, m]).reshape([n, ho, wo, c * m]);
        const weight = tf.slice(w, [i, j, 0, 0], [1, 1, c, m]).reshape([c * m]);
        const term = tf.mul(repeated, weight) as tf.Tensor4D;
        acc = acc ? (tf.add(acc, term) as tf.Tensor4D) : term;
      }
    }
    return acc as tf.Tensor4D;
  });
}
