// Words for matching requests to lessons: lower-cased, light stemming, no stopwords and no words
// every coding request uses ("write", "function", "please"), so a match means the same subject.

const STOP = new Set(`a an the and or but if then else of to in on at by for with from into onto about as is are was were be been
being it its this that these those there here i me my we our you your he she they them their what which who whom how why when
where can could would should will shall may might must do does did done doing have has had not no yes so too very just also only
while please thanks thank hi hello ok okay now again still some any all each every more most less much many one two new use using used
write writes written make makes made add adds create creates get gets need needs want wants like let lets help give show tell
function functions method code snippet script file files small simple quick way something thing things work works working fix
correct instead rather never always don dont t s re ve ll d m`.split(/\s+/));

/** A crude stem: enough to join "parse"/"parses"/"parsing"/"parsed" and "dates"/"date". */
export function stem(word: string): string {
  let w = word;
  for (const suffix of ['ing', 'ed', 's']) {
    if (w.endsWith(suffix) && !w.endsWith('ss') && w.length - suffix.length >= 3) { w = w.slice(0, -suffix.length); break; }
  }
  return w.length > 3 && w.endsWith('e') ? w.slice(0, -1) : w;
}

/** Content words of a text, stemmed, in order of first appearance. Code names are split at dots and case changes. */
export function contentWords(text: string): string[] {
  const spaced = text.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_./:-]+/g, ' ');
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of spaced.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (raw.length < 2 || STOP.has(raw) || /^\d+$/.test(raw)) continue;
    const word = stem(raw);
    if (seen.has(word)) continue;
    seen.add(word);
    out.push(word);
  }
  return out;
}

/** Shared words over the geometric mean of the two sizes (cosine of binary vectors). */
export function wordOverlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / Math.sqrt(a.size * b.size);
}
