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
/** The model call failed (litellm's error names, Aider's own explanations of them): the attempt got no answer. */
const API_ERROR = /^(litellm\.\w+|\w*(APIConnectionError|RateLimitError|APIError|ServiceUnavailableError|InternalServerError|Timeout|AuthenticationError|BadRequestError|ContextWindowExceededError)\b|The API provider|Retrying in [\d.]+ seconds)/;
/** Commands whose argument Aider logs a second time as its own `#### ` line when it sends it to a model. */
const ECHOING_COMMANDS = /^\/(ask|code|architect|context|help)\s+(.+)$/;
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
  /** `/ask X` is followed by the echo `#### X`: that line is the same request, not a second one. */
  private pendingEcho?: string;
  /** `/help X` goes to Aider's own help model: neither the question nor its answer is a coding interaction. */
  private inHelp = false;
  /** The last interaction emitted or open, so that `/undo` right after it can mark it. */
  private previousDraft?: InteractionDraft;
  /** The model's answer ended ("Tokens: ..."): a Ctrl-C after that is leaving Aider, not interrupting it. */
  private answerComplete = false;

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
    this.lastCommitDraft = undefined;
    this.previousDraft = undefined;
    this.pendingEcho = undefined;
    this.inHelp = false;
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
    const echo = this.pendingEcho;
    this.pendingEcho = undefined;
    if (echo !== undefined && text.trim() === echo) {
      // The echo ends the `/ask` line's group: the next `#### ` line is the user's again.
      if (this.inHelp) return;
      this.flushRequest();
      return;
    }
    // Only the first line of a group can be a command: later lines are pasted text ("/**", "// x").
    if (this.requestLines.length === 0 && ((COMMAND.test(text) && !ASKING_COMMANDS.test(text)) || /^!\S/.test(text))) {
      this.flushRequest();
      this.afterCommand = true;
      this.inHelp = /^\/help\s+\S/.test(text);
      if (this.inHelp) this.pendingEcho = ECHOING_COMMANDS.exec(text)?.[2].trim();
      if (/^\/undo\b/.test(text)) this.onUndo(text);
      return;
    }
    this.inHelp = false;
    if (this.requestLines.length === 0) {
      this.requestStart = line;
      const asking = ECHOING_COMMANDS.exec(text);
      if (asking) this.pendingEcho = asking[2].trim();
    }
    this.requestLines.push(text.replace(ASKING_COMMANDS, ''));
  }

  /**
   * `/undo` drops Aider's last commit: the interaction that made it failed in the user's eyes. When
   * it comes right after an answer that committed nothing, that answer is still what the user rejected.
   */
  private onUndo(command: string): void {
    const target = this.lastCommitDraft ?? this.draft ?? this.previousDraft;
    if (!target) return;
    const before = target.outcomes.length;
    target.addOutcome('edit_undone', undefined, `aider ${command.trim()}`, target.endedAt, 'undo');
    // An interaction already handed on keeps its id: the outcome goes out on its own, linked to it.
    if (target !== this.draft && target.outcomes.length > before) this.emitter.outcome(target.outcomes[before], false);
    this.lastCommitDraft = undefined;
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
    // Architect mode hands its answer to the editor model, and Aider logs that hand-over as `#### `:
    // the editor's work continues the same interaction.
    if (this.draft && request.trim() !== '' && request.trim() === this.draft.response.join('\n').trim()) return;
    this.emitDraft();
    this.answerComplete = false;
    this.draft = new InteractionDraft(stableId('aider', this.session.nativeKey, `req:${this.ordinal++}`), this.session.id, 'aider', at);
    this.draft.model = this.model;
    this.draft.addRequest(request);
    this.previousDraft = this.draft;
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
    if (API_ERROR.test(text)) return this.onApiError(draft, text, at);
    if (/^\^C KeyboardInterrupt/.test(text) && !this.answerComplete && draft.hasAssistantActivity) {
      draft.addOutcome('user_interrupt', undefined, text, at, 'interrupt');
      return;
    }
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
      this.answerComplete = true;
      return;
    }
    if (AIDER_ERROR.test(text)) {
      draft.addIssue(text);
      if (/SEARCH\/REPLACE block|did not conform/.test(text)) draft.addOutcome('patch_failed', undefined, text, at);
    }
  }

  /**
   * The model call failed: the attempt ends here, with the error as its issue, so that the user's
   * re-typed request is a new attempt and not a second line of this one. Aider's own automatic
   * retries ("Retrying in 0.5 seconds...") stay in the same attempt.
   */
  private onApiError(draft: InteractionDraft, text: string, at: number): void {
    draft.hasAssistantActivity = true;
    if (/^Retrying in/.test(text) || draft.issues.includes(text)) return;
    draft.addIssue(text);
    draft.addOutcome('api_error', undefined, text, at, 'api');
  }
}
