// Tells, from one text-change event, whether the change came from an assistant, from typing, or
// cannot be told. VS Code's public API says only "undo", "redo" or nothing about a change, so this
// is a heuristic over the change's shape; the thresholds are named and documented here.

/** The parts of a vscode.TextDocumentContentChangeEvent the classifier reads (structurally compatible). */
export interface TextChangeShape {
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
  readonly range: { readonly start: { readonly line: number }; readonly end: { readonly line: number } };
}

/** vscode.TextDocumentChangeReason values, mirrored so this module does not import 'vscode'. */
export const CHANGE_REASON_UNDO = 1;
export const CHANGE_REASON_REDO = 2;

/**
 * A single change that inserts at least this many lines (two line breaks) AND this many characters
 * is an assistant's: a chat "insert at cursor" or "apply", an accepted multi-line inline
 * suggestion, or a patch. Typing never does this in one change; pasting does, which is why a paste
 * that matches the clipboard is later downgraded to 'unknown' by the controller.
 */
export const ASSISTANT_MIN_LINES = 3;
export const ASSISTANT_MIN_CHARS = 80;
/** One keystroke inserts one character, or an auto-closed pair such as `()`. */
export const TYPING_MAX_CHARS = 2;
/** Enter with auto-indent inserts a line break followed by indentation only. */
const NEWLINE_WITH_INDENT = /^\r?\n[ \t]*$/;

export type Origin = 'assistant' | 'typing' | 'unknown';

export interface ChangeInput {
  changes: readonly TextChangeShape[];
  /** vscode.TextDocumentChangeEvent.reason: 1 undo, 2 redo, undefined otherwise. */
  reason: number | undefined;
  /** The document is the active text editor's: the only place where keystrokes land. */
  inActiveEditor: boolean;
  /** document.isDirty after the change; false for a reload from disk (git checkout, external tool). */
  dirtyAfter: boolean;
}

export interface ChangeClass {
  origin: Origin;
  undoOrRedo: boolean;
  linesAdded: number;
  linesRemoved: number;
  /** The change that made it an assistant's (the largest insertion), for linking and keep/undo tracking. */
  assistantChanges: readonly TextChangeShape[];
}

const NONE: readonly TextChangeShape[] = [];

export function classifyChange(input: ChangeInput): ChangeClass {
  const { changes } = input;
  let linesAdded = 0;
  let linesRemoved = 0;
  let largeInsertions: TextChangeShape[] | undefined;
  for (const change of changes) {
    const breaks = countLineBreaks(change.text);
    linesAdded += breaks;
    linesRemoved += change.range.end.line - change.range.start.line;
    if (breaks + 1 >= ASSISTANT_MIN_LINES && change.text.length >= ASSISTANT_MIN_CHARS) (largeInsertions ??= []).push(change);
  }
  const undoOrRedo = input.reason === CHANGE_REASON_UNDO || input.reason === CHANGE_REASON_REDO;
  let origin: Origin;
  if (undoOrRedo) origin = 'typing'; // the user pressed undo/redo
  else if (input.inActiveEditor && looksTyped(changes)) origin = 'typing';
  else if (!input.dirtyAfter) origin = 'unknown'; // content now equals the disk: a reload, not an edit here
  else if (largeInsertions) origin = 'assistant';
  else origin = 'unknown';
  return { origin, undoOrRedo, linesAdded, linesRemoved, assistantChanges: origin === 'assistant' ? largeInsertions! : NONE };
}

/** One keystroke, one deletion, Enter, or the same keystroke at several cursors. */
function looksTyped(changes: readonly TextChangeShape[]): boolean {
  const first = changes[0];
  if (!first) return false;
  const keystroke = first.text.length <= TYPING_MAX_CHARS || NEWLINE_WITH_INDENT.test(first.text);
  if (!keystroke) return false;
  for (let i = 1; i < changes.length; i++) if (changes[i].text !== first.text) return false;
  return true;
}

export function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
