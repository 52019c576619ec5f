// One exchange longer than the model's context becomes several examples instead of being cut off
// by the trainer (LLaMA-Factory's cutoff_len silently drops the end). After seed 001: partition the
// context, give every part the shared context it needs, and keep what lets the parts be aggregated
// back (index, total, and the exact text: the response pieces concatenate to the original).
//  - A long answer is split at line boundaries. Part 1 answers the request; parts 2..n answer
//    "Continue." with a system note naming the request and outlining the earlier parts.
//  - A request longer than half the budget is condensed: its head, its tail, and the lines in
//    between that carry signal (errors, failures, warnings), with a marker saying how much was left
//    out. The example is flagged so the export stats count it.
import { approxTokens, type ChatMessage } from './trainingExample';

export interface Exchange {
  /** Shared context (the session summary), repeated in every part. */
  context?: string;
  request: string;
  response: string;
}

export interface ExchangePart {
  messages: ChatMessage[];
  index: number;
  total: number;
  requestCondensed: boolean;
}

/** Tokens reserved in parts 2..n for the note that ties them to the request. */
const PART_NOTE_TOKENS = 160;
const CONTINUE = 'Continue.';
const SIGNAL_LINE = /error|exception|fail|warn|traceback|panic|fatal|denied|not found|cannot|undefined|expected/i;

export function partitionExchange(exchange: Exchange, maxTokens: number): ExchangePart[] {
  const contextTokens = exchange.context ? approxTokens(exchange.context) + 4 : 0;
  const whole = contextTokens + approxTokens(exchange.request) + approxTokens(exchange.response) + 8;
  if (whole <= maxTokens) {
    return [{ messages: messagesOf(exchange.context, exchange.request, exchange.response), index: 1, total: 1, requestCondensed: false }];
  }
  const budget = maxTokens - contextTokens - PART_NOTE_TOKENS - 8;
  if (budget < 64) throw new Error(`maxTokens ${maxTokens} leaves no room for text after the ${contextTokens}-token session context`);
  const requestCondensed = approxTokens(exchange.request) > Math.floor(budget / 2);
  const request = requestCondensed ? condenseRequest(exchange.request, Math.floor(budget / 2) * 4) : exchange.request;
  const pieces = splitAtLines(exchange.response, (budget - approxTokens(request)) * 4);
  const head = exchange.request.trim().slice(0, 300);
  return pieces.map((piece, i) => {
    if (i === 0) return { messages: messagesOf(exchange.context, request, piece), index: 1, total: pieces.length, requestCondensed };
    const outline = pieces.slice(Math.max(0, i - 5), i).map((p) => `  - ${p.trim().split('\n', 1)[0].slice(0, 80)}`).join('\n');
    const note = `This continues a long answer (part ${i + 1} of ${pieces.length}) to the request: "${head}${exchange.request.length > 300 ? '…' : ''}"\nThe previous parts began:\n${outline}`;
    const system = [exchange.context, note.slice(0, PART_NOTE_TOKENS * 4)].filter(Boolean).join('\n\n');
    return { messages: messagesOf(system, CONTINUE, piece), index: i + 1, total: pieces.length, requestCondensed };
  });
}

/** Joining the parts' answers gives back the original response, character for character. */
export function aggregateResponse(parts: readonly ExchangePart[]): string {
  return [...parts].sort((a, b) => a.index - b.index).map((p) => p.messages[p.messages.length - 1].content).join('');
}

function messagesOf(system: string | undefined, user: string, assistant: string): ChatMessage[] {
  const messages: ChatMessage[] = system ? [{ role: 'system', content: system }] : [];
  messages.push({ role: 'user', content: user }, { role: 'assistant', content: assistant });
  return messages;
}

/** Pieces of at most maxChars, cut after a newline where possible (else after a space, else hard). */
export function splitAtLines(text: string, maxChars: number): string[] {
  const size = Math.max(64, Math.floor(maxChars));
  const pieces: string[] = [];
  let from = 0;
  while (text.length - from > size) {
    const window = text.slice(from, from + size);
    let cut = window.lastIndexOf('\n') + 1;
    if (cut < size / 2) cut = window.lastIndexOf(' ') + 1;
    if (cut < size / 2) cut = size;
    pieces.push(text.slice(from, from + cut));
    from += cut;
  }
  pieces.push(text.slice(from));
  return pieces;
}

/** Head, tail and the signal-carrying lines between them, within maxChars. */
export function condenseRequest(request: string, maxChars: number): string {
  const headChars = Math.floor(maxChars * 0.35);
  const tailChars = Math.floor(maxChars * 0.35);
  const head = request.slice(0, headChars);
  const tail = request.slice(request.length - tailChars);
  const middle = request.slice(headChars, request.length - tailChars);
  const room = maxChars - headChars - tailChars - 120;
  const kept: string[] = [];
  let used = 0;
  for (const line of middle.split('\n')) {
    if (!SIGNAL_LINE.test(line)) continue;
    const clipped = line.length > 300 ? `${line.slice(0, 300)}…` : line;
    if (used + clipped.length + 1 > room) break;
    kept.push(clipped);
    used += clipped.length + 1;
  }
  const omitted = middle.length - used;
  const marker = `\n[… ${omitted} of ${request.length} characters condensed; ${kept.length} line${kept.length === 1 ? '' : 's'} with errors or warnings kept …]\n`;
  return `${head}${marker}${kept.join('\n')}${kept.length ? '\n[…]\n' : ''}${tail}`;
}
