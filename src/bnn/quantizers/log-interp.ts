/** 10^(log10 a + (log10 b − log10 a) · p): the geometric interpolation EDE's and DTE's t follow. */
export function logInterp(a: number, b: number, p: number): number {
  return 10 ** (Math.log10(a) + (Math.log10(b) - Math.log10(a)) * p);
}

export function clamp01(p: number): number {
  return Math.min(1, Math.max(0, p));
}
