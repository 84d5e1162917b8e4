/**
 * Fixes for tfjs 4.22's WebGPU backend, applied when it is registered (backend.ts). No DOM.
 *
 * AddN: the WebGPU kernel binds every input as its own storage buffer in one shader, but a device
 * grants 8 storage buffers per shader stage unless asked for more (WebGPU's default limit, which
 * tfjs does not raise), the output included. With more than 7 inputs the pipeline is invalid, the
 * browser only warns, and the sum comes back as zeros: the Trainer's gradient norm over ~25
 * gradients read 0, and with it the loss stacked next to it. Concat splits its inputs by that
 * limit; AddN now does the same, summing groups of inputs and then the partial sums.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A KernelFunc for AddN that never passes `kernelFunc` more than `maxInputs(backend)` inputs. */
export function chunkedAddN(kernelFunc: tf.KernelFunc, maxInputs: (backend: tf.KernelBackend) => number): tf.KernelFunc {
  return (args) => {
    const { attrs } = args;
    const backend = args.backend as tf.KernelBackend;
    const limit = Math.max(2, Math.floor(maxInputs(backend)));
    let terms = args.inputs as unknown as tf.TensorInfo[];
    const partial: tf.TensorInfo[] = [];
    while (terms.length > limit) {
      const next: tf.TensorInfo[] = [];
      for (let i = 0; i < terms.length; i += limit) {
        const group = terms.slice(i, i + limit);
        if (group.length === 1) {
          next.push(group[0]);
          continue;
        }
        const sum = kernelFunc({ inputs: group as unknown as tf.NamedTensorInfoMap, backend, attrs }) as tf.TensorInfo;
        partial.push(sum);
        next.push(sum);
      }
      terms = next;
    }
    const out = kernelFunc({ inputs: terms as unknown as tf.NamedTensorInfoMap, backend, attrs });
    // The backend keeps a buffer until the commands reading it have run.
    for (const t of partial) backend.disposeData(t.dataId);
    return out;
  };
}

let patched = false;

/** Replaces the registered WebGPU AddN kernel by its chunked form (once). */
export function patchWebgpuKernels(): void {
  const addN = tf.getKernel('AddN', 'webgpu');
  if (patched || !addN) return;
  patched = true;
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({
    ...addN,
    kernelFunc: chunkedAddN(addN.kernelFunc, (backend) => {
      const limits = (backend as unknown as { device?: { limits?: { maxStorageBuffersPerShaderStage?: number } } }).device?.limits;
      return (limits?.maxStorageBuffersPerShaderStage ?? 8) - 1;
    }),
  });
}
