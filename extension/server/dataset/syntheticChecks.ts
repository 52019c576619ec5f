// The filter on synthetic examples: what a model wrote is kept only when it still passes the checks
// its source passed. A variation keeps the source's answer, so its request must still ask for that
// answer: it keeps the names the answer is built from and really is a rewording. A written answer
// (cross-category) must keep the source answer's imports and, when the source showed code, show code.

const STOP_WORDS = new Set([
  'the', 'and', 'for', 'that', 'with', 'this', 'from', 'into', 'are', 'was', 'you', 'your', 'can', 'please', 'add', 'make',
  'write', 'create', 'function', 'code', 'file', 'new', 'def', 'return', 'import', 'class', 'not', 'all', 'use', 'when', 'our',
]);

const normalise = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 3));
}

/** Words of the request that the answer is built from (the names of the things asked about). */
export function keyTerms(request: string, answer: string): string[] {
  const inAnswer = wordsOf(answer);
  return [...wordsOf(request)].filter((w) => inAnswer.has(w) && !STOP_WORDS.has(w)).sort();
}

export function variationKeepsSolution(rephrased: string, original: string, answer: string): boolean {
  if (normalise(rephrased) === normalise(original)) return false; // not a rewording
  if (rephrased.length > 3 * original.length + 200) return false; // an answer or an essay, not a request
  if (/```/.test(rephrased)) return false; // it answered instead of rephrasing
  const kept = wordsOf(rephrased);
  return keyTerms(original, answer).every((term) => kept.has(term));
}

/** `import x` / `from x import y` / `require('x')` lines in an answer's text. */
export function importLines(answer: string): string[] {
  const lines = answer.split('\n').map((l) => l.trim());
  return lines.filter((l) => /^(?:from\s+\S+\s+import\s+\S|import\s+\S)/.test(l) || /\brequire\(['"][^'"]+['"]\)/.test(l)).map(normalise);
}

export function answerKeepsSourceChecks(answer: string, sourceAnswer: string): boolean {
  if (/```/.test(sourceAnswer) && !/```/.test(answer)) return false;
  const written = new Set(importLines(answer));
  return importLines(sourceAnswer).every((line) => written.has(line));
}
