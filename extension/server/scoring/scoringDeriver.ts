// Keeps interactions.effectiveness and score_breakdown current. Late signals are the normal case
// (a vote minutes later, a test run after the edit, the user's next message), so the deriver rescores
// every interaction an event touched, and the one before it in its session, whose follow-up may just
// have arrived. Work is grouped by session: one read of the session's order and outcomes serves all
// of its interactions.
import type { Database } from 'sql.js';
import { chunked, jsonList, readRows } from './dbRows';
import { scoreInteraction } from './effectivenessScore';
import type { OutcomeRow } from './evidenceFeatures';

interface TargetRow {
  id: string;
  session_id: string;
  response_window: string;
  solutions_applied: string;
  issues_encountered: string;
  effectiveness: number | null;
  score_breakdown: string | null;
}

interface SessionTurn { id: string; started_at: number; request_head: string }

/** What the admission scan reads of an answer: all of it, or its first 6,000 and last 4,000 characters. */
const RESPONSE_WINDOW = `CASE WHEN length(assistant_response) <= 10000 THEN assistant_response
  ELSE substr(assistant_response, 1, 6000) || char(10) || substr(assistant_response, -4000) END AS response_window`;

export class ScoringDeriver {
  /** outcome_events rowids above this have not been looked at for session-only (unlinked) outcomes. */
  private outcomeWatermark = 0;

  /** Rescores what changed; returns the ids whose score was (re)written. */
  derive(db: Database, changedIds: ReadonlySet<string>): string[] {
    const owners = this.unlinkedOutcomeOwners(db);
    return this.rescore(db, [...changedIds, ...owners], { withPrevious: true });
  }

  /** Rescores everything in one go (benchmarks; registerAnalysis does the same in chunks). */
  rescoreAll(db: Database): string[] {
    this.markOutcomesSeen(db);
    return this.rescore(db, readRows<{ id: string }>(db, 'SELECT id FROM interactions').map((r) => r.id), { withPrevious: false });
  }

  /** Before a full rescore: the unlinked outcomes already merged are covered by it. */
  markOutcomesSeen(db: Database): void {
    this.outcomeWatermark = maxOutcomeRowid(db);
  }

  rescore(db: Database, ids: readonly string[], options: { withPrevious: boolean } = { withPrevious: false }): string[] {
    const bySession = new Map<string, Set<string>>();
    for (const chunk of chunked([...new Set(ids)])) {
      for (const r of readRows<{ id: string; session_id: string }>(db, `SELECT id, session_id FROM interactions WHERE id IN (${chunk.map(() => '?').join(',')})`, chunk)) {
        const set = bySession.get(r.session_id) ?? new Set<string>();
        set.add(r.id);
        bySession.set(r.session_id, set);
      }
    }
    const update = db.prepare('UPDATE interactions SET effectiveness = ?, score_breakdown = ? WHERE id = ?');
    const written: string[] = [];
    try {
      for (const [sessionId, targets] of [...bySession].sort((a, b) => a[0].localeCompare(b[0]))) {
        for (const [id, score, json] of this.scoreSession(db, sessionId, targets, options.withPrevious)) {
          update.run([score, json, id]);
          written.push(id);
        }
      }
    } finally {
      update.free();
    }
    return written;
  }

  /** [id, score, breakdown JSON] for the targets whose score changed. */
  private scoreSession(db: Database, sessionId: string, targets: Set<string>, withPrevious: boolean): Array<[string, number, string]> {
    const turns = readRows<SessionTurn>(db,
      'SELECT id, started_at, substr(user_request, 1, 300) AS request_head FROM interactions WHERE session_id = ? ORDER BY started_at, id', [sessionId]);
    const position = new Map(turns.map((t, i) => [t.id, i]));
    if (withPrevious) {
      for (const id of [...targets]) {
        const p = position.get(id);
        if (p !== undefined && p > 0) targets.add(turns[p - 1].id);
      }
    }
    const ids = [...targets].sort();
    const rows = new Map<string, TargetRow>();
    const linked = new Map<string, OutcomeRow[]>();
    for (const chunk of chunked(ids)) {
      const marks = chunk.map(() => '?').join(',');
      for (const r of readRows<TargetRow>(db, `SELECT id, session_id, ${RESPONSE_WINDOW}, solutions_applied, issues_encountered,
        effectiveness, score_breakdown FROM interactions WHERE id IN (${marks})`, chunk)) rows.set(r.id, r);
      for (const o of readRows<OutcomeRow & { interaction_id: string }>(db,
        `SELECT interaction_id, kind, value, detail FROM outcome_events WHERE interaction_id IN (${marks}) ORDER BY at, id`, chunk)) {
        const list = linked.get(o.interaction_id) ?? [];
        list.push(o);
        linked.set(o.interaction_id, list);
      }
    }
    // Outcomes that name only the session belong to the interaction that was last before them.
    const unlinked = readRows<OutcomeRow & { at: number }>(db,
      'SELECT kind, value, detail, at FROM outcome_events WHERE interaction_id IS NULL AND session_id = ? ORDER BY at, id', [sessionId]);

    const out: Array<[string, number, string]> = [];
    for (const id of ids) {
      const row = rows.get(id);
      const p = position.get(id);
      if (!row || p === undefined) continue;
      const next = turns[p + 1];
      const from = turns[p].started_at;
      const until = next?.started_at ?? Number.MAX_SAFE_INTEGER;
      const breakdown = scoreInteraction({
        userRequest: turns[p].request_head,
        assistantResponse: row.response_window,
        solutionsApplied: jsonList(row.solutions_applied),
        issuesEncountered: jsonList(row.issues_encountered),
        outcomes: [...(linked.get(id) ?? []), ...unlinked.filter((o) => o.at >= from && o.at < until)],
        nextRequest: next?.request_head,
      });
      const json = JSON.stringify(breakdown);
      if (row.effectiveness !== breakdown.score || row.score_breakdown !== json) out.push([id, breakdown.score, json]);
    }
    return out;
  }

  /** Interactions that own session-only outcomes which arrived since the last call. */
  private unlinkedOutcomeOwners(db: Database): string[] {
    const rows = readRows<{ session_id: string; at: number }>(db,
      'SELECT session_id, at FROM outcome_events WHERE rowid > ? AND interaction_id IS NULL AND session_id IS NOT NULL ORDER BY rowid',
      [this.outcomeWatermark]);
    this.outcomeWatermark = Math.max(this.outcomeWatermark, maxOutcomeRowid(db));
    const owners = new Set<string>();
    for (const r of rows) {
      const [owner] = readRows<{ id: string }>(db,
        'SELECT id FROM interactions WHERE session_id = ? AND started_at <= ? ORDER BY started_at DESC, id DESC LIMIT 1', [r.session_id, r.at]);
      if (owner) owners.add(owner.id);
    }
    return [...owners];
  }
}

function maxOutcomeRowid(db: Database): number {
  return readRows<{ m: number | null }>(db, 'SELECT MAX(rowid) AS m FROM outcome_events')[0]?.m ?? 0;
}
