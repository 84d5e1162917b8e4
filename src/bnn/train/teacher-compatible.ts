import type { RunConfig } from '../config';

/**
 * Can a run with `teacherCfg` teach a run with `studentCfg`? null if so, otherwise a message for
 * the user. The teacher must be full precision with the student's dataset, depth, width and
 * recovery module (so the stage outputs and logits line up).
 */
export function checkTeacherCompatible(
  studentCfg: Pick<RunConfig, 'dataset' | 'depth' | 'width' | 'recovery' | 'recoveryRatio'>,
  teacherCfg: Pick<RunConfig, 'dataset' | 'depth' | 'width' | 'recovery' | 'recoveryRatio' | 'precision'>,
): string | null {
  const diffs: string[] = [];
  if (teacherCfg.precision !== 'full') diffs.push('the teacher is binary');
  if (teacherCfg.dataset !== studentCfg.dataset) diffs.push(`dataset ${teacherCfg.dataset} vs ${studentCfg.dataset}`);
  if (teacherCfg.depth !== studentCfg.depth) diffs.push(`depth ${teacherCfg.depth} vs ${studentCfg.depth}`);
  if (teacherCfg.width !== studentCfg.width) diffs.push(`width ${teacherCfg.width} vs ${studentCfg.width}`);
  if (teacherCfg.recovery !== studentCfg.recovery) {
    diffs.push(`recovery ${teacherCfg.recovery} vs ${studentCfg.recovery}`);
  } else if (teacherCfg.recovery === 'compact' && teacherCfg.recoveryRatio !== studentCfg.recoveryRatio) {
    diffs.push(`recovery ratio ${teacherCfg.recoveryRatio} vs ${studentCfg.recoveryRatio}`);
  }
  if (diffs.length === 0) return null;
  return `teacher must be a full-precision run of the same architecture: ${diffs.join(', ')} (teacher vs student)`;
}
