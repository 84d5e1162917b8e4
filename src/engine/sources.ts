/**
 * Where the inference engine's weights come from: a model in memory, a model's config and
 * parameter snapshot (e.g. a finished run handed to the benchmark panel), or an imported
 * model file. The first two compute the binary convs' signs and scales with the model's own
 * weight transform on the active tfjs backend, exactly as its forward pass binarises them.
 */
import type { RunConfig } from '../bnn/config';
import { binaryWeightsFromSnapshot, binaryWeightsOf } from '../bnn/model/binary-weights';
import { architectureFor, type BnnModel } from '../bnn/model/model';
import type { ParamSnapshot } from '../bnn/model/params';
import { getWeightTransform } from '../bnn/quantizers/registry';
import type { ImportedModel } from '../io/import';
import type { EngineSource } from './engine';

/** A trained (or freshly initialised) model in memory. */
export async function engineSourceFromModel(model: BnnModel): Promise<EngineSource> {
  const [params, binary] = await Promise.all([model.params.snapshot(), binaryWeightsOf(model)]);
  return { arch: model.arch, params, binary };
}

/**
 * A model given by its run config and latent parameter snapshot; the number of classes is
 * read from the snapshot's dense head.
 */
export async function engineSourceFromSnapshot(config: RunConfig, snapshot: ParamSnapshot): Promise<EngineSource> {
  const probe = architectureFor(config, 10);
  const head = probe.ops.find((op) => op.op === 'dense');
  const bias = head && head.op === 'dense' ? snapshot[head.bias] : undefined;
  if (!bias) throw new Error('snapshot lacks the dense head bias');
  const arch = architectureFor(config, bias.shape[0]);
  const binary = config.precision === 'binary' ? await binaryWeightsFromSnapshot(arch, snapshot, getWeightTransform(config.weightTransform)) : [];
  return { arch, params: snapshot, binary };
}

/** An imported model file: its bits and float parameters as stored. */
export function engineSourceFromImport(model: ImportedModel): EngineSource {
  return { arch: model.arch, params: model.inferenceSnapshot, binary: model.binary };
}
