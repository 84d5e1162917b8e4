import type { WeightTransform } from './weight-transform';

/** No transform: Bw = sign(w). */
export const noTransform: WeightTransform = {
  name: 'none',
  label: 'sign(w)',
  apply: (w) => ({ balanced: w, scale: null }),
};
