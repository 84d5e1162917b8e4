import { getWeightTransform } from '../../bnn/quantizers/registry';

/**
 * What a weight transform's per-channel scale can change when a batch-statistics BatchNorm
 * follows every binary conv (docs/TECHNIQUES.md, "The scale cancels in front of BatchNorm"),
 * from the registry's `scale` kind; null for a transform without a scale.
 */
export function scaleCancelNote(transform: string, short = false): string | null {
  const t = getWeightTransform(transform);
  if (t.scale === 'none') return null;
  const through =
    t.scale === 'differentiable'
      ? 'the gradient path of its scale back to the latent weights'
      : 'the balanced, standardised weights it binarises';
  if (short) return `Its scale cancels in the BatchNorm after each binary conv: it can differ from sign(w) only through ${through}.`;
  return `${t.label}: its per-channel scale cancels in the BatchNorm that follows each binary conv, so it can differ from sign(w) only through ${through}; a difference smaller than the seed-to-seed spread is noise.`;
}
