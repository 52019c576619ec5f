// The bookkeeping every resumable JSONL reader of the newer formats shares: the open interaction,
// the byte offset it started at (where the next import resumes, so a turn still in progress is read
// again whole, with the same id), and emitting the session with each finished turn.
import type { InteractionSource } from '../../protocol/records';
import type { ImportEmitter } from './importEmitter';
import { InteractionDraft } from './interactionDraft';
import type { LineInfo } from './lineReader';
import { parseJsonLine, SessionAccumulator, type JsonObject, type LineFormatReader } from './readerSupport';
import { stableId } from './stableId';

export abstract class TurnLineReader implements LineFormatReader {
  protected session: SessionAccumulator;
  protected draft?: InteractionDraft;
  private draftStart = 0;
  private completeEnd: number;
  private resumeAt?: number;
  protected lastAt: number;

  constructor(
    protected readonly source: InteractionSource,
    sessionKey: string,
    protected readonly emitter: ImportEmitter,
    startOffset: number,
    /** Used for records without a time of their own (formats that write none). */
    protected readonly fallbackAt: number,
  ) {
    this.session = new SessionAccumulator(source, sessionKey);
    this.completeEnd = startOffset;
    this.lastAt = fallbackAt;
  }

  /**
   * For formats that record no times: the file's creation time plus 1 ms per 64 bytes before the
   * line. Not when it happened, but in the order it happened, and the same on every import (the
   * panel and the analyses order a session's turns by time).
   */
  protected positionTime(line: LineInfo): number {
    return this.fallbackAt + Math.floor(line.start / 64);
  }

  /** One parsed record; `line` locates it for ids and resuming. */
  protected abstract record(record: JsonObject, line: LineInfo): void;

  line(line: LineInfo): void {
    if (!line.unterminated) this.completeEnd = line.end;
    const record = parseJsonLine(line, this.emitter);
    if (record) this.record(record, line);
  }

  finish(): void {
    this.resumeAt = this.resumeOffset();
    if (this.draft) this.emitDraft();
    else if (this.session.startedAt !== undefined) this.emitter.session(this.session.record(this.lastAt));
  }

  resumeOffset(): number {
    return this.resumeAt ?? (this.draft ? this.draftStart : this.completeEnd);
  }

  /** Replaces the session (a file whose first record names it), keeping the times seen so far. */
  protected renameSession(key: string): void {
    if (key === this.session.nativeKey) return;
    const previous = this.session;
    this.session = new SessionAccumulator(this.source, key);
    this.session.seen(previous.startedAt);
    this.session.seen(previous.endedAt);
    this.session.title = previous.title;
    this.session.workspace = previous.workspace;
    this.session.model = previous.model;
  }

  /** The open turn, or a new one when there is none or the assistant already answered. */
  protected turnForRequest(line: LineInfo, at: number): InteractionDraft {
    if (this.draft && !this.draft.hasAssistantActivity) return this.draft;
    return this.startDraft(line, at);
  }

  /** The open turn for assistant output; output before any request opens one of its own. */
  protected turnForOutput(line: LineInfo, at: number): InteractionDraft {
    const draft = this.draft ?? this.startDraft(line, at);
    draft.touch(at);
    return draft;
  }

  protected startDraft(line: LineInfo, at: number, nativeId?: string): InteractionDraft {
    if (this.draft) this.emitDraft();
    const id = stableId(this.source, this.session.nativeKey, nativeId ?? `byte:${line.start}`);
    this.draft = new InteractionDraft(id, this.session.id, this.source, at);
    if (this.session.model) this.draft.model = this.session.model;
    this.draftStart = line.start;
    return this.draft;
  }

  protected emitDraft(): void {
    const draft = this.draft;
    if (!draft) return;
    this.draft = undefined;
    this.session.seen(draft.startedAt);
    this.session.seen(draft.endedAt);
    this.emitter.session(this.session.record(draft.startedAt));
    this.emitter.interaction(draft);
  }
}
