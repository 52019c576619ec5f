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
    let cut = -1;
    for (const stop of this.stops) {
      const at = text.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.stopped = true;
      this.held = '';
      return text.slice(0, cut);
    }
    const keep = this.longestStopPrefixSuffix(text);
    this.held = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** The held-back tail, once the generation ended without completing a stop sequence. */
  flush(): string {
    const rest = this.stopped ? '' : this.held;
    this.held = '';
    return rest;
  }

  private longestStopPrefixSuffix(text: string): number {
    let best = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, text.length); length > best; length--) {
        if (text.endsWith(stop.slice(0, length))) {
          best = length;
          break;
        }
      }
    }
    return best;
  }
}
