// The two ways a Gemini CLI chat is read: the JSONL form line by line (always whole, since later
// lines update earlier messages), the legacy JSON as one document. Either way only the turns that
// are new or changed since the last import are emitted (sessionTurnCursor.ts).
import { basename } from 'node:path';
import type { CaptureSink } from '../captureSink';
import type { ImportEmitter } from '../importEmitter';
import type { LineInfo } from '../lineReader';
import { isObject, parseJsonLine, type JsonObject, type LineFormatReader } from '../readerSupport';
import { emitStoredSession } from '../sessionTurnCursor';
import { GeminiSession } from './geminiSession';

function fileKey(path: string): string {
  return basename(path).replace(/\.jsonl?$/, '');
}

export class GeminiJsonlReader implements LineFormatReader {
  private readonly chat = new GeminiSession();
  private end = 0;

  constructor(private readonly path: string, private readonly emitter: ImportEmitter, private readonly sink: CaptureSink | undefined, private readonly fileMtime: number) {}

  line(line: LineInfo): void {
    if (!line.unterminated) this.end = line.end;
    const record = parseJsonLine(line, this.emitter);
    if (record && !this.chat.record(record)) this.emitter.skipped();
  }

  finish(): void {
    const stored = this.chat.build(fileKey(this.path), this.fileMtime);
    if (stored) emitStoredSession(stored, this.path, 'gemini-cli', this.emitter, this.sink);
  }

  resumeOffset(): number {
    return this.end;
  }
}

export function readGeminiDocument(document: unknown, path: string, fileMtime: number, emitter: ImportEmitter, sink: CaptureSink | undefined): void {
  const chat = new GeminiSession();
  if (isObject(document)) chat.metadata(document as JsonObject);
  const stored = chat.build(fileKey(path), fileMtime);
  if (stored) emitStoredSession(stored, path, 'gemini-cli', emitter, sink);
}
