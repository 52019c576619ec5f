// Tells, from one text-change event, whether it was typing, and which of its insertions are large
// enough to be an assistant's code. VS Code's public API says only "undo", "redo" or nothing about
// a change, so typing is told by shape; the thresholds are named and documented here. Whether a
// change is an assistant's is NOT decided here: only evidence says so (an interaction's record that
// wrote the file, our participant's announced edit, an inserted block equal to an answer's code),
// and the pipeline looks for it. The dirty flag says nothing about who made a change (the first
// change after a save, or after auto-save, reports a clean document), so it is not read.

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
 * may be an assistant's code (a chat "insert at cursor" or "apply", an accepted multi-line inline
 * suggestion, a patch): the pipeline compares it with recent answers' code blocks. Shorter
 * insertions match too much to be evidence.
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
}

export interface ChangeClass {
  /** 'typing' or 'unknown': 'assistant' is given by the pipeline, on evidence. */
  origin: Exclude<Origin, 'assistant'>;
  undoOrRedo: boolean;
  linesAdded: number;
  linesRemoved: number;
  /** Insertions large enough to compare with answers' code blocks (none for typing). */
  largeInsertions: readonly TextChangeShape[];
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
  // Undo/redo is the user's key press; one keystroke in the active editor is typing.
  const typed = undoOrRedo || (input.inActiveEditor && looksTyped(changes));
  return { origin: typed ? 'typing' : 'unknown', undoOrRedo, linesAdded, linesRemoved, largeInsertions: typed ? NONE : largeInsertions ?? NONE };
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
