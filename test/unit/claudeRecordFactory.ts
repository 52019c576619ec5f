// Builds Claude Code JSONL records shaped like the real ones in ../shared (same keys, same nesting),
// for hand-made cases and the import benchmark.

export interface ClaudeRecordOptions {
  sessionId?: string;
  cwd?: string;
  isSidechain?: boolean;
  agentId?: string;
}

export class ClaudeRecordFactory {
  private counter = 0;
  private clock: number;
  private parent: string | null = null;

  constructor(private readonly options: ClaudeRecordOptions = {}, start = Date.parse('2025-10-01T09:00:00.000Z')) {
    this.clock = start;
  }

  private base(type: string): Record<string, unknown> {
    const uuid = `00000000-0000-4000-8000-${String(++this.counter).padStart(12, '0')}`;
    this.clock += 1000;
    const record: Record<string, unknown> = {
      parentUuid: this.parent, isSidechain: this.options.isSidechain ?? false, userType: 'external',
      cwd: this.options.cwd ?? '/home/dev/project', sessionId: this.options.sessionId ?? 'aaaaaaaa-1111-4222-8333-444444444444',
      version: '2.0.14', gitBranch: 'main', type, uuid, timestamp: new Date(this.clock).toISOString(),
    };
    if (this.options.agentId) record.agentId = this.options.agentId;
    this.parent = uuid;
    return record;
  }

  user(text: string, extra: Record<string, unknown> = {}): string {
    return JSON.stringify({ ...this.base('user'), message: { role: 'user', content: text }, ...extra });
  }

  assistantText(text: string, messageId = `msg_${this.counter}`): string {
    return JSON.stringify({
      ...this.base('assistant'),
      message: { id: messageId, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text }], stop_reason: null, usage: { input_tokens: 10, output_tokens: 20 } },
      requestId: `req_${this.counter}`,
    });
  }

  toolUse(id: string, name: string, input: Record<string, unknown>): string {
    return JSON.stringify({
      ...this.base('assistant'),
      message: { id: `msg_${this.counter}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'tool_use', id, name, input }], stop_reason: 'tool_use' },
    });
  }

  toolResult(id: string, content: string, isError = false, toolUseResult: unknown = undefined): string {
    return JSON.stringify({
      ...this.base('user'),
      message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content, is_error: isError }] },
      ...(toolUseResult === undefined ? {} : { toolUseResult }),
    });
  }

  raw(record: Record<string, unknown>): string {
    return JSON.stringify({ ...this.base(String(record.type ?? 'unknown')), ...record });
  }
}

/** A complete turn: request, a Read, an Edit with its patch, a failing Bash, an answer. */
export function claudeTurn(f: ClaudeRecordFactory, n: number, filler = ''): string[] {
  const path = `/home/dev/project/src/module${n}.ts`;
  return [
    f.user(`Please fix the bug number ${n} in module${n}.ts${filler}`),
    f.assistantText(`Looking at module${n}.ts first.`),
    f.toolUse(`toolu_read_${n}`, 'Read', { file_path: path }),
    f.toolResult(`toolu_read_${n}`, `     1→export const value${n} = ${n};${filler}`),
    f.toolUse(`toolu_edit_${n}`, 'Edit', { file_path: path, old_string: `value${n} = ${n}`, new_string: `value${n} = ${n + 1}` }),
    f.toolResult(`toolu_edit_${n}`, `The file ${path} has been updated.`, false, {
      filePath: path, oldString: `value${n} = ${n}`, newString: `value${n} = ${n + 1}`,
      structuredPatch: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: [`-export const value${n} = ${n};`, `+export const value${n} = ${n + 1};`] }],
    }),
    f.toolUse(`toolu_bash_${n}`, 'Bash', { command: 'npm test', description: 'Run tests' }),
    f.toolResult(`toolu_bash_${n}`, 'Error: Exit code 1\nFAIL src/module.test.ts', true),
    f.assistantText(`Fixed module${n}.ts; one test still fails.`),
  ];
}
