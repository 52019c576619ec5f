// The editor-signal pipeline without VS Code: an event comes in as a plain shape, is classified,
// linked to a recent interaction where it can be, and buffered. The controller feeds it from the
// vscode listeners; the unit tests and the bench feed it directly. Everything here is synchronous
// and cheap on the common path (a keystroke): one cached exclusion lookup, one classification, one
// Map update.
import type { CaptureEvent, FileChangeKind, OutcomeEvent } from '../../protocol/records';
import { CHANGE_REASON_UNDO, classifyChange, type ChangeInput, type Origin } from './changeClassifier';
import { DiagnosticAttribution, type DiagnosticCounts } from './diagnosticAttribution';
import { EditSurvivalTracker, type TrackedEdit } from './editSurvival';
import type { ExcludeMatcher } from './globMatcher';
import { InteractionLedger, normaliseCode, type LedgerInteraction } from './interactionLedger';
import type { CaptureQueue } from './captureQueue';
import { TERMINAL_WINDOW_MS, terminalOutcomes, type TerminalEnd } from './terminalOutcomes';

/** An edit announced by our own chat participant (a WorkspaceEdit it applies) is expected this long. */
export const EXPECTED_EDIT_MS = 5_000;

export interface TextChange<Ref> extends ChangeInput {
  path: string;
  /** The document's handle (a vscode.Uri in the controller), passed back to diagnosticsOf. */
  ref: Ref;
}

/** An insertion that looks like an assistant's but is linked to none: it may be a paste. */
export interface PasteCheck {
  text: string;
  /** Call with whether the clipboard held exactly this text; records the touch accordingly. */
  finish(isPaste: boolean): void;
}

export interface PipelineDeps<Ref> {
  queue: CaptureQueue;
  exclude: ExcludeMatcher;
  newId: () => string;
  /** The document's current errors and warnings (languages.getDiagnostics in the controller). */
  diagnosticsOf: (ref: Ref) => DiagnosticCounts;
  keepAfterMs?: number;
  ledger?: InteractionLedger;
}

export class CapturePipeline<Ref> {
  readonly ledger: InteractionLedger;
  private readonly attribution: DiagnosticAttribution;
  private readonly survival: EditSurvivalTracker;
  private readonly expected = new Map<string, { interactionId: string; until: number }>();

  constructor(private readonly deps: PipelineDeps<Ref>) {
    this.ledger = deps.ledger ?? new InteractionLedger();
    this.attribution = new DiagnosticAttribution(deps.newId);
    this.survival = new EditSurvivalTracker(deps.newId, deps.keepAfterMs);
  }

  /** Work that only the periodic tick needs to look at. */
  get hasOpenWork(): boolean { return this.attribution.size > 0 || this.survival.size > 0; }

  isDiagnosticWatched(path: string): boolean { return this.attribution.has(path); }

  onTextChange(change: TextChange<Ref>, now: number): PasteCheck | undefined {
    const { path } = change;
    if (this.deps.exclude.isExcluded(path)) return undefined;
    this.emit(this.survival.onChange(path, change.changes, change.reason === CHANGE_REASON_UNDO, now));
    const cls = classifyChange(change);
    let origin: Origin = cls.origin;
    let interaction: LedgerInteraction | undefined;
    if (origin !== 'typing') {
      const expected = this.expected.get(path);
      if (expected && expected.until >= now) {
        this.expected.delete(path);
        interaction = this.ledger.get(expected.interactionId);
        origin = 'assistant';
      }
    }
    if (origin === 'assistant' && !interaction) {
      const largest = cls.assistantChanges.reduce((a, b) => (b.text.length > a.text.length ? b : a), cls.assistantChanges[0]);
      interaction = largest && this.ledger.matchInsertion(largest.text, now);
      if (!interaction && largest) return this.pasteCheck(path, largest.text, cls.linesAdded, cls.linesRemoved, now);
    }
    if (origin === 'typing' && this.attribution.has(path)) {
      // The user took over the file: judge the assistant's edit on the diagnostics seen so far.
      this.emit(this.attribution.close(path, now));
    }
    if (interaction) this.linkAssistantEdit(change, interaction, now);
    this.deps.queue.addEdit(path, origin, interaction?.id, cls.linesAdded, cls.linesRemoved, now);
    return undefined;
  }

  onFileEvent(kind: Exclude<FileChangeKind, 'edit'>, path: string, now: number): void {
    if (this.deps.exclude.isExcluded(path)) return;
    this.deps.queue.add({ type: 'file', file: { id: this.deps.newId(), path, kind, origin: 'unknown', at: now } });
  }

  /** A debounced diagnostics snapshot for a watched file. */
  onDiagnostics(path: string, counts: DiagnosticCounts): void {
    this.attribution.observe(path, counts);
  }

  onTerminalEnd(end: TerminalEnd): void {
    const interaction = this.ledger.mostRecent(end.at, TERMINAL_WINDOW_MS);
    if (interaction) this.emit(terminalOutcomes(end, interaction, this.deps.newId));
  }

  /** An interaction recorded by the chat participant: its events, and a ledger entry to link later signals to. */
  recordInteraction(events: CaptureEvent[], entry: { id: string; sessionId: string; at: number; answer: string }): void {
    this.ledger.record(entry);
    for (const event of events) this.deps.queue.add(event);
  }

  /** Our participant is about to apply a WorkspaceEdit to `path` for `interactionId`. */
  expectAssistantEdit(path: string, interactionId: string, now: number): void {
    this.expected.set(path, { interactionId, until: now + EXPECTED_EDIT_MS });
  }

  addOutcome(outcome: OutcomeEvent): void {
    this.deps.queue.add({ type: 'outcome', outcome });
  }

  /** Closes expired diagnostic attributions; returns edits due for the kept/undone check. */
  tick(now: number): TrackedEdit[] {
    this.emit(this.attribution.expire(now));
    for (const [path, e] of this.expected) if (e.until < now) this.expected.delete(path);
    return this.survival.takeDue(now);
  }

  settleEdit(edit: TrackedEdit, documentText: string | undefined, now: number): void {
    this.addOutcome(this.survival.settle(edit, documentText, now));
  }

  /** Pause or shutdown: judge open attributions now rather than lose them. */
  closeAll(now: number): void {
    this.emit(this.attribution.closeAll(now));
  }

  /** Delete All Data: forget everything not yet sent and every link to past interactions. */
  discard(): void {
    this.deps.queue.discard();
    this.ledger.clear();
    this.attribution.clear();
    this.survival.clear();
    this.expected.clear();
  }

  private linkAssistantEdit(change: TextChange<Ref>, interaction: LedgerInteraction, now: number): void {
    this.ledger.noteEdit(interaction.id, change.path, now);
    this.emit(this.attribution.editedBy(change.path, interaction, this.deps.diagnosticsOf(change.ref), now));
    for (const c of change.changes) if (normaliseCode(c.text).length > 0) this.survival.track(change.path, c, interaction, now);
  }

  private pasteCheck(path: string, text: string, linesAdded: number, linesRemoved: number, at: number): PasteCheck {
    return {
      text,
      finish: (isPaste) => this.deps.queue.addEdit(path, isPaste ? 'unknown' : 'assistant', undefined, linesAdded, linesRemoved, at),
    };
  }

  private emit(outcomes: OutcomeEvent[]): void {
    for (const outcome of outcomes) this.addOutcome(outcome);
  }
}
