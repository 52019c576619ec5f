// The words that say what a request is about, for comparing requests cheaply and deterministically
// (no model: the same data gives the same patterns on every machine, online or not).

export const STOPWORDS = new Set(('the a an and or but if then else of to in on at by for with from into onto is are was were be been ' +
  'being it its this that these those there here i me my we our you your he she they them their can could would should ' +
  'will shall may might must do does did done have has had not no yes please just also so very too now again still ' +
  'what which who whom whose when where why how all any some each every both few more most other such only own same ' +
  'than as about above below up down out off over under once make made get got let lets use using used need needs want ' +
  'like one two new file files code thing things way work works working').split(' '));

const MAX_CHARS = 1500;

/** Crude stemming: enough for "tests"/"testing"/"tested" to meet, cheap enough for every capture. */
export function stem(word: string): string {
  for (const suffix of ['ing', 'ed', 'es', 's']) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

export function requestTokens(request: string, files: readonly string[] = []): Set<string> {
  const tokens = new Set<string>();
  const words = request.slice(0, MAX_CHARS).toLowerCase().split(/[^a-z0-9_]+/);
  for (const word of words) {
    if (word.length < 3 || STOPWORDS.has(word) || /^\d+$/.test(word)) continue;
    tokens.add(stem(word));
  }
  for (const file of files.slice(0, 10)) {
    const base = file.split(/[\\/]/).pop();
    if (base) tokens.add(`file:${base.toLowerCase()}`);
  }
  return tokens;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const t of small) if (large.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}
