// Links diagnostics that disappear (or appear) after an assistant edit to the interaction that made
// it. The baseline is taken at the edit, before the language server has seen it; the comparison is
// made once, when the attribution closes, against the latest debounced snapshot, so a syntax error
// that flickers while the server catches up counts neither way.
import type { OutcomeEvent } from '../../protocol/records';

/** The parts of a vscode.Diagnostic this module reads (structurally compatible). */
export interface DiagnosticShape {
  readonly severity: number; // vscode.DiagnosticSeverity: 0 error, 1 warning, 2 information, 3 hint
  readonly message: string;
  readonly source?: string;
  readonly code?: string | number | { value: string | number };
}

/** An attribution closes this long after the last assistant edit to the file. */
export const DIAGNOSTIC_WINDOW_MS = 2 * 60_000;
const MAX_SEVERITY_COUNTED = 1; // errors and warnings; information and hints are not problems

export type DiagnosticCounts = Map<string, number>;

/** Errors and warnings as a multiset keyed without their range (an edit above them moves them). */
export function diagnosticCounts(diagnostics: readonly DiagnosticShape[]): DiagnosticCounts {
  const counts: DiagnosticCounts = new Map();
  for (const d of diagnostics) {
    if (d.severity > MAX_SEVERITY_COUNTED) continue;
    const code = typeof d.code === 'object' ? d.code.value : d.code;
    const key = `${d.severity === 0 ? 'error' : 'warning'}|${d.source ?? ''}|${code ?? ''}|${d.message}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

interface Attribution {
  interactionId: string;
  sessionId: string;
  baseline: DiagnosticCounts;
  latest: DiagnosticCounts;
  lastEditAt: number;
}

export class DiagnosticAttribution {
  private readonly open = new Map<string, Attribution>();

  constructor(private readonly newId: () => string, private readonly windowMs = DIAGNOSTIC_WINDOW_MS) {}

  get size(): number { return this.open.size; }
  has(path: string): boolean { return this.open.has(path); }

  /**
   * An assistant edit of `interaction` to `path`; `current` is the file's diagnostics just before it.
   * Returns the outcome of a previous attribution of the same file to another interaction, now closed.
   */
  editedBy(path: string, interaction: { id: string; sessionId: string }, current: DiagnosticCounts, now: number): OutcomeEvent[] {
    const existing = this.open.get(path);
    if (existing?.interactionId === interaction.id) {
      existing.lastEditAt = now;
      return [];
    }
    let closed: OutcomeEvent[] = [];
    if (existing) {
      existing.latest = current;
      closed = this.close(path, now);
    }
    this.open.set(path, { interactionId: interaction.id, sessionId: interaction.sessionId, baseline: current, latest: current, lastEditAt: now });
    return closed;
  }

  /** A debounced snapshot of the file's diagnostics. */
  observe(path: string, current: DiagnosticCounts): void {
    const attribution = this.open.get(path);
    if (attribution) attribution.latest = current;
  }

  /** Closes the attribution (the user typed in the file, or its window ended) and reports the difference. */
  close(path: string, now: number): OutcomeEvent[] {
    const a = this.open.get(path);
    if (!a) return [];
    this.open.delete(path);
    const fixed: string[] = [];
    const introduced: string[] = [];
    for (const [key, before] of a.baseline) for (let k = a.latest.get(key) ?? 0; k < before; k++) fixed.push(key);
    for (const [key, after] of a.latest) for (let k = a.baseline.get(key) ?? 0; k < after; k++) introduced.push(key);
    const events: OutcomeEvent[] = [];
    const base = { interactionId: a.interactionId, sessionId: a.sessionId, at: now };
    if (fixed.length) events.push({ ...base, id: this.newId(), kind: 'diagnostic_fixed', value: fixed.length, detail: describe(path, fixed) });
    if (introduced.length) events.push({ ...base, id: this.newId(), kind: 'diagnostic_introduced', value: introduced.length, detail: describe(path, introduced) });
    return events;
  }

  /** Closes every attribution whose window has ended. */
  expire(now: number): OutcomeEvent[] {
    const events: OutcomeEvent[] = [];
    for (const [path, a] of this.open) if (now - a.lastEditAt >= this.windowMs) events.push(...this.close(path, now));
    return events;
  }

  closeAll(now: number): OutcomeEvent[] {
    return [...this.open.keys()].flatMap((path) => this.close(path, now));
  }

  clear(): void {
    this.open.clear();
  }
}

/** `a.ts: error Cannot find name 'x'; warning ...` (first three, each cut to 120 characters). */
function describe(path: string, keys: string[]): string {
  const name = path.split(/[\\/]/).pop();
  const shown = keys.slice(0, 3).map((key) => {
    const [severity, , , ...message] = key.split('|');
    return `${severity} ${message.join('|').slice(0, 120)}`;
  });
  return `${name}: ${shown.join('; ')}${keys.length > 3 ? ` (+${keys.length - 3} more)` : ''}`;
}
