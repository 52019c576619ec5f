// The editor-signal pipeline without VS Code: an event comes in as a plain shape, is classified,
// attributed to an interaction by evidence where there is any, and buffered. The controller feeds it
// from the vscode listeners; the unit tests and the bench feed it directly. Everything here is
// synchronous and cheap on the common path (a keystroke): one cached path lookup, one
// classification, one Map update.
//
// An edit is an assistant's only by evidence, strongest first: our participant announced it; an
// interaction imported from a live session (Claude Code, Codex, Cline...) says it wrote this file
// at this time (server/attribution/editAttribution.ts); the inserted text is a code block of a
// recent answer. An edit that is not typing and has no evidence yet waits a few seconds for the
// session's transcript to be imported, then is recorded as 'unknown'. Outcomes (diagnostics,
// terminal runs, kept/undone) follow every attributed edit, whichever assistant made it.
import type { CaptureEvent, FileChangeKind, OutcomeEvent } from '../../protocol/records';
import { AttributionBook, type Attribution, type ObservedEdit } from '../../server/attribution/editAttribution';
import type { LiveInteraction } from '../../server/attribution/liveInteractions';
import { CHANGE_REASON_UNDO, classifyChange, type ChangeInput, type TextChangeShape } from './changeClassifier';
import { DiagnosticAttribution, type DiagnosticCounts } from './diagnosticAttribution';
import { EditSurvivalTracker, type TrackedEdit } from './editSurvival';
import type { ExcludeMatcher } from './globMatcher';
import { InteractionLedger, normaliseCode } from './interactionLedger';
import type { CaptureQueue } from './captureQueue';
import { TERMINAL_WINDOW_MS, terminalOutcomes, type TerminalEnd } from './terminalOutcomes';

/** An edit announced by our own chat participant (a WorkspaceEdit it applies) is expected this long. */
export const EXPECTED_EDIT_MS = 5_000;

export interface TextChange<Ref> extends ChangeInput {
  path: string;
  /** The document's handle (a vscode.Uri in the controller), passed back to diagnosticsOf. */
  ref: Ref;
}

export interface PipelineDeps<Ref> {
  queue: CaptureQueue;
  exclude: ExcludeMatcher;
  newId: () => string;
  /** The document's current errors and warnings (languages.getDiagnostics in the controller). */
  diagnosticsOf: (ref: Ref) => DiagnosticCounts;
  /** Inside the workspace folders and not the editor's own settings or state (workspacePaths.ts); everything when absent. */
  isRecordable?: (path: string) => boolean;
  keepAfterMs?: number;
  ledger?: InteractionLedger;
  /** How long an edit waits for evidence (attribution/editAttribution.ts PENDING_WAIT_MS by default). */
  attributionWaitMs?: number;
}

/** What a waiting edit needs to be finished later. */
interface HeldEdit<Ref> {
  ref: Ref;
  changes: readonly TextChangeShape[];
  /** Diagnostics just before the edit, the baseline its outcome is judged against. */
  baseline: DiagnosticCounts;
  /** Seen on disk for a file not open in the editor: recorded only if attributed. */
  disk: boolean;
}

interface Found { interaction: { id: string; sessionId: string } | undefined; interactionId: string; evidence: string }

export class CapturePipeline<Ref> {
  readonly ledger: InteractionLedger;
  private readonly attribution: DiagnosticAttribution;
  private readonly survival: EditSurvivalTracker;
  private readonly book: AttributionBook<HeldEdit<Ref>>;
  private readonly expected = new Map<string, { interactionId: string; until: number }>();
  /** Writes already recorded from disk: a folder event and its file's event explain the same write once. */
  private readonly diskWritesRecorded = new Set<string>();

  constructor(private readonly deps: PipelineDeps<Ref>) {
    this.ledger = deps.ledger ?? new InteractionLedger();
    this.attribution = new DiagnosticAttribution(deps.newId);
    this.survival = new EditSurvivalTracker(deps.newId, deps.keepAfterMs);
    this.book = new AttributionBook(deps.attributionWaitMs);
  }

  /** Work that only the periodic tick needs to look at. */
  get hasOpenWork(): boolean { return this.attribution.size > 0 || this.survival.size > 0 || this.book.pendingCount > 0; }

