import type * as tfc from '@tensorflow/tfjs-core';
import type { BenchImplementation, PreparedRun } from './types';

/**
 * tfjs as a peer implementation. The caller injects its tfjs module (Node and the Worker
 * set the wasm backend up differently: wasm file paths, thread count), so this module
 * only needs the core API's types.
 */
export type Tf = typeof tfc;

async function useBackend(tf: Tf, backend: string): Promise<void> {
  if (tf.getBackend() === backend) return;
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tfjs backend "${backend}" could not be initialised`);
  await tf.ready();
}

/**
 * A tfjs implementation whose tensors live on `backend`. cpu and wasm kernels run
 * synchronously, so `run` returns once the result exists; it is disposed, not read back.
 */
function tfjsImplementation(
  tf: Tf,
  backend: string,
  makeInputs: () => tfc.Tensor[],
  op: (inputs: tfc.Tensor[]) => tfc.Tensor,
): BenchImplementation {
  return {
    id: `tfjs-${backend}`,
    label: `tfjs ${backend}`,
    role: 'peer',
    async setup(): Promise<PreparedRun> {
      await useBackend(tf, backend);
      const inputs = makeInputs();
      return {
        activate: () => useBackend(tf, backend),
        run: () => op(inputs).dispose(),
        dispose: () => inputs.forEach((t) => t.dispose()),
      };
    },
  };
}

/** tf.matMul(A [m, k], B [k, n]) on `backend`; operands are fetched at setup. */
export function tfjsMatMul(
  tf: Tf,
  backend: string,
  operands: () => [Float32Array, Float32Array],
  m: number,
  n: number,
  k: number,
): BenchImplementation {
  return tfjsImplementation(
    tf,
    backend,
    () => {
      const [a, b] = operands();
      return [tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])];
    },
    ([ta, tb]) => tf.matMul(ta as tfc.Tensor2D, tb as tfc.Tensor2D),
  );
}

/** tf.conv2d on NHWC x with HWIO weights w, explicit zero padding `pad` on all four sides. */
export function tfjsConv2d(
  tf: Tf,
  backend: string,
  data: () => { x: Float32Array; w: Float32Array },
  xShape: [number, number, number, number],
  wShape: [number, number, number, number],
  stride: number,
  pad: number,
): BenchImplementation {
  const padding: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [pad, pad], [pad, pad], [0, 0]];
  return tfjsImplementation(
    tf,
    backend,
    () => {
      const { x, w } = data();
      return [tf.tensor4d(x, xShape), tf.tensor4d(w, wShape)];
    },
    ([tx, tw]) => tf.conv2d(tx as tfc.Tensor4D, tw as tfc.Tensor4D, stride, padding),
  );
}
