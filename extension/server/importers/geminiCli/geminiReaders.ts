// The two ways a Gemini CLI chat is read: the JSONL form line by line (always whole, since later
// lines update earlier messages), the legacy JSON as one document.
import { basename } from 'node:path';
import type { ImportEmitter } from '../importEmitter';
import type { LineInfo } from '../lineReader';
import { isObject, parseJsonLine, type JsonObject, type LineFormatReader } from '../readerSupport';
import { GeminiSession } from './geminiSession';

function fileKey(path: string): string {
  return basename(path).replace(/\.jsonl?$/, '');
}

export class GeminiJsonlReader implements LineFormatReader {
  private readonly chat = new GeminiSession();
  private end = 0;

  constructor(private readonly path: string, private readonly emitter: ImportEmitter, private readonly fileMtime: number) {}

  line(line: LineInfo): void {
    if (!line.unterminated) this.end = line.end;
    const record = parseJsonLine(line, this.emitter);
    if (record && !this.chat.record(record)) this.emitter.skipped();
  }

  finish(): void {
    this.chat.emit(fileKey(this.path), this.fileMtime, this.emitter);
  }

  resumeOffset(): number {
    return this.end;
  }
}

export function readGeminiDocument(document: unknown, path: string, fileMtime: number, emitter: ImportEmitter): void {
  const chat = new GeminiSession();
  if (isObject(document)) chat.metadata(document as JsonObject);
  chat.emit(fileKey(path), fileMtime, emitter);
}
