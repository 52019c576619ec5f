// Seed 000 §3.4's variations (the same need in other words, same answer) and cross-category examples
// (a pattern's approach applied to another domain), written by a model: the live version through the
// trainer-server's gateway (`autodidact train --synthetic N`). They are marked synthetic, made only
// from training examples (never from the held-out evaluation set) and never evaluated on. Each must
// pass the checks its source passed (syntheticChecks.ts) or it is dropped and counted.
import { createHash } from 'node:crypto';
import { answerKeepsSourceChecks, variationKeepsSolution } from './syntheticChecks';
import type { TrainingExample } from './trainingExample';

export type TextGenerator = (prompt: string) => Promise<string>;

export interface SyntheticOptions {
  /** Upper bound on examples generated (each costs one or two model calls). */
  maxExamples: number;
  /** Categories a cross-category example may move to. */
  categories: readonly string[];
  crossCategory: boolean;
}

export interface SyntheticResult {
  examples: TrainingExample[];
  /** Model calls that failed or returned nothing usable. */
  failures: number;
  /** Generated examples dropped because they did not pass their source's checks. */
  rejected: number;
}

const clean = (text: string): string => text.trim().replace(/^["'`]+|["'`]+$/g, '').trim();

function derivedId(kind: string, source: TrainingExample, extra = ''): string {
  return createHash('sha256').update(`${kind}\u0000${source.id}\u0000${extra}`).digest('hex').slice(0, 24);
}

function userOf(example: TrainingExample): string {
  return example.messages.find((m) => m.role === 'user')?.content ?? '';
}

function assistantOf(example: TrainingExample): string {
  return example.messages.filter((m) => m.role === 'assistant').map((m) => m.content).join('');
}

export async function syntheticExamples(train: readonly TrainingExample[], generate: TextGenerator, options: SyntheticOptions): Promise<SyntheticResult> {
  // Whole exchanges only: a "Continue." part has no request to rephrase.
  const sources = train.filter((e) => !e.synthetic && !e.part).sort((a, b) => b.effectiveness - a.effectiveness || a.id.localeCompare(b.id));
  const examples: TrainingExample[] = [];
  let failures = 0;
  let rejected = 0;
  for (const source of sources) {
    if (examples.length >= options.maxExamples) break;
    try {
      const rephrased = clean(await generate(
        `Rephrase this request so it asks for exactly the same thing in different words. Reply with the rephrased request only.\n\nRequest:\n${userOf(source)}`));
      if (!rephrased) failures++;
      else if (!variationKeepsSolution(rephrased, userOf(source), assistantOf(source))) rejected++;
      else {
        examples.push({
          ...source, id: derivedId('variation', source), kind: 'variation', synthetic: true,
          messages: source.messages.map((m) => (m.role === 'user' ? { role: 'user', content: rephrased } : m)),
        });
      }
      const targets = options.categories.filter((c) => c !== source.category);
      if (!options.crossCategory || targets.length === 0 || examples.length >= options.maxExamples) continue;
      const target = targets[parseInt(derivedId('target', source).slice(0, 8), 16) % targets.length];
      const request = clean(await generate(
        `This request (category: ${source.category}) was solved by the answer below.\n\nRequest:\n${userOf(source)}\n\nAnswer:\n${assistantOf(source).slice(0, 4000)}\n\n` +
        `Write one new, realistic request from the category "${target}" that the same approach would solve. Reply with the request only.`));
      const answer = request ? clean(await generate(request)) : '';
      if (!request || !answer) { failures++; continue; }
      if (!answerKeepsSourceChecks(answer, assistantOf(source))) { rejected++; continue; }
      examples.push({
        ...source, id: derivedId('cross-category', source, target), kind: 'cross-category', synthetic: true, category: target, patternId: undefined,
        messages: [{ role: 'user', content: request }, { role: 'assistant', content: answer }],
      });
    } catch {
      failures++;
    }
  }
  return { examples: examples.slice(0, options.maxExamples), failures, rejected };
}
