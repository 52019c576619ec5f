// Small pieces every format reader needs: the reader contracts, tolerant JSON line parsing, time
// conversion, and a session accumulator.
import type { InteractionSource, SessionRecord } from '../../protocol/records';
import type { ImportEmitter } from './importEmitter';
import type { LineInfo } from './lineReader';
import { stableId } from './stableId';

/** A reader for a line-oriented format that can resume from a byte offset. */
export interface LineFormatReader {
  /** On resume, fed lines from the file's start until it returns false, to recover session facts
   * (id, workspace, start time) that only the head carries. */
  header?(line: LineInfo): boolean;
  line(line: LineInfo): void;
  /** End of input: emit what is still open. */
  finish(): void;
  /** Byte offset the next import starts from: the first line of the interaction still open. */
  resumeOffset(): number;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The object a JSON text holds; undefined when the text is not JSON or holds something else. */
export function parseJsonObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A field that formats write as an object or as a JSON string of one (tool arguments, results): that object, or {}. */
export function asJsonObject(value: unknown): JsonObject {
  if (isObject(value)) return value;
  return (typeof value === 'string' ? parseJsonObject(value) : undefined) ?? {};
}

/**
 * Parses one JSONL line. A line that does not parse is counted: as truncated when it is the
 * unterminated last line (still being written), otherwise as unreadable.
 */
export function parseJsonLine(line: LineInfo, emitter: ImportEmitter): JsonObject | undefined {
  const text = line.text.trim();
  if (text === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (isObject(value)) return value;
    emitter.unreadable(`line at byte ${line.start}: not a JSON object`);
    return undefined;
  } catch {
    if (line.unterminated) emitter.truncated();
    else emitter.unreadable(`line at byte ${line.start}: invalid JSON`);
    return undefined;
  }
}

/** Epoch ms from an ISO string, epoch ms or epoch seconds. */
export function toEpochMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? Math.round(value * 1000) : value;
  if (typeof value === 'string' && value !== '') {
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
    const asNumber = Number(value);
    if (Number.isFinite(asNumber)) return toEpochMs(asNumber);
  }
  return undefined;
}

/** What is known about one session while its file is read; emitted whenever it changes enough. */
export class SessionAccumulator {
  readonly id: string;
  title?: string;
  workspace?: string;
  model?: string;
  startedAt?: number;
  endedAt?: number;

  constructor(readonly source: InteractionSource, readonly nativeKey: string) {
    this.id = stableId(source, 'session', nativeKey);
  }

  seen(at: number | undefined): void {
    if (at === undefined) return;
    if (this.startedAt === undefined || at < this.startedAt) this.startedAt = at;
    if (this.endedAt === undefined || at > this.endedAt) this.endedAt = at;
  }

  record(fallbackStart: number): SessionRecord {
    return {
      id: this.id,
      source: this.source,
      title: this.title,
      workspace: this.workspace,
      model: this.model,
      startedAt: this.startedAt ?? fallbackStart,
      endedAt: this.endedAt,
    };
  }
}

/** Title from the first request: its first line, short. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 100)}…` : line;
}

/** Text of a content value that is a string or a list of `{type:'text', text}` parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') parts.push(part);
    else if (isObject(part) && typeof part.text === 'string' && (part.type === undefined || part.type === 'text' || part.type === 'input_text' || part.type === 'output_text')) parts.push(part.text);
  }
  return parts.join('\n');
}
