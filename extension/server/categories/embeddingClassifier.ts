// Embeddings + rules: cosine similarity of the request to each category's prototype sentences,
// plus a bonus from the keyword/path rules. Embeddings catch requests that never name their topic
// ("the container exits on Cloud Run"); rules keep exact technical terms ("gguf") decisive.
import { FALLBACK_CATEGORY, type CategoryDefinition } from './categoryTaxonomy';
import { RuleClassifier, type ClassifierInput } from './ruleClassifier';
import { cosine, type SentenceEmbedder } from './sentenceEmbedder';

export interface CategoryDecision {
  category: string;
  method: 'rules' | 'embeddings+rules';
  /** The winning combined score (rules: keyword score; embeddings: similarity + rule bonus). */
  score: number;
  evidence: string[];
}

/** How much a rule score adds to a cosine similarity; rule scores are capped at RULE_SCALE first.
 *  0.4 (was 0.2): on requests from real transcripts a short request's similarities are close together
 *  and the words it names are the better evidence (hand-labelled real requests 63% right at 0.2, 71%
 *  at 0.4; the written labelled set 82% and 84%; test/unit/categoriesTranscripts.test.ts). */
export const RULE_BONUS = 0.4;
const RULE_SCALE = 2;
/** Below this similarity, with no rule evidence, nothing is close enough: fallback category. */
export const MIN_SIMILARITY = 0.2;

/** all-MiniLM-L6-v2 learned English: for a request written mostly in another script (Chinese,
 *  Japanese, Cyrillic…) its similarities are noise, and the rules, which know such terms, decide. */
export function modelReadsLanguage(request: string): boolean {
  const letters = request.slice(0, 500).match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return true;
  const latin = letters.filter((l) => /\p{Script=Latin}/u.test(l)).length;
  return latin / letters.length >= 0.5;
}

/** Text the embedding sees: the request and the names of the files it touched. */
export function embeddingText(input: ClassifierInput): string {
  const names = input.files.slice(0, 8).map((f) => f.split(/[\\/]/).pop()).join(' ');
  return names ? `${input.request}\nFiles: ${names}` : input.request;
}

export class EmbeddingClassifier {
  private constructor(
    private readonly embedder: SentenceEmbedder,
    private readonly rules: RuleClassifier,
    private readonly prototypes: Float32Array[][],
  ) {}

  static async create(embedder: SentenceEmbedder, categories: readonly CategoryDefinition[]): Promise<EmbeddingClassifier> {
    const sentences = categories.flatMap((c) => c.descriptions);
    const vectors = await embedder.embed(sentences);
    const prototypes: Float32Array[][] = [];
    let offset = 0;
    for (const c of categories) {
      prototypes.push(vectors.slice(offset, offset + c.descriptions.length));
      offset += c.descriptions.length;
    }
    return new EmbeddingClassifier(embedder, new RuleClassifier(categories), prototypes);
  }

  get categories(): readonly CategoryDefinition[] { return this.rules.categories; }

  async classify(inputs: readonly ClassifierInput[]): Promise<CategoryDecision[]> {
    const vectors = await this.embedder.embed(inputs.map(embeddingText));
    return inputs.map((input, i) => this.decide(input, vectors[i]));
  }

  /** Per-category similarity (best prototype), exposed for the accuracy report and tests. */
  similarities(vector: Float32Array): number[] {
    return this.prototypes.map((protos) => protos.reduce((best, p) => Math.max(best, cosine(vector, p)), -1));
  }

  private decide(input: ClassifierInput, vector: Float32Array): CategoryDecision {
    const marked = this.rules.marked(input);
    if (marked) return { category: marked.name, method: 'embeddings+rules', score: marked.score, evidence: marked.evidence };
    if (!modelReadsLanguage(input.request)) {
      const byRules = this.rules.classify(input);
      return { category: byRules.category, method: 'rules', score: byRules.score, evidence: ['not English: rules decide', ...byRules.evidence] };
    }
    const ruleScores = this.rules.scores(input);
    const sims = this.similarities(vector);
    let best = -1;
    let bestScore = -Infinity;
    sims.forEach((sim, i) => {
      const combined = sim + RULE_BONUS * Math.min(RULE_SCALE, ruleScores[i].score) / RULE_SCALE;
      if (combined > bestScore) { bestScore = combined; best = i; }
    });
    const winner = ruleScores[best];
    if (sims[best] < MIN_SIMILARITY && winner.score === 0) {
      return { category: FALLBACK_CATEGORY, method: 'embeddings+rules', score: bestScore, evidence: [`similarity ${sims[best].toFixed(3)} to ${winner.name}, below ${MIN_SIMILARITY}`] };
    }
    return {
      category: winner.name,
      method: 'embeddings+rules',
      score: Math.round(bestScore * 1000) / 1000,
      evidence: [`similarity ${sims[best].toFixed(3)}`, ...winner.evidence],
    };
  }
}
