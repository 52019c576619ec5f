// Joins an edit seen in the editor to the interaction that made it, by that interaction's own
// record: an assistant's transcript says "my Edit/Write/patch wrote this path at this time", and the
// editor saw this path change at about that time. Pure: no file system, no editor, so the extension
// host runs it on every edit that is not typing and the tests run it on plain values.
//
// Either side can arrive first. The editor usually sees the write before the transcript line that
// reports it has been imported, so an edit without evidence waits (PENDING_WAIT_MS) for evidence to
// arrive; evidence is remembered (EVIDENCE_TTL_MS) for edits the editor notices late.

/** One file write an interaction's record reports (an imported FileTouch of an edit tool or patch). */
export interface WriteEvidence {
  /** The touch's id: the same write imported twice is one piece of evidence. */
  id: string;
  interactionId: string;
  sessionId: string;
  /** The assistant (claude-code, codex, cline, ...). */
  source: string;
  /** As the record wrote it: absolute, or relative to the session's folder. */
  path: string;
  at: number;
  linesAdded?: number;
  linesRemoved?: number;
}

/** A change the editor saw that was not typing. */
export interface ObservedEdit {
  path: string;
  at: number;
  linesAdded: number;
  linesRemoved: number;
  /**
   * A folder created on disk: the editor's watcher reports a new folder, not the files written into
   * it, so a write of any file under it is explained by it.
   */
  folder?: boolean;
}

export interface Attribution {
  interactionId: string;
  sessionId: string;
  /** The write that explains the edit. */
  write: WriteEvidence;
  /** Why: which record, which write, how far apart in time; stored with the file touch. */
  evidence: string;
}

/** The editor sees a write at most this long after the record that reports it (its watcher, a slow reload). */
export const ATTRIBUTION_WINDOW_MS = 60_000;
/**
 * ...and at most this long before it: records are stamped when the tool finished, right after the
 * write, so an edit seen earlier than that is another change to the file (the user's, a formatter's).
 */
export const EDIT_BEFORE_WRITE_MS = 3_000;
/** How long an edit waits for the transcript that explains it to be written and imported. */
export const PENDING_WAIT_MS = 10_000;
/** Evidence older than this explains no new edit. */
export const EVIDENCE_TTL_MS = 10 * 60_000;
const MAX_EVIDENCE = 1_000;
const MAX_PENDING = 500;

