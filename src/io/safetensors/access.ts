import { SafetensorsError } from './error';
import type { SafetensorsDtype, TensorOf } from './dtypes';
import type { SafetensorsFile } from './read';

/**
 * Looks up a tensor an importer depends on and checks its dtype (and shape, when
 * given), so a file that parses but lacks the expected contents still fails with a
 * SafetensorsError naming the tensor rather than a TypeError later.
 */
export function requireTensor<D extends SafetensorsDtype>(
  file: SafetensorsFile,
  name: string,
  dtype: D,
  shape?: readonly number[],
): TensorOf<D> {
  const tensor = file.tensors.get(name);
  if (tensor === undefined) throw new SafetensorsError('missing_tensor', `file has no tensor '${name}'`);
  if (tensor.dtype !== dtype) {
    throw new SafetensorsError('tensor_mismatch', `tensor '${name}' has dtype ${tensor.dtype}, expected ${dtype}`);
  }
  if (shape !== undefined && !sameShape(tensor.shape, shape)) {
    throw new SafetensorsError(
      'tensor_mismatch',
      `tensor '${name}' has shape [${tensor.shape.join(',')}], expected [${shape.join(',')}]`,
    );
  }
  return tensor as TensorOf<D>;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}
