import { inputShapeOf, type RunConfig } from '../bnn/config';
import { binaryWeightsFromSnapshot } from '../bnn/model/binary-weights';
import { architectureFor } from '../bnn/model/model';
import type { ParamSnapshot } from '../bnn/model/params';
import { getWeightTransform } from '../bnn/quantizers/registry';
import { writeSafetensors, type SafeTensor } from './safetensors';
import { packSignsToBytes } from './model-file-bits';
import { FORMAT_NAME, META, type DatasetInfo } from './model-file-format';
import { META_V1, VERSION_1, describeArchitectureV1, tensorPlanV1 } from './model-file-v1';

/**
 * Writes a version-1 file exactly as the app did before version 2, so tests can check that any
 * model in that layout still imports. Test fixture only: export writes version 2.
 */
export async function writeVersion1(input: {
  config: RunConfig;
  params: ParamSnapshot;
  dataset: DatasetInfo;
  testAccuracy: number | null;
  includeLatent?: boolean;
}): Promise<Uint8Array> {
  const { config, dataset } = input;
  if (dataset.inputShape.join(',') !== inputShapeOf(config.dataset).join(',')) throw new Error('v1 fixture: input shape mismatch');
  const arch = architectureFor(config, dataset.classNames.length);
  const latent = input.includeLatent === true && config.precision === 'binary';
  const binary = config.precision === 'binary' ? await binaryWeightsFromSnapshot(arch, input.params, getWeightTransform(config.weightTransform)) : [];
  const byWeight = new Map(binary.map((b) => [b.weight, b]));
  const tensors = new Map<string, SafeTensor>();
  for (const entry of tensorPlanV1(arch, config, latent)) {
    const b = byWeight.get(entry.param);
    if (entry.role === 'packed_bits' && b) {
      const [kh, kw, cin, cout] = b.shape;
      tensors.set(entry.name, { dtype: 'U8', shape: entry.shape, data: packSignsToBytes(b.signs, kh, kw, cin, cout) });
    } else if (entry.role === 'scale' && b?.scale) {
      tensors.set(entry.name, { dtype: 'F32', shape: entry.shape, data: Float32Array.from(b.scale) });
    } else {
      tensors.set(entry.name, { dtype: 'F32', shape: entry.shape, data: Float32Array.from(input.params[entry.param].data) });
    }
  }
  return writeSafetensors(tensors, {
    [META.format]: FORMAT_NAME,
    [META.version]: String(VERSION_1),
    [META_V1.architecture]: JSON.stringify(describeArchitectureV1(arch, config)),
    [META.config]: JSON.stringify(config),
    [META.dataset]: JSON.stringify({ name: dataset.name, inputShape: dataset.inputShape, mean: dataset.mean, std: dataset.std, classNames: dataset.classNames }),
    [META.testAccuracy]: JSON.stringify(input.testAccuracy),
    [META_V1.latent]: String(latent),
  });
}
