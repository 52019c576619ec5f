// Writes a large Claude Code session JSONL with the shape and size mix of real sessions: requests,
// thinking, text, Read/Grep/Bash/Edit/Write calls whose results are 1–20 KB and now and then
// 60–150 KB (a big file read), file-history snapshots and progress records, and a rare email or
// token for redaction to find. Deterministic (seeded), streamed to disk.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

class Random {
  constructor(private seed: number) {}
  next(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
    return this.seed / 2147483648;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}

const WORDS = 'the parser config module request handler returns error value cache index session build test file path import export function const async await string number'.split(' ');
const CODE = [
  'export function parse(input: string): Node[] {', '  const tokens = tokenize(input);', '  if (tokens.length === 0) return [];',
  '  for (const token of tokens) {', '    visit(token, (node) => nodes.push(node));', '  }', '  return nodes;', '}', '',
  "import { readFile } from 'node:fs/promises';", 'const cache = new Map<string, Result>();',
];

function prose(r: Random, words: number): string {
  return Array.from({ length: words }, () => WORDS[r.int(0, WORDS.length - 1)]).join(' ');
}

function code(r: Random, bytes: number): string {
  let out = '';
  let line = 1;
  while (out.length < bytes) out += `${String(line++).padStart(6)}→${CODE[r.int(0, CODE.length - 1)]}\n`;
  return out;
}

export async function writeClaudeLog(path: string, targetBytes: number): Promise<{ bytes: number; lines: number; longest: number }> {
  const r = new Random(42);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  let lines = 0;
  let longest = 0;
  let clock = Date.parse('2025-11-01T08:00:00.000Z');
  let uuid = 0;
  let parent: string | null = null;
  const sessionId = 'b0b0b0b0-1111-4222-8333-444444444444';
  const emit = async (record: Record<string, unknown>): Promise<void> => {
    const id = `00000000-0000-4000-8000-${String(++uuid).padStart(12, '0')}`;
    clock += r.int(200, 4000);
    const line = `${JSON.stringify({ parentUuid: parent, isSidechain: false, userType: 'external', cwd: '/home/dev/project', sessionId, version: '2.0.14', gitBranch: 'main', uuid: id, timestamp: new Date(clock).toISOString(), ...record })}\n`;
    parent = id;
    const size = Buffer.byteLength(line);
    bytes += size;
    lines++;
    longest = Math.max(longest, size);
    if (!out.write(line)) await once(out, 'drain');
  };
  let turn = 0;
  while (bytes < targetBytes) {
    turn++;
    const secret = turn % 97 === 0 ? ` (contact maintainer${turn}@example.org)` : '';
    await emit({ type: 'user', message: { role: 'user', content: `${prose(r, r.int(15, 200))}${secret}` } });
    const messageId = `msg_${turn}`;
    await emit({ type: 'assistant', requestId: `req_${turn}`, message: { id: messageId, role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'thinking', thinking: prose(r, r.int(50, 400)), signature: 'x'.repeat(300) }] } });
    for (let call = 0; call < r.int(2, 8); call++) {
      const id = `toolu_${turn}_${call}`;
      const file = `/home/dev/project/src/${WORDS[r.int(0, WORDS.length - 1)]}${r.int(1, 50)}.ts`;
      const kind = r.int(0, 9);
      if (kind <= 3) {
        const big = r.next() < 0.04;
        const content = code(r, big ? r.int(60_000, 150_000) : r.int(1_000, 20_000));
        await emit({ type: 'assistant', message: { id: messageId, role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'tool_use', id, name: 'Read', input: { file_path: file } }] } });
        await emit({ type: 'user', message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content }] }, toolUseResult: { type: 'text', file: { filePath: file, content, numLines: content.split('\n').length } } });
      } else if (kind <= 5) {
        const edit = { file_path: file, old_string: CODE[1], new_string: CODE[2] };
        const original = code(r, r.int(2_000, 30_000));
        await emit({ type: 'assistant', message: { id: messageId, role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'tool_use', id, name: 'Edit', input: edit }] } });
        await emit({ type: 'user', message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: `The file ${file} has been updated.` }] },
          toolUseResult: { filePath: file, oldString: edit.old_string, newString: edit.new_string, originalFile: original, structuredPatch: [{ oldStart: 2, oldLines: 1, newStart: 2, newLines: 1, lines: [`-${CODE[1]}`, `+${CODE[2]}`] }] } });
        await emit({ type: 'file-history-snapshot', messageId: `m${turn}`, snapshot: { messageId: `m${turn}`, trackedFileBackups: { [file]: { version: 1 } }, timestamp: new Date(clock).toISOString() }, isSnapshotUpdate: true });
      } else {
        const failed = r.next() < 0.2;
        const stdout = prose(r, r.int(20, 800));
        await emit({ type: 'assistant', message: { id: messageId, role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'tool_use', id, name: kind <= 7 ? 'Bash' : 'Grep', input: { command: 'npm test', description: 'Run the tests' } }] } });
        await emit({ type: 'progress', data: { type: 'bash_progress', output: stdout.slice(0, 200) }, toolUseID: id });
        await emit({ type: 'user', message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: failed ? `Error: Exit code 1\n${stdout}` : stdout, is_error: failed }] }, toolUseResult: { stdout, stderr: '', interrupted: false } });
      }
    }
    await emit({ type: 'assistant', requestId: `req_${turn}b`, message: { id: `${messageId}b`, role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: prose(r, r.int(30, 300)) }], stop_reason: 'end_turn' } });
  }
  out.end();
  await once(out, 'finish');
  return { bytes, lines, longest };
}
