// Keeps the training set honest: no duplicate pairs, and no single habit (pattern) filling it.
import { createHash } from 'node:crypto';
import type { TrainingExample } from './trainingExample';

const normalise = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

function contentKey(example: TrainingExample): string {
  const hash = createHash('sha256');
  for (const m of example.messages) {
    if (m.role === 'system') continue; // the same pair with a different session summary is still the same pair
    hash.update(m.role).update('\u0000').update(normalise(m.content)).update('\u0000');
  }
  return hash.digest('hex');
}

/** Keeps the first of identical (normalised) conversations; the input order is the preference order. */
export function dedupe(examples: readonly TrainingExample[]): { kept: TrainingExample[]; removed: number } {
  const seen = new Set<string>();
  const kept: TrainingExample[] = [];
  for (const example of examples) {
    const key = contentKey(example);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(example);
  }
  return { kept, removed: examples.length - kept.length };
}

/** At most `cap` source exchanges per pattern (the parts of one exchange count once); the best and
 *  most recent first. Examples outside any pattern are not capped. */
export function capPerPattern(examples: readonly TrainingExample[], cap: number): { kept: TrainingExample[]; removed: number } {
  const chosen = new Map<string, Set<string>>();
  const byPreference = [...examples].sort((a, b) => b.effectiveness - a.effectiveness || a.id.localeCompare(b.id));
  const allowed = new Set<string>();
  for (const example of byPreference) {
    if (!example.patternId) { allowed.add(example.id); continue; }
    const exchange = example.part?.of ?? example.id;
    const set = chosen.get(example.patternId) ?? new Set<string>();
    if (set.has(exchange) || set.size < cap) {
      set.add(exchange);
      chosen.set(example.patternId, set);
      allowed.add(example.id);
    }
  }
  const kept = examples.filter((e) => allowed.has(e.id));
  return { kept, removed: examples.length - kept.length };
}
