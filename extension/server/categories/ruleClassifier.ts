// Keyword and file-path rules: the classifier that always works (no model, no network) and the
// one the embedding classifier leans on where a request names its topic outright ("gguf", "pytest").
import { FALLBACK_CATEGORY, type CategoryDefinition } from './categoryTaxonomy';

export interface ClassifierInput {
  request: string;
  /** The start of the answer: weaker evidence than the request, but often names the topic. */
  response?: string;
  files: readonly string[];
}

export interface CategoryScore {
  name: string;
  score: number;
  evidence: string[];
  /** Where in the request its first keyword stands (Infinity: none): on a tie, the topic named first wins. */
  first?: number;
}

/** Evidence weights. The request says what the user wanted; the answer and paths only hint. */
const REQUEST_KEYWORD = 1;
const REQUEST_WEAK_KEYWORD = 0.5;
const RESPONSE_KEYWORD = 0.25;
const PATH_MATCH = 0.75;
const PATH_CAP = 1.5;
/** A marker outweighs any keyword count. */
const MARKER_SCORE = 100;
/** Below this the rules have no opinion and the fallback category is used. */
export const RULE_MIN_SCORE = 0.5;

const REQUEST_CHARS = 2000;
const RESPONSE_CHARS = 1500;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Plural, past and gerund forms of the last word count as the keyword. */
const SUFFIX = '(?:s|es|d|ed|ing|ment|ments|er|ers|ation|ations)?';

interface KeywordUse { category: number; keyword: string; weak: boolean }

export class RuleClassifier {
  /** One pass over the text finds every keyword of every category (longest phrase first at a position). */
  private readonly pattern: RegExp;
  private readonly uses = new Map<string, KeywordUse[]>();

  constructor(readonly categories: readonly CategoryDefinition[]) {
    categories.forEach((definition, category) => {
      for (const [list, weak] of [[definition.keywords, false], [definition.weakKeywords ?? [], true]] as const) {
        for (const keyword of list) {
          const key = keyword.toLowerCase();
          const uses = this.uses.get(key) ?? [];
          if (!uses.some((u) => u.category === category)) uses.push({ category, keyword, weak });
          this.uses.set(key, uses);
        }
      }
    });
    const alternatives = [...this.uses.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b)).map(escape);
    // A word inside a path or file name ("tests/poi.test.ts") names a file, not the topic: the path
    // rules weigh files. So a keyword may not touch a slash, a dash, or a dot that starts an extension.
    this.pattern = new RegExp(`(?<![\\w/\\\\.-])(${alternatives.join('|')})${SUFFIX}(?![\\w/\\\\-]|\\.\\w)`, 'gi');
  }

  /** The category whose marker the request carries (a completion record), if any: decisive. */
  marked(input: ClassifierInput): CategoryScore | undefined {
    const definition = this.categories.find((c) => c.marker?.test(input.request.slice(0, REQUEST_CHARS)));
    return definition && { name: definition.name, score: MARKER_SCORE, evidence: [`marker: ${definition.marker!.source}`] };
  }

  /** Every category's score, in taxonomy order. */
  scores(input: ClassifierInput): CategoryScore[] {
    const result = this.categories.map((c): CategoryScore => ({ name: c.name, score: 0, evidence: [], first: Infinity }));
    const counted = new Set<string>(); // category + keyword: each counts once
    const count = (text: string, inRequest: boolean): void => {
      this.pattern.lastIndex = 0;
      for (const match of text.matchAll(this.pattern)) {
        for (const use of this.uses.get(match[1].toLowerCase()) ?? []) {
          const key = `${use.category}\u0000${use.keyword}`;
          if (counted.has(key) || (use.weak && !inRequest)) continue;
          counted.add(key);
          const r = result[use.category];
          if (!inRequest) { r.score += RESPONSE_KEYWORD; r.evidence.push(`answer: ${use.keyword}`); }
          else if (use.weak) { r.score += REQUEST_WEAK_KEYWORD; r.evidence.push(`~${use.keyword}`); }
          else { r.score += REQUEST_KEYWORD; r.evidence.push(use.keyword); }
          if (inRequest) r.first = Math.min(r.first ?? Infinity, match.index ?? Infinity);
        }
      }
    };
    count(input.request.slice(0, REQUEST_CHARS), true);
    if (input.response) count(input.response.slice(0, RESPONSE_CHARS), false);
    const files = input.files.map((f) => f.replace(/\\/g, '/'));
    this.categories.forEach((definition, i) => {
      if (!definition.paths) return;
      let pathScore = 0;
      for (const file of files) {
        if (definition.paths.some((p) => p.test(file))) { pathScore += PATH_MATCH; result[i].evidence.push(`path: ${file}`); }
      }
      result[i].score += Math.min(PATH_CAP, pathScore);
    });
    return result;
  }

  classify(input: ClassifierInput): { category: string; score: number; evidence: string[] } {
    const marked = this.marked(input);
    if (marked) return { category: marked.name, score: marked.score, evidence: marked.evidence };
    let best: CategoryScore | undefined;
    for (const s of this.scores(input)) {
      if (!best || s.score > best.score || (s.score === best.score && (s.first ?? Infinity) < (best.first ?? Infinity))) best = s;
    }
    if (!best || best.score < RULE_MIN_SCORE) return { category: FALLBACK_CATEGORY, score: 0, evidence: [] };
    return { category: best.name, score: best.score, evidence: best.evidence };
  }
}
