// Continue development data (~/.continue/dev_data/<schema>/<eventName>.jsonl). Every line is a
// complete event, so the cursor can always move to the end of the last full line.
// - chatInteraction: a prompt and its completion (session = its sessionId).
// - autocomplete, editOutcome: one suggestion each, accepted or not (session = the day's
//   suggestions of that kind, as they carry no session id).
// - toolUsage: a tool call that succeeded or failed; it names no interaction, so it is kept as an
//   outcome of its own.
import { basename, dirname } from 'node:path';
import type { ImportEmitter } from '../importEmitter';
import { InteractionDraft } from '../interactionDraft';
import type { LineInfo } from '../lineReader';
import {
  isObject, parseJsonLine, SessionAccumulator, str, titleFrom, toEpochMs, type JsonObject, type LineFormatReader,
} from '../readerSupport';
import { stableId } from '../stableId';

/** Events with nothing an interaction needs (token counts, setup); not counted as skipped. */
const IGNORED_EVENTS = new Set(['tokensGenerated', 'completionOptions', 'chatFeedback', 'quickEdit', 'nextEdit', 'nextEditWithHistory']);
const PREFIX_KEPT = 1500;
const SUFFIX_KEPT = 300;

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

  constructor(path: string, private readonly emitter: ImportEmitter, startOffset: number) {
    this.completeEnd = startOffset;
    this.scope = `${basename(dirname(path))}/${basename(path)}`;
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
    const prompt = str(event.prompt) ?? '';
    const session = this.session(str(event.sessionId) ?? `dev_data:chat:${new Date(at).toISOString().slice(0, 10)}`, at, titleFrom(prompt));
    const draft = new InteractionDraft(stableId('continue', key), session.id, 'continue', at);
    draft.model = str(event.modelName) ?? str(event.modelTitle);
    session.model = draft.model;
    draft.addRequest(prompt);
    draft.addResponse(str(event.completion) ?? '');
    this.emitter.interaction(draft);
  }

  private onSuggestion(event: JsonObject, key: string, at: number, kind: 'autocomplete' | 'edit'): void {
    const day = new Date(at).toISOString().slice(0, 10);
    const file = fileFromUri(str(event.filepath) ?? '');
    const session = this.session(`dev_data:${kind}:${day}`, at, `Continue ${kind} suggestions ${day}`);
    const draft = new InteractionDraft(stableId('continue', key), session.id, 'continue', at);
    draft.model = str(event.modelName);
    session.model = draft.model;
    if (kind === 'autocomplete') {
      const prefix = str(event.prefix) ?? '';
      const suffix = str(event.suffix) ?? '';
      draft.addRequest(`[autocomplete] ${file}\n${prefix.slice(-PREFIX_KEPT)}<|cursor|>${suffix.slice(0, SUFFIX_KEPT)}`);
      draft.addResponse(str(event.completion) ?? '');
    } else {
      draft.addRequest(`[edit] ${file}\n${str(event.previousCode) ?? ''}`);
      draft.addResponse(str(event.newCode) ?? '');
    }
    const accepted = event.accepted === true;
    draft.addOutcome(accepted ? 'suggestion_accepted' : 'suggestion_rejected', accepted ? 1 : -1, file, at, 'accepted');
    if (accepted && file) draft.applyEdit({ path: file, tool: `continue ${kind}`, at, key: 'accepted' });
    this.emitter.interaction(draft);
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
