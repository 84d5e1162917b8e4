import type * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from '../config';
import { latentWeightNames, type BnnModel } from '../model/model';
import type { ParamGroup } from './optimizer';

/**
 * The two parameter groups: the binary convs' latent weights at latentLr, without weight decay;
 * everything else at lr, with decay on its conv and dense weights. A full-precision run has one.
 */
export function parameterGroups(model: BnnModel, cfg: Pick<RunConfig, 'lr' | 'latentLr'>): ParamGroup[] {
  const latent = new Set(model.binary ? latentWeightNames(model.arch) : []);
  const groups: ParamGroup[] = [];
  const make = (name: ParamGroup['name'], peakLr: number, member: (spec: (typeof model.arch.params)[number]) => boolean): void => {
    const specs = model.arch.params.filter((spec) => spec.trainable && member(spec));
    if (specs.length === 0) return;
    const decayed = new Map<string, tf.Variable>();
    const variables = new Set<string>();
    for (const spec of specs) {
      const v = model.params.get(spec.name);
      variables.add(v.name);
      if (name === 'float' && (spec.kind === 'conv' || spec.kind === 'dense')) decayed.set(v.name, v);
    }
    groups.push({ name, peakLr, variables, decayed });
  };
  make('latent', cfg.latentLr, (spec) => latent.has(spec.name));
  make('float', cfg.lr, (spec) => !latent.has(spec.name));
  return groups;
}
