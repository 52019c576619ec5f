// The recent interactions that editor signals can be linked to: the chat participant's, and those
// imported from live sessions of other assistants (Claude Code, Codex, Cline...). The ledger
// remembers them for a while, with the code blocks of their answers (to recognise an "insert at
// cursor" of that code) and the files their attributed edits touched in this workspace.

export interface LedgerInteraction {
  id: string;
  sessionId: string;
  /** When the answer finished (epoch ms). */
  at: number;
  /** Code blocks of the answer, normalised by normaliseCode. */
  codeBlocks: string[];
  /** Files the interaction's edits touched, with the time of the latest edit. */
  files: Map<string, number>;
  /** Imported from a live session: it may belong to another project, so it earns terminal outcomes only through an edit here. */
  live?: boolean;
}

/** How long an interaction stays linkable: a test run or an insert half an hour later is a new story. */
export const LEDGER_WINDOW_MS = 30 * 60_000;
/** Shorter insertions match too many things (a closing brace, `return x;`). */
const MIN_MATCH_CHARS = 20;
const MAX_REMEMBERED = 50;

export class InteractionLedger {
  private readonly recent: LedgerInteraction[] = [];

  /** Records an interaction; one already known (a live session re-imports its open turn) is updated in place. */
  record(entry: { id: string; sessionId: string; at: number; answer: string; live?: boolean }): LedgerInteraction {
    const codeBlocks = extractCodeBlocks(entry.answer).map(normaliseCode).filter((c) => c.length >= MIN_MATCH_CHARS);
    const known = this.get(entry.id);
    if (known) {
      known.at = Math.max(known.at, entry.at);
      known.codeBlocks = codeBlocks;
      return known;
    }
    const interaction: LedgerInteraction = { id: entry.id, sessionId: entry.sessionId, at: entry.at, codeBlocks, files: new Map(), live: entry.live };
    this.recent.push(interaction);
    if (this.recent.length > MAX_REMEMBERED) this.recent.shift();
    return interaction;
  }

  get(id: string): LedgerInteraction | undefined {
    return this.recent.find((i) => i.id === id);
  }

  /**
   * The interaction a terminal command that ends now follows: the one whose attributed edit in this
   * workspace is the latest, else the chat participant's latest answer; within the window.
   */
  mostRecent(now: number, windowMs = LEDGER_WINDOW_MS): LedgerInteraction | undefined {
    let best: LedgerInteraction | undefined;
    let bestAt = -Infinity;
    for (const interaction of this.recent) {
      let at = interaction.live ? -Infinity : interaction.at;
      for (const editedAt of interaction.files.values()) at = Math.max(at, editedAt);
      if (now - at <= windowMs && at >= bestAt) { best = interaction; bestAt = at; }
    }
    return best;
  }

  /** The interaction whose edit touched `path` most recently within the window. */
  lastToTouch(path: string, now: number, windowMs = LEDGER_WINDOW_MS): LedgerInteraction | undefined {
    let best: LedgerInteraction | undefined;
    let bestAt = -Infinity;
    for (const interaction of this.recent) {
      const at = interaction.files.get(path);
      if (at !== undefined && now - at <= windowMs && at > bestAt) { best = interaction; bestAt = at; }
    }
    return best;
  }

  noteEdit(interactionId: string, path: string, at: number): void {
    this.get(interactionId)?.files.set(path, at);
  }

  /** The newest recent interaction whose answer contains the inserted code (or is contained in it). */
  matchInsertion(text: string, now: number, windowMs = LEDGER_WINDOW_MS): LedgerInteraction | undefined {
    const inserted = normaliseCode(text);
    if (inserted.length < MIN_MATCH_CHARS) return undefined;
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const interaction = this.recent[i];
      if (now - interaction.at > windowMs) continue;
      if (interaction.codeBlocks.some((block) => block.includes(inserted) || inserted.includes(block))) return interaction;
    }
    return undefined;
  }

  clear(): void {
    this.recent.length = 0;
  }
}

/** Fenced code blocks (``` or ~~~) of a markdown answer, without their fences. */
export function extractCodeBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const fence = /^ {0,3}(`{3,}|~{3,})[^\n]*\n([\s\S]*?)^ {0,3}\1[ \t]*$/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) blocks.push(match[2].replace(/\n$/, ''));
  return blocks;
}

/** Editors re-indent inserted code; comparing trimmed, non-blank lines ignores that. */
export function normaliseCode(code: string): string {
  return code.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0).join('\n');
}
