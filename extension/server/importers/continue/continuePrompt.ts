// Continue's dev_data `chatInteraction.prompt` is the whole prompt as sent to the model: system
// rules, the earlier turns, files the user attached, then what the user just typed. Only that last
// instruction is the request; the rest is context. Continue renders the messages as
// `<role>\ncontent\n\n` blocks; a prompt rendered through a model's own chat template (ChatML,
// Llama 3, [INST]) is read the same way. A prompt in no known layout is kept whole.

export interface PromptParts {
  /** What the user asked in this turn. */
  request: string;
  /** Titles of the files or snippets pasted before the instruction (the fence info strings). */
  attached: string[];
  /** True when the prompt had a layout the reader knows (roles were found). */
  structured: boolean;
}

interface Turn { role: string; text: string }

const ROLE_BLOCK = /^<(system|user|assistant|tool|thinking)>\n/gm;

export function promptParts(prompt: string): PromptParts {
  const turns = continueTurns(prompt) ?? chatmlTurns(prompt) ?? llama3Turns(prompt) ?? instTurns(prompt);
  const lastUser = turns?.filter((t) => t.role === 'user').at(-1);
  if (!turns || !lastUser) return { request: prompt.trim(), attached: [], structured: false };
  const { text, attached } = withoutLeadingAttachments(lastUser.text);
  return { request: text, attached, structured: true };
}

/** `<think>…</think>` (DeepSeek-R1, QwQ and others through Ollama) is reasoning, not the answer. */
export function withoutThinking(text: string): { answer: string; reasoning: string } {
  const reasoning: string[] = [];
  const answer = text.replace(/<think>([\s\S]*?)(?:<\/think>|$)/g, (_m, inner: string) => {
    reasoning.push(inner.trim());
    return '';
  });
  return { answer: answer.trim(), reasoning: reasoning.join('\n\n') };
}

function continueTurns(prompt: string): Turn[] | undefined {
  const starts = [...prompt.matchAll(ROLE_BLOCK)];
  if (starts.length === 0 || starts[0].index !== prompt.search(/\S/)) return undefined;
  return starts.map((m, i) => ({
    role: m[1],
    text: prompt.slice(m.index + m[0].length, i + 1 < starts.length ? starts[i + 1].index : prompt.length).trim(),
  }));
}

function chatmlTurns(prompt: string): Turn[] | undefined {
  const turns = [...prompt.matchAll(/<\|im_start\|>(\w+)\n([\s\S]*?)(?:<\|im_end\|>|$)/g)];
  return turns.length === 0 ? undefined : turns.map((m) => ({ role: m[1], text: m[2].trim() }));
}

function llama3Turns(prompt: string): Turn[] | undefined {
  const turns = [...prompt.matchAll(/<\|start_header_id\|>(\w+)<\|end_header_id\|>\s*([\s\S]*?)(?:<\|eot_id\|>|$)/g)];
  return turns.length === 0 ? undefined : turns.map((m) => ({ role: m[1], text: m[2].trim() }));
}

function instTurns(prompt: string): Turn[] | undefined {
  const turns = [...prompt.matchAll(/\[INST\]([\s\S]*?)\[\/INST\]/g)];
  return turns.length === 0 ? undefined : turns.map((m) => ({ role: 'user', text: m[1].replace(/<<SYS>>[\s\S]*?<<\/SYS>>/, '').trim() }));
}

/**
 * Continue puts the attached context items (files, selections, @-mentions) before the typed text,
 * each as a fenced block. Those blocks are context; what follows them is the instruction.
 */
function withoutLeadingAttachments(text: string): { text: string; attached: string[] } {
  const attached: string[] = [];
  let rest = text.trimStart();
  for (;;) {
    const fence = /^(`{3,})([^\n]*)\n[\s\S]*?\n\1[ \t]*(?:\n|$)/.exec(rest);
    if (!fence) break;
    const after = rest.slice(fence[0].length).trimStart();
    if (after === '') break; // the message is only code: the code is what the user sent
    if (fence[2].trim() !== '') attached.push(fence[2].trim());
    rest = after;
  }
  return { text: rest.trim(), attached };
}
