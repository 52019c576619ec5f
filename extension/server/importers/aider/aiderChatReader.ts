// .aider.chat.history.md: append-only markdown. `# aider chat started at <time>` opens a run (a
// session; Aider has no session id, so it is derived from the file and that line); `#### ` lines
// are what the user typed; `> ` lines are Aider's own output (model, applied edits, commits,
// errors); everything else is the model's answer. An import resumes at the last run's first line,
// so the run still being written is read whole again with the same ids.
import { dirname } from 'node:path';
import type { ImportEmitter } from '../importEmitter';
import { InteractionDraft } from '../interactionDraft';
import type { LineInfo } from '../lineReader';
import { SessionAccumulator, titleFrom, type LineFormatReader } from '../readerSupport';
import { stableId } from '../stableId';
import { aiderTime, InputTimeline } from './aiderInputHistory';

/** Slash commands that send a message to the model; the others (/add, /ls, /run...) do not. */
const ASKING_COMMANDS = /^\/(ask|code|architect|context|chat)\s+/;
const COMMAND = /^\/[a-z][a-z-]*(\s|$)/;
const CONFIRM_ANSWER = /\? \(Y\)es\/\(N\)o.*\]: ?\S*$/;
const AIDER_ERROR = /^(Error\b|.*: file not found error$|The LLM did not conform to the edit format|# \d+ SEARCH\/REPLACE blocks? failed to match|Unable to |Failed to |litellm\.\w*Error|.*\bException\b)/;

export class AiderChatReader implements LineFormatReader {
  private session?: SessionAccumulator;
  private sessionStart = 0;
  private runOffset: number;
  private draft?: InteractionDraft;
  private requestLines: string[] = [];
  private requestStart?: LineInfo;
  private ordinal = 0;
  private model?: string;
  private lastRequestAt = 0;
  private lastCommitDraft?: InteractionDraft;
  /** Output of a command such as /add or /ls belongs to no interaction. */
  private afterCommand = false;
  /** Files Aider asked to create ("Create new file? y"): their applied edit is a create. */
  private readonly newFiles = new Set<string>();
  private lastToolLine = '';

  constructor(private readonly path: string, private readonly emitter: ImportEmitter, private readonly timeline: InputTimeline, startOffset: number) {
    this.runOffset = startOffset;
  }

  line(line: LineInfo): void {
    const text = line.text.replace(/\r$/, '');
    const started = /^# aider chat started at (.+)$/.exec(text);
    if (started) return this.startRun(started[1].trim(), line);
    if (!this.session) return; // text before the first run header
    if (text.startsWith('#### ')) return this.onUserLine(text.slice(5).replace(/\s+$/, ''), line);
    this.flushRequest();
    if (text.startsWith('>')) return this.onToolLine(text.slice(1).trim());
    if (this.draft && (text.trim() !== '' || this.draft.response.length > 0)) this.onAnswerLine(text);
  }

  finish(): void {
    this.flushRequest();
    this.closeRun();
  }

  resumeOffset(): number {
    return this.runOffset;
  }

  private startRun(stamp: string, line: LineInfo): void {
    this.flushRequest();
    this.closeRun();
    this.runOffset = line.start;
    this.session = new SessionAccumulator('aider', `${this.path}#${stamp}`);
    this.session.workspace = dirname(this.path); // Aider writes its history to the repository root
    this.sessionStart = aiderTime(stamp) ?? 0;
    this.lastRequestAt = this.sessionStart;
    this.session.seen(this.sessionStart);
    this.ordinal = 0;
    this.model = undefined;
  }

  private closeRun(): void {
    this.emitDraft();
    if (this.session) this.emitter.session(this.session.record(this.sessionStart));
    this.session = undefined;
  }

  private emitDraft(): void {
    const draft = this.draft;
    if (!draft) return;
    this.draft = undefined;
    draft.response.splice(0, draft.response.length, draft.response.join('\n').trim());
    if (this.session) this.emitter.session(this.session.record(this.sessionStart));
    this.emitter.interaction(draft);
  }

  private onUserLine(text: string, line: LineInfo): void {
    // An answer to Aider's own y/n prompt, logged as typed input: not a request.
    if (CONFIRM_ANSWER.test(text)) return;
    // Only the first line of a group can be a command: later lines are pasted text ("/**", "// x").
    if (this.requestLines.length === 0 && ((COMMAND.test(text) && !ASKING_COMMANDS.test(text)) || /^!\S/.test(text))) {
      this.flushRequest();
      this.afterCommand = true;
      if (/^\/undo\b/.test(text) && this.lastCommitDraft) {
        this.lastCommitDraft.addOutcome('edit_undone', undefined, 'aider /undo', this.lastCommitDraft.endedAt, 'undo');
      }
      return;
    }
    if (this.requestLines.length === 0) this.requestStart = line;
    this.requestLines.push(text.replace(ASKING_COMMANDS, ''));
  }

  /** Consecutive `#### ` lines are one multi-line request. */
  private flushRequest(): void {
    if (this.requestLines.length === 0 || !this.session || !this.requestStart) return;
    const request = this.requestLines.join('\n');
    this.requestLines = [];
    this.afterCommand = false;
    const at = this.timeline.timeOf(request, this.lastRequestAt) ?? this.lastRequestAt;
    this.lastRequestAt = at;
    if (this.draft && !this.draft.hasAssistantActivity) {
      this.draft.addRequest(request);
      return;
    }
    this.emitDraft();
    this.draft = new InteractionDraft(stableId('aider', this.session.nativeKey, `req:${this.ordinal++}`), this.session.id, 'aider', at);
    this.draft.model = this.model;
    this.draft.addRequest(request);
    this.session.seen(at);
    this.session.title ??= titleFrom(request);
  }

  private onAnswerLine(text: string): void {
    const draft = this.draft;
    if (!draft || this.afterCommand) return;
    draft.hasAssistantActivity = true;
    draft.response.push(text);
  }

  private onToolLine(text: string): void {
    const model = /^Main model: (\S+)/.exec(text);
    if (model) {
      this.model = model[1];
      if (this.session) this.session.model = this.model;
      return;
    }
    const draft = this.draft;
    if (!draft || this.afterCommand) return;
    const at = draft.endedAt;
    const previousLine = this.lastToolLine;
    this.lastToolLine = text;
    if (/^Create new file\? .*\]: ?y/i.test(text)) {
      this.newFiles.add(previousLine);
      return;
    }
    const applied = /^Applied edit to (.+)$/.exec(text);
    if (applied) {
      const path = applied[1].trim();
      draft.addToolCall({ name: 'edit' });
      draft.applyEdit({ path, kind: this.newFiles.delete(path) ? 'create' : 'edit', tool: 'aider', at, key: `applied:${path}:${draft.touches.length}` });
      return;
    }
    const commit = /^Commit ([0-9a-f]{7,40}) (.*)$/.exec(text);
    if (commit) {
      draft.addSolution(`Commit ${commit[1]} ${commit[2]}`);
      this.lastCommitDraft = draft;
      return;
    }
    const running = /^Running (.+)$/.exec(text);
    if (running) {
      draft.addToolCall({ name: 'shell' });
      return;
    }
    if (text.startsWith('Tokens:')) {
      draft.hasAssistantActivity = true;
      return;
    }
    if (AIDER_ERROR.test(text)) {
      draft.addIssue(text);
      if (/SEARCH\/REPLACE block|did not conform/.test(text)) draft.addOutcome('patch_failed', undefined, text, at);
    }
  }
}
