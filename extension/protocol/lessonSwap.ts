// A lesson that names a concrete swap ("Use `dayjs`, not `moment`.", "Use `parse_iso` instead of
// `strptime`") can be applied, not only shown: the avoided name becomes the preferred one. Shared by
// the analysis server (which lessons offer a swap for a diagnostic) and the client's code action
// (where in the flagged text to replace it). Pure string work.

export interface LessonSwap { from: string; to: string }

const NAME = '`?([A-Za-z_$@][\\w$@./:-]*?)(?:\\(\\))?`?';
/** "Use A[ helper], not B" / "Use A instead of B" / "Use A rather than B" / "Instead of B, use A". */
const SWAP_PATTERNS: Array<[RegExp, (m: RegExpMatchArray) => LessonSwap]> = [
  [new RegExp(`^\\s*(?:always\\s+)?use\\s+${NAME}(?:\\s+(?:helper|function|module|library|package|method|api))?\\s*,?\\s+(?:not|instead of|rather than)\\s+${NAME}[\\s.,;]*$`, 'i'),
    (m) => ({ to: m[1], from: m[2] })],
  [new RegExp(`^\\s*instead of\\s+${NAME}\\s*,?\\s+use\\s+${NAME}[\\s.,;]*$`, 'i'), (m) => ({ from: m[1], to: m[2] })],
];

/** The swap a lesson names, or undefined when its rule is not a plain "use A, not B". */
export function lessonSwap(text: string): LessonSwap | undefined {
  for (const [pattern, build] of SWAP_PATTERNS) {
    const m = text.match(pattern);
    if (!m) continue;
    const swap = build(m);
    const from = swap.from.replace(/[.,;]+$/, '');
    const to = swap.to.replace(/[.,;]+$/, '');
    if (from && to && from !== to) return { from, to };
  }
  return undefined;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Offsets of `from` in `text` as a whole name (not part of a longer identifier). */
export function swapOffsets(text: string, from: string): Array<{ start: number; end: number }> {
  const pattern = new RegExp(`(?<![\\w$])${escape(from)}(?![\\w$])`, 'g');
  return [...text.matchAll(pattern)].map((m) => ({ start: m.index!, end: m.index! + from.length }));
}
