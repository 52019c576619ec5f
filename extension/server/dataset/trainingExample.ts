// What the dataset builder produces before it is written in a file format. Formats (openai, sharegpt,
// alpaca) are views of this; the trainer flow reads it directly.

export type ExampleKind = 'direct' | 'improvement' | 'variation' | 'cross-category';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface TrainingExample {
  /** Stable: the same interactions give the same id (dedup and the eval split rely on it). */
  id: string;
  kind: ExampleKind;
  /** Written by a model (seed 000 §3.4 variations and cross-category examples), not by the session. */
  synthetic: boolean;
  category: string;
  patternId?: string;
  /** The interactions it came from: one for direct pairs, the failed and the fixing one for improvements. */
  sourceIds: string[];
  sessionId: string;
  effectiveness: number;
  messages: ChatMessage[];
  /** Set when one long exchange was split into parts (see contextPartition.ts). */
  part?: { of: string; index: number; total: number };
  /** The request was longer than its share of the context and was condensed (head, tail, key lines). */
  requestCondensed?: boolean;
  /** The interaction whose answer is the target: examples teaching the same answer (its direct pair, an
   *  improvement pair ending in it, all parts of it) land on the same side of the train/eval split. */
  splitKey: string;
  /** Lessons whose `<recall>` block opens the answer (recallExamples.ts, seed 003's SFT phase). */
  recalled?: string[];
}

/** Rough token count (chars / 4): the dataset must work before any tokenizer is known. */
export function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