  /** Edits waiting for the evidence that would attribute them. */
  get waitingEdits(): number { return this.book.pendingCount; }

  isDiagnosticWatched(path: string): boolean { return this.attribution.has(path); }

  onTextChange(change: TextChange<Ref>, now: number): void {
    const { path } = change;
    if (!this.recordable(path)) return;
    this.emit(this.survival.onChange(path, change.changes, change.reason === CHANGE_REASON_UNDO, now));
    const cls = classifyChange(change);
    if (cls.origin === 'typing') {
      // The user took over the file: judge the assistant's edit on the diagnostics seen so far.
      if (this.attribution.has(path)) this.emit(this.attribution.close(path, now));
      this.deps.queue.addEdit(path, 'typing', undefined, cls.linesAdded, cls.linesRemoved, now);
      return;
    }
    const observed: ObservedEdit = { path, at: now, linesAdded: cls.linesAdded, linesRemoved: cls.linesRemoved };
    const found = this.expectedEdit(path, now) ?? this.liveEvidence(observed) ?? this.answerCode(cls.largeInsertions, now);
    if (found) {
      if (found.interaction) this.linkAssistantEdit(path, change.ref, change.changes, found.interaction, undefined, now);
      this.deps.queue.addEdit(path, 'assistant', found.interactionId, cls.linesAdded, cls.linesRemoved, now, found.evidence);
      return;
    }
    const held = { ref: change.ref, changes: change.changes, baseline: this.deps.diagnosticsOf(change.ref), disk: false };
    const pushedOut = this.book.hold(observed, held, now);
    if (pushedOut) this.finishUnattributed(pushedOut.edit, pushedOut.payload);
  }

  /**
   * A file not open in the editor changed on disk (an assistant in a terminal, a tool), or a folder
   * was created (the editor reports the folder, not the files written into it). Recorded only when
   * an interaction's record explains it: builds and checkouts write many files.
   */
  onDiskChange(path: string, ref: Ref, now: number, folder = false): void {
    if (!this.recordable(path)) return;
    const observed: ObservedEdit = { path, at: now, linesAdded: 0, linesRemoved: 0, folder };
    const attribution = this.book.attribute(observed);
    if (attribution) {
      this.recordDiskWrite(observed, folder ? undefined : ref, attribution, undefined, now);
      return;
    }
    if (this.book.isWaiting(path)) return; // the watcher repeats itself for one write
    const pushedOut = this.book.hold(observed, { ref, changes: [], baseline: folder ? new Map() : this.deps.diagnosticsOf(ref), disk: true }, now);
    if (pushedOut) this.finishUnattributed(pushedOut.edit, pushedOut.payload);
  }

  /**
   * Interactions the analysis server imported from live sessions: remembered (their answers' code
   * blocks, for terminal outcomes once they edited here), and their writes attribute the edits that
   * wait for them.
   */
  onLiveInteractions(interactions: readonly LiveInteraction[], now: number): number {
    for (const i of interactions) this.ledger.record({ id: i.id, sessionId: i.sessionId, at: i.at, answer: i.answer, live: true });
    const resolved = this.book.addEvidence(interactions.flatMap((i) => i.writes), now);
    for (const { edit, payload, attribution } of resolved) {
      // Dated at the edit, not at the evidence: windows and deadlines run from when the file changed.
      if (payload.disk) {
        this.recordDiskWrite(edit, edit.folder ? undefined : payload.ref, attribution, payload.baseline, edit.at);
        continue;
      }
      const interaction = { id: attribution.interactionId, sessionId: attribution.sessionId };
      this.linkAssistantEdit(edit.path, payload.ref, payload.changes, interaction, payload.baseline, edit.at);
      this.deps.queue.addEdit(edit.path, 'assistant', interaction.id, edit.linesAdded, edit.linesRemoved, edit.at, attribution.evidence);
    }
    return resolved.length;
  }

