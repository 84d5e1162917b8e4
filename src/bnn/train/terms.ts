import type { RunConfig } from '../config';
import type { BnnModel } from '../model/model';
import type { LossTerm } from './objective';
import { restrictionTerm } from './restriction';
import { checkTeacherCompatible, distillationTerm } from './distillation';

/**
 * The extra loss terms a run's toggles switch on, in the order they are applied:
 *   restriction (IR2Net)  when cfg.restriction — replaces CE by (CE₁ + CE₂)/2, λ = cfg.restrictionLambda
 *   distill (DIR-Net RBD) when cfg.distill     — adds β·L_RBD (+ τ²·KL when cfg.kd), β = cfg.distillBeta,
 *                                                τ = cfg.kdTau; needs a compatible teacher
 * cfg.kd only refines distillation and is ignored when cfg.distill is off; a teacher passed
 * without cfg.distill is ignored.
 */
export function lossTermsFor(cfg: RunConfig, teacher?: BnnModel): LossTerm[] {
  const terms: LossTerm[] = [];
  if (cfg.restriction) terms.push(restrictionTerm(cfg.restrictionLambda));
  if (cfg.distill) {
    if (!teacher) {
      throw new Error('distillation is on but no teacher was given: choose a finished full-precision run of the same architecture');
    }
    const problem = checkTeacherCompatible(cfg, teacher.config);
    if (problem) throw new Error(problem);
    terms.push(distillationTerm(teacher, { beta: cfg.distillBeta, kd: cfg.kd, tau: cfg.kdTau }));
  }
  return terms;
}
