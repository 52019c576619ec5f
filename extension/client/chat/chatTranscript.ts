// Builds the messages a chat turn sends to the model: a short system prompt, the earlier turns of
// this conversation (only those addressed to @autodidact: that is all a participant sees), and the
// prompt with the attached references inlined.
import type { ChatMessage } from './gatewayClient';

export type HistoryTurn =
  | { kind: 'request'; prompt: string; command?: string }
  | { kind: 'response'; text: string };

export interface ResolvedReference {
  /** `src/a.ts:10-20`, `#selection`, a symbol name: recorded with the interaction. */
  label: string;
  /** The referenced content, cut to a budget; undefined when it could not be read. */
  text?: string;
}

export const SYSTEM_PROMPT = 'You are Autodidact, a coding assistant inside VS Code. Answer concisely. '
  + 'When you change code, give the complete changed code in one fenced code block with its language.';
/** Older turns beyond this are dropped: the model's window is better spent on the references. */
export const MAX_HISTORY_TURNS = 12;
const MAX_TURN_CHARS = 8_000;

export function buildChatMessages(history: readonly HistoryTurn[], prompt: string, command: string | undefined, references: readonly ResolvedReference[]): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM_PROMPT }];
  for (const turn of history.slice(-MAX_HISTORY_TURNS)) {
    if (turn.kind === 'request') messages.push({ role: 'user', content: clip(withCommand(turn.prompt, turn.command)) });
    else if (turn.text.trim()) messages.push({ role: 'assistant', content: clip(turn.text) });
  }
  messages.push({ role: 'user', content: withReferences(withCommand(prompt, command), references) });
  return messages;
}

export function withCommand(prompt: string, command: string | undefined): string {
  return command ? `/${command} ${prompt}`.trim() : prompt;
}

function withReferences(prompt: string, references: readonly ResolvedReference[]): string {
  const attached = references.filter((r) => r.text !== undefined);
  if (attached.length === 0) return prompt;
  const blocks = attached.map((r) => `### ${r.label}\n${fence(r.text!)}`);
  return `${prompt}\n\nAttached context:\n\n${blocks.join('\n\n')}`;
}

/** A fence longer than any backtick run inside the text, so attached markdown cannot close it. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}\n${text}\n${ticks}`;
}

function clip(text: string): string {
  return text.length > MAX_TURN_CHARS ? `${text.slice(0, MAX_TURN_CHARS)}\n[...]` : text;
}
