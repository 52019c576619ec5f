// Turns the growing decoded answer into the pieces safe to send: text that could still become the start
// of a stop sequence is held back, as is a trailing incomplete UTF-8 character (decoded as U+FFFD until its
// last byte arrives), and at the first stop sequence the answer ends before it. The stop matching itself is
// the gateway's (stopSequences.ts); this adds the whole-text input and the UTF-8 hold-back.
import { firstStopIndex, stopPrefixAtEnd } from '../../gateway/stopSequences';

export class StopScanner {
  /** Everything handed out so far: the answer as the client has it. */
  sent = '';
  stopped = false;
  private latest = '';

  constructor(private readonly stops: string[]) {}

  /** Takes the whole decoded answer so far; returns the new text that may be sent now. */
  update(text: string): string {
    if (this.stopped) return '';
    this.latest = text;
    const at = this.firstStop(text);
    if (at >= 0) {
      this.stopped = true;
      return this.advanceTo(text.slice(0, at));
    }
    let safe = text.length - stopPrefixAtEnd(text, this.stops);
    if (text.charCodeAt(safe - 1) === 0xfffd) safe -= 1;
    return this.advanceTo(text.slice(0, Math.max(safe, this.sent.length)));
  }

  /** Generation ended without a stop sequence: whatever was held back goes out. */
  finish(): string {
    return this.stopped ? '' : this.advanceTo(this.latest);
  }

  private advanceTo(text: string): string {
    const piece = text.slice(this.sent.length);
    this.sent = text;
    return piece;
  }

  private firstStop(text: string): number {
    const from = Math.max(0, this.sent.length - Math.max(0, ...this.stops.map((s) => s.length)));
    return firstStopIndex(text, this.stops, from);
  }
}