  onFileEvent(kind: Exclude<FileChangeKind, 'edit'>, path: string, now: number): void {
    if (!this.recordable(path)) return;
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

  /** Closes expired diagnostic attributions and edits whose wait ended; returns edits due for the kept/undone check. */
  tick(now: number): TrackedEdit[] {
    this.emit(this.attribution.expire(now));
    for (const { edit, payload } of this.book.expire(now)) this.finishUnattributed(edit, payload);
    for (const [path, e] of this.expected) if (e.until < now) this.expected.delete(path);
    return this.survival.takeDue(now);
  }

  settleEdit(edit: TrackedEdit, documentText: string | undefined, now: number): void {
    this.addOutcome(this.survival.settle(edit, documentText, now));
  }

  /** Pause or shutdown: judge open attributions now rather than lose them, and record waiting edits as they are. */
  closeAll(now: number): void {
    for (const { edit, payload } of this.book.takeAll()) this.finishUnattributed(edit, payload);
    this.emit(this.attribution.closeAll(now));
  }

  /** Delete All Data: forget everything not yet sent and every link to past interactions. */
  discard(): void {
    this.deps.queue.discard();
    this.ledger.clear();
    this.attribution.clear();
    this.survival.clear();
    this.book.clear();
    this.expected.clear();
    this.diskWritesRecorded.clear();
  }

  private recordable(path: string): boolean {
    return (this.deps.isRecordable?.(path) ?? true) && !this.deps.exclude.isExcluded(path);
  }

  private expectedEdit(path: string, now: number): Found | undefined {
    const expected = this.expected.get(path);
    if (!expected || expected.until < now) return undefined;
    this.expected.delete(path);
    return { interaction: this.ledger.get(expected.interactionId), interactionId: expected.interactionId, evidence: '@autodidact applied this edit from its answer' };
  }

  private liveEvidence(observed: ObservedEdit): Found | undefined {
    const attribution = this.book.attribute(observed);
    if (!attribution) return undefined;
    return { interaction: { id: attribution.interactionId, sessionId: attribution.sessionId }, interactionId: attribution.interactionId, evidence: attribution.evidence };
  }

  private answerCode(insertions: readonly TextChangeShape[], now: number): Found | undefined {
    const largest = insertions.reduce<TextChangeShape | undefined>((a, b) => (!a || b.text.length > a.text.length ? b : a), undefined);
    const interaction = largest && this.ledger.matchInsertion(largest.text, now);
    if (!interaction) return undefined;
    return { interaction, interactionId: interaction.id, evidence: `inserted ${largest.text.split('\n').length} lines equal to a code block of the answer` };
  }

  /** A write seen on disk, explained by a record: the file touch carries the record's line counts. */
  private recordDiskWrite(edit: ObservedEdit, ref: Ref | undefined, attribution: Attribution, baseline: DiagnosticCounts | undefined, at: number): void {
    if (this.diskWritesRecorded.has(attribution.write.id)) return;
    if (this.diskWritesRecorded.size >= 1_000) this.diskWritesRecorded.clear();
    this.diskWritesRecorded.add(attribution.write.id);
    const interaction = { id: attribution.interactionId, sessionId: attribution.sessionId };
    // For a new folder, the file is the one the record wrote into it.
    const path = edit.folder ? attribution.write.path : edit.path;
    this.linkAssistantEdit(path, ref, [], interaction, baseline, at);
    this.deps.queue.addEdit(path, 'assistant', interaction.id, attribution.write.linesAdded ?? 0, attribution.write.linesRemoved ?? 0, edit.at, attribution.evidence);
  }

  private finishUnattributed(edit: ObservedEdit, held: HeldEdit<Ref>): void {
    if (!held.disk) this.deps.queue.addEdit(edit.path, 'unknown', undefined, edit.linesAdded, edit.linesRemoved, edit.at);
  }

  /** `baseline`: the diagnostics before the edit when it was attributed late (they may have changed since). */
  /** `ref` undefined: no document handle to read diagnostics from (a file inside a new folder). */
  private linkAssistantEdit(path: string, ref: Ref | undefined, changes: readonly TextChangeShape[], interaction: { id: string; sessionId: string }, baseline: DiagnosticCounts | undefined, now: number): void {
    this.ledger.noteEdit(interaction.id, path, now);
    if (ref !== undefined) {
      const current = this.deps.diagnosticsOf(ref);
      this.emit(this.attribution.editedBy(path, interaction, baseline ?? current, now));
      if (baseline) this.attribution.observe(path, current);
    }
    for (const c of changes) if (normaliseCode(c.text).length > 0) this.survival.track(path, c, interaction, now);
  }

  private emit(outcomes: OutcomeEvent[]): void {
    for (const outcome of outcomes) this.addOutcome(outcome);
  }
}
