// A pattern's name: the few words that set its members apart from the rest of the category, by
// class-based TF-IDF (c-TF-IDF, as BERTopic names topics). Each cluster of the category is one
// "class"; a word scores by the share of the cluster's members that use it, times how rare it is
// across the category's clusters. So "filter icon, sessions button, padding" names a run of sidebar
// tweaks, where the first member's text would be a truncated prompt. Words are cut with
// Intl.Segmenter, so Chinese or French requests get words too, and shown as the users wrote them.
import { STOPWORDS, stem } from './requestTokens';

export interface NamedCluster {
  members: ReadonlyArray<{ request: string; files: readonly string[] }>;
}

/** Words in a name; more reads as a sentence fragment, fewer says too little. */
const NAME_WORDS = 4;
/** Words weighing less than this share of the best word are left out of the name. */
const RELATIVE_WEIGHT = 0.6;
/** Only the start of a request is read: its topic is there, and pasted code or logs follow it. */
const REQUEST_CHARS = 600;
/** Words of these scripts are not separated by spaces; Intl.Segmenter's dictionary finds them. */
const SEGMENTER = new Intl.Segmenter(undefined, { granularity: 'word' });
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** `at`: the word's position among the request's words, so neighbours can be joined into a phrase. */
/** Verbs and pleasantries every kind of request uses: they name no topic. */
const NAME_STOPWORDS = new Set(('write add create fix update change make show give tell help try look check see run know think ' +
  'thank thanks hello okay sure great awesome cool nice good can could would should').split(' '));

interface Term { key: string; surface: string; at: number }

/** A member's distinct terms: stemmed keys, with the form the user wrote for display. */
export function nameTerms(request: string, files: readonly string[] = []): Term[] {
  const terms = new Map<string, Term>();
  let at = -1;
  for (const { segment, isWordLike } of SEGMENTER.segment(request.slice(0, REQUEST_CHARS))) {
    if (!isWordLike) continue;
    at++;
    const word = segment.toLowerCase();
    const cjk = CJK.test(word);
    // Latin words under 3 letters, numbers, and identifiers with digits (uuids, hashes) say nothing.
    if (!cjk && (word.length < 3 || /\d/.test(word) || STOPWORDS.has(word) || NAME_STOPWORDS.has(word))) continue;
    if (cjk && word.length < 2) continue;
    const key = cjk ? word : stem(word);
    if (!terms.has(key)) terms.set(key, { key, surface: segment, at });
  }
  for (const file of files.slice(0, 10)) {
    const base = file.split(/[\\/]/).pop();
    if (base) terms.set(`file:${base.toLowerCase()}`, { key: `file:${base.toLowerCase()}`, surface: base, at: Number.MAX_SAFE_INTEGER });
  }
  return [...terms.values()];
}

/**
 * Names for every cluster of a category, in order. `clusters` should be all of the category's
 * clusters (also the one-member ones that do not become patterns): they are what a name contrasts with.
 */
export function patternNames(clusters: readonly NamedCluster[]): string[] {
  const perCluster = clusters.map((c) => {
    const share = new Map<string, number>();
    const position = new Map<string, number>();
    const surfaces = new Map<string, Map<string, number>>();
    const memberTerms = c.members.map((m) => nameTerms(m.request, m.files));
    for (const terms of memberTerms) {
      for (const term of terms) {
        share.set(term.key, (share.get(term.key) ?? 0) + 1 / c.members.length);
        position.set(term.key, Math.min(position.get(term.key) ?? Infinity, term.at));
        const forms = surfaces.get(term.key) ?? new Map<string, number>();
        forms.set(term.surface, (forms.get(term.surface) ?? 0) + 1);
        surfaces.set(term.key, forms);
      }
    }
    return { share, position, surfaces, memberTerms, size: c.members.length };
  });
  // c-TF-IDF's idf: log(1 + average terms per class / the term's frequency over all classes).
  const total = new Map<string, number>();
  let termMass = 0;
  for (const c of perCluster) {
    for (const [key, s] of c.share) { total.set(key, (total.get(key) ?? 0) + s); termMass += s; }
  }
  const average = perCluster.length === 0 ? 0 : termMass / perCluster.length;
  return perCluster.map((c) => {
    // In a pattern, a word only one member uses is that member's, not the pattern's.
    const minShare = c.size >= 2 ? 2 / c.size - 1e-9 : 0;
    const ranked = [...c.share]
      .filter(([, s]) => s >= minShare)
      .map(([key, s]) => ({ key, weight: s * Math.log(1 + average / total.get(key)!) }))
      // Equal weights (common in a small category): the words said first name the topic.
      .sort((a, b) => b.weight - a.weight || c.position.get(a.key)! - c.position.get(b.key)! || a.key.localeCompare(b.key))
      .slice(0, NAME_WORDS);
    // A word far below the best one is there because the others ran out: the rest of the category uses it too.
    const kept = ranked.filter((r) => r.weight >= RELATIVE_WEIGHT * (ranked[0]?.weight ?? 0));
    return phrase(kept.map((r) => r.key), c.memberTerms, c.surfaces);
  });
}

/** The chosen words in the order of the member that uses most of them; words that stand next to each
 *  other there become one phrase ("unit tests, date parser"). */
function phrase(keys: readonly string[], memberTerms: readonly Term[][], surfaces: Map<string, Map<string, number>>): string {
  const chosen = new Set(keys);
  let best: Term[] = [];
  for (const terms of memberTerms) {
    const used = terms.filter((t) => chosen.has(t.key));
    if (used.length > best.length) best = used;
  }
  const ordered = [...best].sort((a, b) => a.at - b.at);
  for (const key of keys) if (!ordered.some((t) => t.key === key)) ordered.push({ key, surface: '', at: Number.MAX_SAFE_INTEGER });
  let out = '';
  const said = new Set<string>();
  ordered.forEach((term, i) => {
    const word = display(mostCommon(surfaces.get(term.key)!));
    // "xyz.md" both written in the request and the file it edited: once is enough.
    if (said.has(word.toLowerCase())) return;
    said.add(word.toLowerCase());
    const joined = i > 0 && term.at === ordered[i - 1].at + 1;
    const glue = !joined ? ', ' : CJK.test(word) ? '' : ' ';
    out += out === '' ? word : `${glue}${word}`;
  });
  return out;
}

/** "Sessions" at the start of a sentence reads as "sessions" in a list; "PoIValidator", "README" and
 *  "index.ts" keep their case. */
function display(word: string): string {
  return /^\p{Lu}\p{Ll}+$/u.test(word) ? word.toLowerCase() : word;
}

function mostCommon(forms: Map<string, number>): string {
  let best = '';
  let count = -1;
  for (const [form, n] of forms) if (n > count || (n === count && form < best)) { best = form; count = n; }
  return best;
}
