// Cursor agent transcripts (`~/.cursor/projects/<project>/agent-transcripts/<id>/<id>.jsonl`): one
// line per message, `{role, message: {content: [text | tool_use{name, input}]}}`. They record no
// times, ids or tool results: turns are located by byte offset and timed by their place in the file
// (TurnLineReader.positionTime), and an edit tool's call is taken as the edit (no result says otherwise).
import { basename } from 'node:path';
import type { FileChangeKind } from '../../../protocol/records';
import type { ImportEmitter } from '../importEmitter';
import type { LineInfo } from '../lineReader';
import { isObject, str, titleFrom, type JsonObject } from '../readerSupport';
import { TurnLineReader } from '../turnLineReader';

const EDIT_TOOLS: Record<string, FileChangeKind> = {
  Write: 'edit', StrReplace: 'edit', Edit: 'edit', MultiEdit: 'edit', EditNotebook: 'edit', Delete: 'delete', ApplyPatch: 'edit',
};

/** The request inside Cursor's `<user_query>` wrapper; other injected blocks are dropped. */
export function cursorUserText(text: string): string {
  const query = /<user_query>([\s\S]*?)<\/user_query>/.exec(text);
  return (query ? query[1] : text).trim();
}

export class CursorTranscriptReader extends TurnLineReader {
  /** `fileCreated`: the file's creation time (its mtime where the file system keeps none). */
  constructor(path: string, emitter: ImportEmitter, startOffset: number, fileCreated: number) {
    super('cursor', `transcript:${basename(path, '.jsonl')}`, emitter, startOffset, fileCreated);
    this.session.seen(fileCreated);
  }

  header(line: LineInfo): boolean {
    let record: unknown;
    try { record = JSON.parse(line.text); } catch { return true; }
    if (isObject(record) && record.role === 'user') {
      this.session.title ??= titleFrom(cursorUserText(this.text(record)));
      return false;
    }
    return true;
  }

  private blocks(record: JsonObject): JsonObject[] {
    const message = isObject(record.message) ? record.message : record;
    return Array.isArray(message.content) ? message.content.filter(isObject) : [];
  }

  private text(record: JsonObject): string {
    return this.blocks(record).flatMap((block) => (block.type === 'text' && typeof block.text === 'string' ? [block.text] : [])).join('\n');
  }

  protected record(record: JsonObject, line: LineInfo): void {
    const at = this.positionTime(line);
    if (record.role === 'user') {
      const text = cursorUserText(this.text(record));
      if (text === '') return;
      this.turnForRequest(line, at).addRequest(text);
      this.session.title ??= titleFrom(text);
      return;
    }
    if (record.role !== 'assistant') {
      this.emitter.skipped();
      return;
    }
    const draft = this.turnForOutput(line, at);
    for (const [index, block] of this.blocks(record).entries()) {
      if (block.type === 'text') {
        draft.addResponse(str(block.text) ?? '');
      } else if (block.type === 'tool_use') {
        const name = str(block.name) ?? 'tool';
        draft.addToolCall({ name });
        const input = isObject(block.input) ? block.input : {};
        const path = str(input.path) ?? str(input.file_path) ?? str(input.target_file);
        const kind = EDIT_TOOLS[name];
        if (kind && path) draft.applyEdit({ path, kind, tool: name, at, key: `byte:${line.start}:${index}` });
      } else {
        draft.hasAssistantActivity = true;
      }
    }
  }
}
