// Continue development data (~/.continue/dev_data/<schema>/<eventName>.jsonl). Every line is a
// complete event, so the cursor can always move to the end of the last full line.
// - chatInteraction: a prompt and its completion (session = its sessionId). The prompt is the whole
//   rendered prompt, so the request is the user's latest instruction in it; a `<think>` block in the
//   completion is reasoning, not the answer. A chat whose session file (~/.continue/sessions/<id>.json)
//   exists is imported from that file only, so one conversation is never imported twice.
// - autocomplete, editOutcome: one suggestion each, accepted or not. They are no chat interaction
//   (nobody asked anything), so they become outcome signals only, never training pairs.
// - toolUsage: a tool call that succeeded or failed; it names no interaction, so it is kept as an
//   outcome of its own.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ImportEmitter } from '../importEmitter';
import { InteractionDraft } from '../interactionDraft';
import type { LineInfo } from '../lineReader';
import {
  isObject, parseJsonLine, SessionAccumulator, str, titleFrom, toEpochMs, type JsonObject, type LineFormatReader,
} from '../readerSupport';
import { stableId } from '../stableId';
import { promptParts, withoutThinking } from './continuePrompt';

/** Events with nothing an interaction needs (token counts, setup); not counted as skipped. */
const IGNORED_EVENTS = new Set(['tokensGenerated', 'completionOptions', 'chatFeedback', 'quickEdit', 'nextEdit', 'nextEditWithHistory']);
const COMPLETION_KEPT = 120;

function fileFromUri(uri: string): string {
  if (!uri.startsWith('file://')) return uri;
  try {
    return decodeURIComponent(uri.slice('file://'.length)).replace(/^\/([A-Za-z]:)/, '$1');
  } catch {
    return uri;
  }
}

export class ContinueDevDataReader implements LineFormatReader {
  private readonly sessions = new Map<string, SessionAccumulator>();
  private completeEnd: number;
  private readonly scope: string;
  /** ~/.continue/sessions beside ~/.continue/dev_data/<schema>/<event>.jsonl */
  private readonly sessionsDir: string;
  private readonly sessionFileKnown = new Map<string, boolean>();

  constructor(path: string, private readonly emitter: ImportEmitter, startOffset: number) {
    this.completeEnd = startOffset;
    this.scope = `${basename(dirname(path))}/${basename(path)}`;
    this.sessionsDir = join(dirname(dirname(dirname(path))), 'sessions');
  }

  line(line: LineInfo): void {
    if (!line.unterminated) this.completeEnd = line.end;
    const event = parseJsonLine(line, this.emitter);
    if (!event) return;
    if (line.unterminated) return; // complete JSON but not yet terminated: read it next time
    const at = toEpochMs(event.timestamp) ?? 0;
    const key = `${this.scope}:byte:${line.start}`;
    switch (event.eventName) {
      case 'chatInteraction': return this.onChat(event, key, at);
      case 'autocomplete': return this.onSuggestion(event, key, at, 'autocomplete');
      case 'editOutcome': return this.onSuggestion(event, key, at, 'edit');
      case 'toolUsage': return this.onToolUsage(event, key, at);
      default:
        if (typeof event.eventName === 'string' && IGNORED_EVENTS.has(event.eventName)) return;
        this.emitter.skipped();
    }
  }

  finish(): void {
    for (const session of this.sessions.values()) this.emitter.session(session.record(0));
  }

  resumeOffset(): number {
    return this.completeEnd;
  }

  private session(nativeKey: string, at: number, title: string): SessionAccumulator {
    let session = this.sessions.get(nativeKey);
    if (!session) {
      session = new SessionAccumulator('continue', nativeKey);
      session.title = title;
      this.sessions.set(nativeKey, session);
    }
    session.seen(at);
    return session;
  }

  private onChat(event: JsonObject, key: string, at: number): void {
    const sessionId = str(event.sessionId);
    if (sessionId !== undefined && this.hasSessionFile(sessionId)) return;
    const prompt = promptParts(str(event.prompt) ?? '');
    const session = this.session(sessionId ?? `dev_data:chat:${new Date(at).toISOString().slice(0, 10)}`, at, titleFrom(prompt.request));
    const draft = new InteractionDraft(stableId('continue', key), session.id, 'continue', at);
    draft.model = str(event.modelName) ?? str(event.modelTitle);
    session.model = draft.model;
    draft.addRequest(prompt.request);
    draft.addResponse(withoutThinking(str(event.completion) ?? '').answer);
    this.emitter.interaction(draft);
  }

  private hasSessionFile(sessionId: string): boolean {
    let known = this.sessionFileKnown.get(sessionId);
    if (known === undefined) {
      known = /^[\w.-]+$/.test(sessionId) && existsSync(join(this.sessionsDir, `${sessionId}.json`));
      this.sessionFileKnown.set(sessionId, known);
    }
    return known;
  }

  /** An inline suggestion the user took or left: an outcome of its own, with no request to pair it with. */
  private onSuggestion(event: JsonObject, key: string, at: number, kind: 'autocomplete' | 'edit'): void {
    const file = fileFromUri(str(event.filepath) ?? '');
    const accepted = event.accepted === true;
    const shown = (kind === 'autocomplete' ? str(event.completion) : str(event.newCode)) ?? '';
    const snippet = shown.replace(/\s+/g, ' ').trim().slice(0, COMPLETION_KEPT);
    this.emitter.outcome({
      id: stableId('continue', key, 'outcome'),
      kind: accepted ? 'suggestion_accepted' : 'suggestion_rejected',
      value: accepted ? 1 : -1,
      detail: `${kind} ${file}${snippet ? `: ${snippet}` : ''}`,
      at,
    }, false);
    if (accepted && file) {
      this.emitter.report.edits++;
      this.emitter.raw({ type: 'file', file: { id: stableId('continue', key, 'file'), path: file, kind: 'edit', origin: 'assistant', at } });
    }
  }

  private onToolUsage(event: JsonObject, key: string, at: number): void {
    const ok = event.succeeded !== false;
    const name = str(event.functionName) ?? 'tool';
    const output = isObject(event.output) || Array.isArray(event.output) ? JSON.stringify(event.output) : str(event.output) ?? '';
    this.emitter.outcome({
      id: stableId('continue', key, 'outcome'),
      kind: ok ? 'tool_ok' : 'tool_error',
      detail: ok ? name : `${name}: ${output.slice(0, 300)}`,
      at,
    }, true);
  }
}
