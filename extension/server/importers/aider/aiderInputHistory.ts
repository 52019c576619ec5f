// .aider.input.history: `# <local timestamp>` then `+<line>` for every line the user typed. It is
// the only place Aider keeps per-request times, so requests are matched to it by text.

export interface InputEntry {
  at: number;
  text: string;
}

/** Naive local times are read as UTC so values do not depend on the importing machine's zone. */
export function aiderTime(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac] = match;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
}

export function parseInputHistory(text: string): InputEntry[] {
  const entries: InputEntry[] = [];
  let current: { at: number; lines: string[] } | undefined;
  const close = (): void => {
    if (current && current.lines.length > 0) entries.push({ at: current.at, text: current.lines.join('\n') });
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('# ')) {
      const at = aiderTime(line.slice(2));
      if (at !== undefined) {
        close();
        current = { at, lines: [] };
        continue;
      }
    }
    if (current && line.startsWith('+')) current.lines.push(line.slice(1).replace(/\r$/, ''));
  }
  close();
  return entries;
}

/** Aider pads chat-history lines with two spaces (markdown line breaks); typed input has none. */
function normalise(text: string): string {
  return text.split('\n').map((line) => line.trimEnd()).join('\n').trim();
}

/** A request is looked for no further than this after its run started (runs rarely last longer). */
const MAX_RUN_MS = 24 * 60 * 60 * 1000;

/** Finds, in order, the typed entry for each request; each entry is used once. */
export class InputTimeline {
  private next = 0;

  constructor(private readonly entries: readonly InputEntry[]) {}

  /** Time the user typed `request`, searching from `notBefore` on. */
  timeOf(request: string, notBefore: number): number | undefined {
    const wanted = normalise(request);
    for (let i = this.next; i < this.entries.length; i++) {
      const entry = this.entries[i];
      if (entry.at < notBefore) continue;
      if (entry.at > notBefore + MAX_RUN_MS) break;
      if (normalise(entry.text) === wanted) {
        this.next = i + 1;
        return entry.at;
      }
    }
    return undefined;
  }
}
