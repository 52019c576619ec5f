// Distillation with a model (issue 13): the live version through the trainer-server's gateway, or
// the editor's chat model through vscode.lm, writes the lesson. The model is shown only what the
// user said and the code of the two answers, never the assistant's prose, so self-praise ("this is
// now correct") cannot become a lesson; and its answer is kept only when it is one short rule in the
// asked form, about the words and code of this exchange. Anything else (a garbled answer, a rule
// about nothing here, an answer about the assistant) returns undefined and the extractor decides.
import type { CorrectionExchange } from './correctionExchanges';
import { codeOf, codeTokens, tokenDifference, allTokens } from './codeTokens';
import { distilLesson, MAX_LESSON_CHARS, type LessonDraft } from './lessonExtractor';
import { contentWords } from './lessonWords';

/** One prompt in, the model's text out (the gateway, or vscode.lm in the editor). */
export type PromptModel = (prompt: string) => Promise<string>;

const MAX_CODE_CHARS = 1200;
const MAX_WORDS_CHARS = 600;
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max)}\n…`);

export function distillationPrompt(exchange: CorrectionExchange): string {
  const attempt = codeOf(exchange.attempt.response).trim();
  const fix = codeOf(exchange.fix.response).trim();
  return [
    'A coding assistant got a request wrong and the user corrected it. Write the rule the user taught, so the mistake never happens again on a similar request.',
    '',
    `Request: ${clip(exchange.attempt.request.trim(), MAX_WORDS_CHARS)}`,
    attempt ? `Code of the wrong answer:\n${clip(attempt, MAX_CODE_CHARS)}` : 'The wrong answer had no code.',
    `What the user said: ${clip(exchange.correction.trim(), MAX_WORDS_CHARS)}`,
    fix ? `Code of the answer the user accepted:\n${clip(fix, MAX_CODE_CHARS)}` : 'The accepted answer had no code.',
    '',
    // One worked example from another subject instead of a template: a small model copies a
    // template's placeholders verbatim, and a copied example shares no words with this exchange, so
    // parseDistilled refuses it.
    'Answer with exactly two lines, like this example from another project:',
    'LESSON: Build file paths with `path.join`, never by adding strings.',
    'WHEN: building file paths',
  ].join('\n');
}

/** Rules about the assistant or the answer's quality are self-praise or apology, never a project rule. */
const ABOUT_THE_ASSISTANT = /\b(?:I|I'm|I've|my|me|assistant|AI|apolog\w*|sorry|great job|well done|perfect(?:ly)?|best practices?)\b/i;
const LESSON_LINE = /^\s*\**\s*LESSON\s*\**\s*:\s*(.+)$/im;
const WHEN_LINE = /^\s*\**\s*WHEN\s*\**\s*:\s*(.+)$/im;

/** The draft a model's answer gives, or undefined when it is not usable (see the file comment). */
export function parseDistilled(answer: string, exchange: CorrectionExchange): LessonDraft | undefined {
  const lessonMatch = answer.match(LESSON_LINE);
  if (!lessonMatch) return undefined;
  const text = lessonMatch[1].replace(/\s+/g, ' ').replace(/^["'“]|["'”]$/g, '').trim();
  if (text.length < 12 || text.length > MAX_LESSON_CHARS || ABOUT_THE_ASSISTANT.test(text) || /<[^>\n]+>/.test(text)) return undefined; // <placeholder> echoed
  const words = contentWords(text);
  if (words.length < 2 || new Set(words).size < words.length * 0.6) return undefined; // repetition: a degenerate answer
  // Grounded: the rule speaks of this exchange's words or code, not of something the model made up.
  const diff = tokenDifference(codeTokens(exchange.attempt.response), codeTokens(exchange.fix.response));
  const exchangeWords = new Set(contentWords([exchange.attempt.request, exchange.correction, ...diff.added, ...diff.removed].join(' ')));
  const codeNames = new Set([...allTokens(codeTokens(exchange.fix.response)), ...allTokens(codeTokens(exchange.attempt.response))]);
  const shared = words.filter((w) => exchangeWords.has(w)).length;
  const namesCode = [...text.matchAll(/`([^`]+)`/g)].some((m) => codeNames.has(m[1].replace(/\(\)$/, '')));
  if (shared < 2 && !namesCode) return undefined;
  // Trigger, tags and evidence as the extractor gives them (the request's words), with the model's WHEN words.
  const base = distilLesson(exchange);
  const when = contentWords(answer.match(WHEN_LINE)?.[1] ?? '');
  const requestWords = contentWords(exchange.attempt.request);
  const trigger = [...new Set([...(base?.trigger.split(' ') ?? requestWords), ...when.filter((w) => requestWords.includes(w) || exchangeWords.has(w))])].filter(Boolean).slice(0, 12);
  return {
    text: /[.!]$/.test(text) ? text : `${text}.`,
    trigger: trigger.join(' '),
    tags: base?.tags ?? [],
    evidence: [exchange.attempt.id, exchange.fix.id],
  };
}

/**
 * A LessonDistiller for LessonBook.learn over a prompt model. A model that fails (unreachable, an
 * error answer) is not asked again in this pass: the rest falls back to the extractor at once.
 */
export function modelDistiller(model: PromptModel, log: (message: string) => void = () => undefined): (exchange: CorrectionExchange) => Promise<LessonDraft | undefined> {
  let broken = false;
  return async (exchange) => {
    if (broken) return undefined;
    let answer: string;
    try {
      answer = await model(distillationPrompt(exchange));
    } catch (error) {
      broken = true;
      log(`distilling with the model failed (${(error as Error).message}); the extractor distils instead`);
      return undefined;
    }
    const draft = parseDistilled(answer, exchange);
    if (!draft) log(`the model's answer for ${exchange.attempt.id} was not a usable rule; the extractor distils it`);
    return draft;
  };
}

/**
 * The live version through the trainer-server's gateway: temperature 0, and `x-autodidact-recall:
 * measure` so no lesson is recalled into the prompt and the exchange is not captured as the user's work.
 */
export function gatewayPromptModel(trainerUrl: string, token: string, maxTokens = 80, timeoutMs = 120_000): PromptModel {
  const endpoint = `${new URL(trainerUrl.replace(/^ws(s?):/, 'http$1:')).origin}/v1/chat/completions`;
  return async (prompt) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-autodidact-recall': 'measure' },
      body: JSON.stringify({ model: 'autodidact', messages: [{ role: 'user', content: prompt }], max_tokens: maxTokens, temperature: 0 }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.json() as { choices?: Array<{ message?: { content?: string } }>; error?: { message?: string } };
    if (!response.ok) throw new Error(`gateway ${response.status}: ${body.error?.message ?? 'no message'}`);
    return body.choices?.[0]?.message?.content ?? '';
  };
}
