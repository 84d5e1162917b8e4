/**
 * Legend labels that tell series apart without repeating what they share: names are split at
 * " · " (as run names are built) and every part that all names contain is dropped, except the
 * first (a run's number and method). A single name is kept whole.
 */
export function distinctLabels(names: readonly string[]): string[] {
  if (names.length < 2) return [...names];
  const parts = names.map((n) => n.split(' · '));
  const shared = (part: string): boolean => parts.every((p) => p.includes(part));
  return parts.map((p) => [p[0], ...p.slice(1).filter((part) => !shared(part))].join(' · '));
}

/** The parts all names share, for a line under the legend ("all: R8 w8 · MNIST · seed 1"). */
export function sharedParts(names: readonly string[]): string[] {
  if (names.length < 2) return [];
  const parts = names.map((n) => n.split(' · '));
  return parts[0].slice(1).filter((part) => parts.every((p) => p.includes(part)));
}
