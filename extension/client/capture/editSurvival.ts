// Was an assistant's edit kept or undone? An undo that exactly reverses it says "undone" at once;
// otherwise, a few minutes later, the share of its lines still in the file decides. Offsets are
// kept current through later changes, so the undo check works after edits elsewhere in the file.
import type { OutcomeEvent } from '../../protocol/records';
import type { TextChangeShape } from './changeClassifier';

export const DEFAULT_KEEP_AFTER_MS = 3 * 60_000;
/** At least this share of the edit's lines still present means "kept". */
export const KEPT_MIN_RETENTION = 0.5;

export interface TrackedEdit {
  path: string;
  interactionId: string;
  sessionId: string;
  offset: number;
  length: number;
  text: string;
  dueAt: number;
}

export class EditSurvivalTracker {
  private readonly byPath = new Map<string, TrackedEdit[]>();

  constructor(private readonly newId: () => string, private readonly keepAfterMs = DEFAULT_KEEP_AFTER_MS) {}

  get size(): number {
    let n = 0;
    for (const edits of this.byPath.values()) n += edits.length;
    return n;
  }

  track(path: string, change: TextChangeShape, interaction: { id: string; sessionId: string }, now: number): void {
    const edit: TrackedEdit = {
      path, interactionId: interaction.id, sessionId: interaction.sessionId,
      offset: change.rangeOffset, length: change.text.length, text: change.text, dueAt: now + this.keepAfterMs,
    };
    const list = this.byPath.get(path);
    if (list) list.push(edit); else this.byPath.set(path, [edit]);
  }

  /**
   * A later change to `path` (offsets refer to the document before it, as VS Code reports them).
   * Returns edit_undone for tracked edits that an undo reversed exactly.
   */
  onChange(path: string, changes: readonly TextChangeShape[], isUndo: boolean, now: number): OutcomeEvent[] {
    const list = this.byPath.get(path);
    if (!list) return [];
    const events: OutcomeEvent[] = [];
    for (let k = list.length - 1; k >= 0; k--) {
      const edit = list[k];
      if (isUndo && changes.some((c) => c.rangeOffset === edit.offset && c.rangeLength === edit.length)) {
        events.push(this.outcome(edit, 'edit_undone', 0, 'reverted with undo', now));
        list.splice(k, 1);
        continue;
      }
      let shift = 0;
      for (const c of changes) {
        if (c.rangeOffset + c.rangeLength <= edit.offset) shift += c.text.length - c.rangeLength;
        else if (c.rangeOffset < edit.offset + edit.length) edit.length = Math.max(0, edit.length + c.text.length - c.rangeLength);
      }
      edit.offset += shift;
    }
    if (list.length === 0) this.byPath.delete(path);
    return events;
  }

  /** Removes and returns the edits whose time has come; the caller reads each file and calls settle. */
  takeDue(now: number): TrackedEdit[] {
    const due: TrackedEdit[] = [];
    for (const [path, list] of this.byPath) {
      const keep = list.filter((edit) => edit.dueAt > now);
      if (keep.length === list.length) continue;
      due.push(...list.filter((edit) => edit.dueAt <= now));
      if (keep.length) this.byPath.set(path, keep); else this.byPath.delete(path);
    }
    return due;
  }

  /** `documentText` undefined: the file is gone. */
  settle(edit: TrackedEdit, documentText: string | undefined, now: number): OutcomeEvent {
    if (documentText === undefined) return this.outcome(edit, 'edit_undone', 0, 'the file no longer exists', now);
    const retention = lineRetention(edit.text, documentText);
    const kept = retention >= KEPT_MIN_RETENTION;
    return this.outcome(edit, kept ? 'edit_kept' : 'edit_undone', Math.round(retention * 100) / 100,
      `${Math.round(retention * 100)}% of the inserted lines still present`, now);
  }

  clear(): void {
    this.byPath.clear();
  }

  private outcome(edit: TrackedEdit, kind: 'edit_kept' | 'edit_undone', value: number, why: string, now: number): OutcomeEvent {
    const name = edit.path.split(/[\\/]/).pop();
    return { id: this.newId(), interactionId: edit.interactionId, sessionId: edit.sessionId, kind, value, detail: `${name}: ${why}`, at: now };
  }
}

/**
 * Share of the inserted lines (trimmed) that still occur in the document. Lines without a word
 * (`}`, `});`) occur everywhere and would make every edit look kept, so they count only when the
 * edit has nothing else.
 */
export function lineRetention(inserted: string, documentText: string): number {
  const nonBlank = inserted.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const worded = nonBlank.filter((l) => /[A-Za-z0-9_]{2}/.test(l));
  const lines = worded.length > 0 ? worded : nonBlank;
  if (lines.length === 0) return 1;
  const present = new Set(documentText.split(/\r?\n/).map((l) => l.trim()));
  return lines.filter((l) => present.has(l)).length / lines.length;
}
