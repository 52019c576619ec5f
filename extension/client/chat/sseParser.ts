// Server-sent events as the OpenAI-compatible streaming API sends them: `data: {...}` lines, a
// blank line ending each event, `data: [DONE]` at the end. Chunks from the network split lines
// and events anywhere, so the parser keeps the unfinished tail between pushes.

export interface SseEvent {
  event: string;
  data: string;
}

export class SseParser {
  private tail = '';
  private eventName = '';
  private data: string[] = [];

  /** Feeds a decoded chunk; returns the events it completed. */
  push(chunk: string): SseEvent[] {
    const text = this.tail + chunk;
    const events: SseEvent[] = [];
    let start = 0;
    for (let end = text.indexOf('\n', start); end >= 0; end = text.indexOf('\n', start)) {
      const line = text.slice(start, end).replace(/\r$/, '');
      start = end + 1;
      this.line(line, events);
    }
    this.tail = text.slice(start);
    return events;
  }

  /** The stream ended: an event without its closing blank line still counts. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.tail) this.line(this.tail.replace(/\r$/, ''), events);
    this.tail = '';
    this.line('', events);
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.data.length > 0) events.push({ event: this.eventName || 'message', data: this.data.join('\n') });
      this.data = [];
      this.eventName = '';
      return;
    }
    if (line.startsWith(':')) return; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.eventName = value;
  }
}

/** The text a chat.completion.chunk adds; throws on an error payload. `undefined` marks [DONE]. */
export function completionDelta(data: string): string | undefined {
  if (data.trim() === '[DONE]') return undefined;
  let chunk: { choices?: Array<{ delta?: { content?: string | null } }>; error?: { message?: string } | string };
  try {
    chunk = JSON.parse(data);
  } catch {
    throw new Error(`the gateway sent a stream event that is not JSON: ${data.slice(0, 120)}`);
  }
  if (chunk.error) throw new Error(`the gateway reported an error: ${typeof chunk.error === 'string' ? chunk.error : chunk.error.message ?? 'unknown'}`);
  return chunk.choices?.[0]?.delta?.content ?? '';
}
