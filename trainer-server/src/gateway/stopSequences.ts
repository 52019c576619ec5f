// Applies OpenAI `stop` sequences to text that arrives in pieces. Text that could be the start of a
// stop sequence is held back until the next piece shows whether it is, so no stop text leaks out.
export class StopFilter {
  private held = '';
  stopped = false;

  constructor(private readonly stops: readonly string[]) {}

  /** Returns the text that is safe to emit now. */
  push(piece: string): string {
    if (this.stopped) return '';
    if (this.stops.length === 0) return piece;
    const text = this.held + piece;
    const cut = firstStopIndex(text, this.stops);
    if (cut >= 0) {
      this.stopped = true;
      this.held = '';
      return text.slice(0, cut);
    }
    const keep = stopPrefixAtEnd(text, this.stops);
    this.held = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** The held-back tail, once the generation ended without completing a stop sequence. */
  flush(): string {
    const rest = this.stopped ? '' : this.held;
    this.held = '';
    return rest;
  }
}

/** Where the earliest of `stops` begins in `text` at or after `from`; -1 when none does. */
export function firstStopIndex(text: string, stops: readonly string[], from = 0): number {
  let first = -1;
  for (const stop of stops) {
    const at = text.indexOf(stop, from);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

/** Length of the longest end of `text` that is a proper start of some stop sequence: what must be held back. */
export function stopPrefixAtEnd(text: string, stops: readonly string[]): number {
  let longest = 0;
  for (const stop of stops) {
    for (let n = Math.min(stop.length - 1, text.length); n > longest; n--) {
      if (text.endsWith(stop.slice(0, n))) {
        longest = n;
        break;
      }
    }
  }
  return longest;
}
