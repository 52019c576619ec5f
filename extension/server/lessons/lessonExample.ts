// A lesson's worked example: the request the assistant first got wrong and the code of the fix the
// user accepted. Recall shows it as an earlier exchange right after the rule, because a rule alone
// compresses away the detail that makes it usable (seed 003: "natural introspection tends to
// over-generalise"), and a small model follows a shown fix far more often than a stated rule
// (test/bench/lessons/recallPlacement.py: 20/40 answers with the example vs 9/40 with the rule alone).
import type { LessonExample } from '../../protocol/records';
import { redactText } from '../../shared/redaction/redactText';
import { fencedBlocks } from './codeTokens';
import type { CorrectionExchange } from './correctionExchanges';

/** Examples stay short: they are prefilled on every request that recalls the lesson. */
export const MAX_EXAMPLE_REQUEST_CHARS = 240;
export const MAX_EXAMPLE_ANSWER_CHARS = 600;

/** The example of a correction exchange, or undefined when the fix shows no code to follow. */
export function exampleOf(exchange: Pick<CorrectionExchange, 'attempt' | 'fix'>): LessonExample | undefined {
  const request = clip(exchange.attempt.request.trim(), MAX_EXAMPLE_REQUEST_CHARS);
  const blocks = fencedBlocks(exchange.fix.response).map((b) => ({ ...b, code: b.code.replace(/\s+$/, '') })).filter((b) => b.code.trim());
  if (!request || blocks.length === 0) return undefined;
  // The first block that fits (the fix's main code); a longer one is cut at a line boundary.
  const { lang, code } = blocks[0];
  const answer = `\`\`\`${lang}\n${clipLines(code, MAX_EXAMPLE_ANSWER_CHARS)}\n\`\`\``;
  // Capture and import already redact; an example also leaves the store (lessons.json), so check again.
  return { request: redactText(request), answer: redactText(answer) };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function clipLines(code: string, max: number): string {
  if (code.length <= max) return code;
  const lines = code.split('\n');
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size + line.length + 1 > max) break;
    kept.push(line);
    size += line.length + 1;
  }
  return kept.length > 0 ? kept.join('\n') : code.slice(0, max);
}
