import { needsTeacher, type RunConfig } from '../config';
import type { BnnModel } from '../model/model';
import type { LossTerm } from './objective';
import { restrictionTerm } from './restriction';
import { distillationTerm } from './distillation';
import { checkTeacherCompatible } from './teacher-compatible';

/**
 * The extra loss terms a run's toggles switch on, in the order they are applied:
 *   restriction (IR2Net)  when cfg.restriction — replaces CE by (CE₁ + CE₂)/2, λ = cfg.restrictionLambda,
 *                         erasing to `erase` per input channel (restrictionEraseValue)
 *   distill               when cfg.distill or cfg.kd — adds β·L_RBD (DIR-Net, cfg.distill, β = cfg.distillBeta)
 *                         and τ²·KL of the logits (cfg.kd, τ = cfg.kdTau); needs a compatible teacher
 * A teacher passed without either is ignored.
 */
export function lossTermsFor(cfg: RunConfig, teacher?: BnnModel, erase?: readonly number[]): LossTerm[] {
  const terms: LossTerm[] = [];
  if (cfg.restriction) terms.push(restrictionTerm(cfg.restrictionLambda, erase));
  if (needsTeacher(cfg)) {
    if (!teacher) {
      throw new Error('distillation is on but no teacher was given: choose a finished full-precision run of the same architecture');
    }
    const problem = checkTeacherCompatible(cfg, teacher.config);
    if (problem) throw new Error(problem);
    terms.push(distillationTerm(teacher, { rbd: cfg.distill, beta: cfg.distillBeta, kd: cfg.kd, tau: cfg.kdTau }));
  }
  return terms;
}
