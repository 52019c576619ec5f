// Seed 000 §3.4 from one session: direct examples (an interaction that worked → its request and
// answer) and improvement examples (an attempt that failed, paired with the later answer that fixed
// it: the original request → the answer that worked). Every example carries the session summary
// and is partitioned when it is longer than the model's context.
import { createHash } from 'node:crypto';
import { followUpReaction } from '../scoring/followUpReaction';
import { jaccard, requestTokens } from '../patterns/requestTokens';
import { partitionExchange } from './contextPartition';
import type { SourceInteraction } from './datasetSource';
import { sessionContextSummaries } from './sessionContext';
import type { ExampleKind, TrainingExample } from './trainingExample';

export interface SessionExampleOptions {
  minEffectiveness: number;
  /** An attempt scoring below this counts as failed (improvement pairs start from one). */
  failedBelow: number;
  /** How many later interactions are searched for the fix. */
  fixLookahead: number;
  maxTokens: number;
  /** Share of maxTokens the session summary may use. */
  contextShare: number;
}

/** Two requests are about the same thing when their words or files overlap this much. */
const SAME_TOPIC = 0.2;

function exampleId(kind: ExampleKind, sourceIds: readonly string[]): string {
  return createHash('sha256').update(`${kind}\u0000${sourceIds.join('\u0000')}`).digest('hex').slice(0, 24);
}

function sameTopic(a: SourceInteraction, b: SourceInteraction): boolean {
  if (a.files.some((f) => b.files.includes(f))) return true;
  return jaccard(requestTokens(a.request), requestTokens(b.request)) >= SAME_TOPIC;
}

/** j fixes i when it worked and is about the same thing, or every request between them said "still wrong". */
function findFix(session: readonly SourceInteraction[], i: number, options: SessionExampleOptions): number | undefined {
  let correctionChain = true;
  for (let j = i + 1; j < session.length && j <= i + options.fixLookahead; j++) {
    correctionChain &&= followUpReaction(session[j].request)?.kind === 'correction';
    if (session[j].effectiveness >= options.minEffectiveness && (correctionChain || sameTopic(session[i], session[j]))) return j;
  }
  return undefined;
}

export function sessionExamples(session: readonly SourceInteraction[], options: SessionExampleOptions): TrainingExample[] {
  const contexts = sessionContextSummaries(
    session.map((s) => ({ id: s.id, request: s.request, files: s.files })),
    Math.floor(options.maxTokens * options.contextShare),
  );
  const out: TrainingExample[] = [];
  const usable = (s: SourceInteraction): boolean => s.included && s.request.trim() !== '' && s.response.trim() !== '';

  const emit = (kind: ExampleKind, sources: SourceInteraction[], request: string, answer: SourceInteraction): void => {
    const first = sources[0];
    const id = exampleId(kind, sources.map((s) => s.id));
    const parts = partitionExchange({ context: contexts.get(first.id), request, response: answer.response }, options.maxTokens);
    for (const part of parts) {
      out.push({
        id: parts.length === 1 ? id : `${id}-p${part.index}`,
        kind,
        synthetic: false,
        category: answer.category,
        patternId: answer.patternId,
        sourceIds: sources.map((s) => s.id),
        sessionId: first.sessionId,
        effectiveness: answer.effectiveness,
        messages: part.messages,
        part: parts.length === 1 ? undefined : { of: id, index: part.index, total: part.total },
        requestCondensed: part.requestCondensed || undefined,
        splitKey: answer.id,
      });
    }
  };

  session.forEach((interaction, i) => {
    if (!usable(interaction)) return;
    if (interaction.effectiveness >= options.minEffectiveness) emit('direct', [interaction], interaction.request, interaction);
    if (interaction.effectiveness < options.failedBelow) {
      const j = findFix(session, i, options);
      if (j !== undefined && usable(session[j])) emit('improvement', [interaction, session[j]], interaction.request, session[j]);
    }
  });
  return out;
}
