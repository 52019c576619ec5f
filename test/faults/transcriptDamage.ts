// Damaged copies of a transcript: cut at random byte offsets, or with random bytes overwritten. Each
// copy says what damage its format can see, judged independently of the importer: a JSONL copy whose
// last line is cut and no longer parses must be counted as truncated; one with more unparseable
// lines than the original, as errors; a JSON document that no longer parses, as a failed file.

export type Expectation = 'truncated' | 'error' | 'failed' | 'none';

export interface Variant {
  name: string;
  relative: string;
  bytes: Buffer;
  expect: Expectation;
}

export interface Damage {
  /** 0 <= n < limit */
  int(limit: number): number;
}

/** A small seeded generator (LCG), so a failing run can be replayed from its seed. */
export function newDamage(seed: number): Damage {
  let state = seed >>> 0;
  return {
    int(limit: number): number {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return Math.floor((state / 2 ** 32) * limit);
    },
  };
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function unparseableLines(text: string): number {
  const complete = text.slice(0, text.lastIndexOf('\n') + 1).split('\n');
  return complete.filter((line) => line.trim() !== '' && !parses(line)).length;
}

function jsonlExpectation(original: Buffer, damaged: Buffer): Expectation {
  const text = damaged.toString('utf8');
  const tail = text.slice(text.lastIndexOf('\n') + 1);
  if (tail.trim() !== '' && !parses(tail)) return 'truncated';
  return unparseableLines(text) > unparseableLines(original.toString('utf8')) ? 'error' : 'none';
}

function expectation(relative: string, original: Buffer, damaged: Buffer): Expectation {
  if (relative.endsWith('.jsonl')) return jsonlExpectation(original, damaged);
  if (relative.endsWith('.json')) return parses(damaged.toString('utf8')) ? 'none' : 'failed';
  return 'none'; // Markdown and plain histories have no framing that a cut or a flipped byte breaks
}

/** Five cuts at random offsets and three copies with 8 random bytes overwritten each. */
export function damagedVariants(relative: string, original: Buffer, damage: Damage, cuts = 5, garbles = 3): Variant[] {
  const variants: Variant[] = [];
  const label = relative.replace(/[^\w.-]+/g, '_');
  for (let i = 0; i < cuts; i++) {
    const at = 1 + damage.int(Math.max(1, original.length - 1));
    const bytes = Buffer.from(original.subarray(0, at));
    variants.push({ name: `${label}-cut${at}`, relative, bytes, expect: expectation(relative, original, bytes) });
  }
  for (let i = 0; i < garbles; i++) {
    const bytes = Buffer.from(original);
    const positions: number[] = [];
    for (let k = 0; k < 8; k++) {
      const at = damage.int(bytes.length);
      bytes[at] = damage.int(256);
      positions.push(at);
    }
    variants.push({ name: `${label}-garbled${i}@${positions.slice(0, 3).join(',')}`, relative, bytes, expect: expectation(relative, original, bytes) });
  }
  return variants;
}
