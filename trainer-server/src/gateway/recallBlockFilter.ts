// A version trained on recall examples (extension/server/dataset/recallExamples.ts) opens its answer
// with the lessons it recalls: `<recall>\n- lesson\n</recall>\n`. That block is the model's memory at
// work, not part of the answer, so a client of the gateway gets the answer without it; capture keeps
// the full text (recallExamples.ts tells the live version's own recall apart by it).
// Streaming: text is held only while the answer may still be opening with `<recall>` (leading
// whitespace, then a prefix of the tag) or is inside that block; an answer whose first visible
// character is not `<` passes through at once, and anything that turns out not to be a closed block
// is released unchanged, so nothing the model wrote is lost.

const OPEN = '<recall>';
const CLOSE = '</recall>';
/** A block longer than this (three short lessons take a few hundred characters) is not a recall block. */
const MAX_BLOCK_CHARS = 4000;

export class RecallBlockFilter {
  private held = '';
  private mode: 'start' | 'inside' | 'newline' | 'pass' = 'start';
  /** The block taken out of the answer (with what surrounded it), for what a cut-off capture records. */
  dropped = '';

  /** The part of `piece` the client may be sent now. */
  push(piece: string): string {
    if (this.mode === 'pass') return piece;
    if (this.mode === 'newline') return this.afterBlock(piece);
    this.held += piece;
    if (this.mode === 'start') {
      const visible = this.held.trimStart();
      if (visible === '' || (visible.length < OPEN.length && OPEN.startsWith(visible))) return '';
      if (!visible.startsWith(OPEN)) return this.release();
      this.mode = 'inside';
    }
    const close = this.held.indexOf(CLOSE);
    if (close < 0) return this.held.length > MAX_BLOCK_CHARS ? this.release() : '';
    const rest = this.held.slice(close + CLOSE.length);
    this.dropped = this.held.slice(0, close + CLOSE.length);
    this.held = '';
    this.mode = 'newline';
    return this.afterBlock(rest);
  }

  /** What is still held once generation ended: an unclosed block is not one, so it goes out as it is. */
  flush(): string {
    return this.mode === 'start' || this.mode === 'inside' ? this.release() : '';
  }

  /** Drops the one newline that ends the block's line (`\n` or `\r\n`), then passes everything. */
  private afterBlock(text: string): string {
    if (text === '') return '';
    this.mode = 'pass';
    const newline = text.startsWith('\r\n') ? 2 : text.startsWith('\n') ? 1 : 0;
    this.dropped += text.slice(0, newline);
    return text.slice(newline);
  }

  private release(): string {
    const out = this.held;
    this.held = '';
    this.mode = 'pass';
    return out;
  }
}

/** A whole answer without its leading recall block. */
export function withoutRecallBlock(text: string): string {
  const filter = new RecallBlockFilter();
  return filter.push(text) + filter.flush();
}
