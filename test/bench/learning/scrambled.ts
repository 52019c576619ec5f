// A training set that teaches nothing: every request gets another request's answer (a fixed
// derangement, so no request keeps its own), across conventions.
import type { TeachingItem } from './conventions';

export function scrambledItems(items: readonly TeachingItem[]): TeachingItem[] {
  if (items.length < 2) throw new Error('scrambling needs at least two items');
  // Rotating by a step coprime with the length, never 0: a derangement that also crosses conventions
  // (items are grouped by convention, and the step is not a multiple of the group size).
  let step = Math.max(1, Math.floor(items.length / 2) + 1);
  while (gcd(step, items.length) !== 1) step++;
  return items.map((item, i) => ({ ...items[(i + step) % items.length], request: item.request }));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
