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
}

/** Evidence weights. The request says what the user wanted; the answer and paths only hint. */
const REQUEST_KEYWORD = 1;
const REQUEST_WEAK_KEYWORD = 0.5;
const RESPONSE_KEYWORD = 0.25;
const PATH_MATCH = 0.75;
const PATH_CAP = 1.5;
/** Below this the rules have no opinion and the fallback category is used. */
export const RULE_MIN_SCORE = 0.5;

const REQUEST_CHARS = 2000;
const RESPONSE_CHARS = 1500;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Plural, past and gerund forms of the last word count as the keyword. */
const SUFFIX = '(?:s|es|d|ed|ing|ment|ments|er|ers|ation|ations)?';

interface CompiledCategory {
  definition: CategoryDefinition;
  strong: Array<[string, RegExp]>;
  weak: Array<[string, RegExp]>;
}

function wordPattern(keyword: string): RegExp {
  return new RegExp(`(?<![\\w])${escape(keyword.toLowerCase())}${SUFFIX}(?![\\w])`, 'i');
}

export class RuleClassifier {
  private readonly compiled: CompiledCategory[];

  constructor(readonly categories: readonly CategoryDefinition[]) {
    this.compiled = categories.map((definition) => ({
      definition,
      strong: definition.keywords.map((k): [string, RegExp] => [k, wordPattern(k)]),
      weak: (definition.weakKeywords ?? []).map((k): [string, RegExp] => [k, wordPattern(k)]),
    }));
  }

  /** Every category's score, in taxonomy order. */
  scores(input: ClassifierInput): CategoryScore[] {
    const request = input.request.slice(0, REQUEST_CHARS);
    const response = (input.response ?? '').slice(0, RESPONSE_CHARS);
    const files = input.files.map((f) => f.replace(/\\/g, '/'));
    return this.compiled.map(({ definition, strong, weak }) => {
      let score = 0;
      const evidence: string[] = [];
      for (const [keyword, pattern] of strong) {
        if (pattern.test(request)) { score += REQUEST_KEYWORD; evidence.push(keyword); }
        else if (response && pattern.test(response)) { score += RESPONSE_KEYWORD; evidence.push(`answer: ${keyword}`); }
      }
      for (const [keyword, pattern] of weak) {
        if (pattern.test(request)) { score += REQUEST_WEAK_KEYWORD; evidence.push(`~${keyword}`); }
      }
      let pathScore = 0;
      for (const file of files) {
        if (definition.paths?.some((p) => p.test(file))) { pathScore += PATH_MATCH; evidence.push(`path: ${file}`); }
      }
      score += Math.min(PATH_CAP, pathScore);
      return { name: definition.name, score, evidence };
    });
  }

  classify(input: ClassifierInput): { category: string; score: number; evidence: string[] } {
    let best: CategoryScore | undefined;
    for (const s of this.scores(input)) if (!best || s.score > best.score) best = s;
    if (!best || best.score < RULE_MIN_SCORE) return { category: FALLBACK_CATEGORY, score: 0, evidence: [] };
    return { category: best.name, score: best.score, evidence: best.evidence };
  }
}
