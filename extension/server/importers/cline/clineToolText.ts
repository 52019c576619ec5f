// Cline and Roo Code before native tool calling wrote tool calls as XML in the assistant's text
// (`<read_file><path>x</path></read_file>`) and got results back as user text headed
// `[read_file for 'x'] Result:`. These helpers read both directions.
import type { FileChangeKind } from '../../../protocol/records';

/** Tool names of Cline, Roo Code and the Cline SDK; only these are parsed as XML calls. */
const TOOL_NAMES = [
  'execute_command', 'read_file', 'write_to_file', 'replace_in_file', 'apply_diff', 'insert_content', 'search_and_replace',
  'search_files', 'list_files', 'list_code_definition_names', 'codebase_search', 'browser_action', 'use_mcp_tool',
  'access_mcp_resource', 'ask_followup_question', 'attempt_completion', 'new_task', 'switch_mode', 'plan_mode_respond',
  'update_todo_list', 'fetch_instructions', 'load_mcp_documentation', 'new_rule', 'report_bug', 'condense', 'web_fetch',
  'edit_file', 'search_replace', 'apply_patch', 'generate_image', 'run_slash_command', 'simple_read_file', 'focus_chain',
];
const TOOL_SET = new Set(TOOL_NAMES);

/** Tools that write a file, and whether a successful call creates it. */
export const CLINE_EDIT_TOOLS: Record<string, FileChangeKind> = {
  write_to_file: 'edit', replace_in_file: 'edit', apply_diff: 'edit', insert_content: 'edit', search_and_replace: 'edit',
  edit_file: 'edit', search_replace: 'edit', apply_patch: 'edit', editor: 'edit', multi_apply_diff: 'edit', new_file: 'create',
};

export interface XmlToolCall {
  name: string;
  path?: string;
  /** execute_command's command line, to read its result as a test run or not. */
  command?: string;
}

const XML_CALL = new RegExp(`<(${TOOL_NAMES.join('|')})>([\\s\\S]*?)(?:</\\1>|$)`, 'g');
const THINKING = /<thinking>[\s\S]*?<\/thinking>\s*/g;

function tag(inner: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(inner);
  return match ? match[1].trim() : undefined;
}

/** Tool calls in an assistant text, and the text with the calls and <thinking> taken out. */
export function parseXmlToolCalls(text: string): { calls: XmlToolCall[]; prose: string } {
  const calls: XmlToolCall[] = [];
  const prose = text.replace(XML_CALL, (_match, name: string, inner: string) => {
    if (!TOOL_SET.has(name)) return _match;
    calls.push({ name, path: tag(inner, 'path'), command: tag(inner, 'command') });
    // The answer of attempt_completion is the assistant's final word: keep it as prose.
    return name === 'attempt_completion' ? tag(inner, 'result') ?? '' : '';
  }).replace(THINKING, '').trim();
  return { calls, prose };
}

export interface ResultHeader {
  name: string;
  /** Text after "Result:" in the same block. */
  inline: string;
}

/** `[write_to_file for 'a.ts'] Result:`, `[new_task in 🪲 Debug mode: '…'] Result:`, `[attempt_completion] Result:`. */
export function parseResultHeader(text: string): ResultHeader | undefined {
  const match = /^\[([a-z_]+)\b/.exec(text);
  if (!match || (!TOOL_SET.has(match[1]) && match[1] !== 'ERROR')) return undefined;
  const end = text.indexOf('] Result:');
  if (end === -1) return undefined;
  return { name: match[1], inline: text.slice(end + '] Result:'.length).trim() };
}

const FAILURE = /The tool execution failed|<error>|^Error\b|\[ERROR\]|The user denied this operation|^Unable to apply diff|^Failed to /m;

export function resultFailed(body: string): boolean {
  return FAILURE.test(body);
}

/** The user's words inside a result or message, when it carries new instructions. */
export function userWords(text: string): { kind: 'feedback' | 'continuation' | 'task'; text: string } | undefined {
  const continuation = /New instructions for task continuation:\s*<user_message>\s*([\s\S]*?)\s*<\/user_message>/.exec(text);
  if (continuation) return { kind: 'continuation', text: continuation[1] };
  const feedback = /<feedback>\s*([\s\S]*?)\s*<\/feedback>/.exec(text);
  if (feedback) return { kind: 'feedback', text: feedback[1] };
  const task = /^\s*<task>\s*([\s\S]*?)\s*<\/task>/.exec(text);
  if (task) return { kind: 'task', text: task[1] };
  return undefined;
}

/**
 * Text Cline or Roo put in the user's turn that the user did not write: the resume prompt
 * ("[TASK RESUMPTION] This task was interrupted…"), the reprimand for an answer with no tool call,
 * and the summary that replaces a condensed context. None of them is a request.
 */
export function injectedUserText(text: string): 'resume' | 'no_tool' | 'condensed' | undefined {
  const trimmed = text.trimStart();
  if (/^\[TASK RESUMPTION\]/.test(trimmed)) return 'resume';
  if (/^\[ERROR\] You did not use a tool in your previous response/.test(trimmed)) return 'no_tool';
  if (/^This session is being continued from a previous conversation|The user has accepted the condensed conversation summary|^<condensed_conversation_summary>|^\[Context (?:condensed|summary)\]/i.test(trimmed)) return 'condensed';
  return undefined;
}