/** The written path names the edited file: the same absolute path, or a relative path that ends it. */
export function samePath(editedPath: string, writtenPath: string): boolean {
  const edited = editedPath.replace(/\\/g, '/');
  const written = writtenPath.replace(/\\/g, '/').replace(/^\.\//, '');
  if (written.length === 0) return false;
  if (written.startsWith('/') || /^[A-Za-z]:\//.test(written)) return sameAbsolute(edited, written);
  return edited.endsWith(`/${written}`);
}

function sameAbsolute(a: string, b: string): boolean {
  // Windows paths compare without case; a drive letter says which kind this is.
  return /^[A-Za-z]:\//.test(a) ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** An absolute written path inside the folder (a relative one cannot be placed). */
export function insideFolder(folder: string, writtenPath: string): boolean {
  const written = writtenPath.replace(/\\/g, '/');
  if (!written.startsWith('/') && !/^[A-Za-z]:\//.test(written)) return false;
  const prefix = `${folder.replace(/\\/g, '/').replace(/\/$/, '')}/`;
  return /^[A-Za-z]:\//.test(prefix) ? written.toLowerCase().startsWith(prefix.toLowerCase()) : written.startsWith(prefix);
}

function explains(write: WriteEvidence, edit: ObservedEdit): boolean {
  return edit.folder ? insideFolder(edit.path, write.path) : samePath(edit.path, write.path);
}

function linesAgree(edit: ObservedEdit, write: WriteEvidence): boolean {
  return write.linesAdded === edit.linesAdded && (write.linesRemoved ?? 0) === edit.linesRemoved;
}

/** The write that best explains the edit: same file, within the window; agreeing line counts first, then the nearest in time. */
export function attributeEdit(edit: ObservedEdit, evidence: readonly WriteEvidence[], windowMs = ATTRIBUTION_WINDOW_MS): Attribution | undefined {
  let best: WriteEvidence | undefined;
  let bestRank = Infinity;
  for (const write of evidence) {
    const after = edit.at - write.at;
    if (after > windowMs || after < -EDIT_BEFORE_WRITE_MS || !explains(write, edit)) continue;
    const distance = Math.abs(after);
    const rank = (linesAgree(edit, write) ? 0 : windowMs + 1) + distance;
    if (rank < bestRank) { best = write; bestRank = rank; }
  }
  return best && { interactionId: best.interactionId, sessionId: best.sessionId, write: best, evidence: describeEvidence(edit, best) };
}

function describeEvidence(edit: ObservedEdit, write: WriteEvidence): string {
  const seconds = ((edit.at - write.at) / 1000).toFixed(1);
  const lines = write.linesAdded === undefined ? '' : ` (+${write.linesAdded} -${write.linesRemoved ?? 0}${linesAgree(edit, write) ? ', same lines as the edit' : ''})`;
  return `${write.source} record wrote ${write.path}${lines}; edit seen ${seconds} s after the write [${write.id}]`;
}

interface Pending<P> { edit: ObservedEdit; payload: P; until: number }

export interface Resolved<P> { edit: ObservedEdit; payload: P; attribution: Attribution }

/**
 * Recent evidence and the edits still waiting for it. `P` is what the caller needs to finish an edit
 * later (the editor's diagnostics before it, its text changes).
 */
export class AttributionBook<P> {
  private evidence: WriteEvidence[] = [];
  private readonly evidenceIds = new Set<string>();
  private pending: Pending<P>[] = [];

  constructor(private readonly waitMs = PENDING_WAIT_MS, private readonly windowMs = ATTRIBUTION_WINDOW_MS) {}

  get pendingCount(): number { return this.pending.length; }
  get evidenceCount(): number { return this.evidence.length; }

  /** Attributes the edit from evidence already known, if any. */
  attribute(edit: ObservedEdit): Attribution | undefined {
    return this.evidence.length === 0 ? undefined : attributeEdit(edit, this.evidence, this.windowMs);
  }

  /** An edit of this path (or folder) already waits. */
  isWaiting(path: string): boolean {
    return this.pending.some((p) => p.edit.path === path);
  }

  /** Keeps the edit until evidence explains it or its wait ends. Returns an edit pushed out because too many wait. */
  hold(edit: ObservedEdit, payload: P, now: number): { edit: ObservedEdit; payload: P } | undefined {
    this.pending.push({ edit, payload, until: now + this.waitMs });
    return this.pending.length > MAX_PENDING ? this.pending.shift() : undefined;
  }

  /** New evidence: remembered, and matched against the edits that wait. Returns those it explains. */
  addEvidence(writes: readonly WriteEvidence[], now: number): Resolved<P>[] {
    const fresh = writes.filter((w) => !this.evidenceIds.has(w.id));
    if (fresh.length === 0) return [];
    for (const write of fresh) { this.evidence.push(write); this.evidenceIds.add(write.id); }
    this.forgetOld(now);
    const resolved: Resolved<P>[] = [];
    this.pending = this.pending.filter((p) => {
      const attribution = attributeEdit(p.edit, fresh, this.windowMs);
      if (attribution) resolved.push({ edit: p.edit, payload: p.payload, attribution });
      return !attribution;
    });
    return resolved;
  }

  /** Edits whose wait ended with no evidence: unattributed. */
  expire(now: number): Array<{ edit: ObservedEdit; payload: P }> {
    this.forgetOld(now);
    if (this.pending.length === 0 || this.pending[0].until > now) return [];
    const due = this.pending.filter((p) => p.until <= now);
    this.pending = this.pending.filter((p) => p.until > now);
    return due.map(({ edit, payload }) => ({ edit, payload }));
  }

  /** Everything waiting, now (pause, shutdown). */
  takeAll(): Array<{ edit: ObservedEdit; payload: P }> {
    const all = this.pending.map(({ edit, payload }) => ({ edit, payload }));
    this.pending = [];
    return all;
  }

  clear(): void {
    this.evidence = [];
    this.evidenceIds.clear();
    this.pending = [];
  }

  private forgetOld(now: number): void {
    if (this.evidence.length === 0) return;
    const kept = this.evidence.filter((w) => now - w.at <= EVIDENCE_TTL_MS).slice(-MAX_EVIDENCE);
    if (kept.length === this.evidence.length) return;
    this.evidence = kept;
    this.evidenceIds.clear();
    for (const w of kept) this.evidenceIds.add(w.id);
  }
}
