// Keeps interactions.effectiveness and score_breakdown current. Late signals are the normal case
// (a vote minutes later, a test run after the edit, the user's next message), so the deriver rescores
// every interaction an event touched, and the one before it in its session, whose follow-up may just
// have arrived.
import type { Database, Statement } from 'sql.js';
import { jsonList, readPrepared, readRows } from './dbRows';
import { scoreInteraction } from './effectivenessScore';
import type { OutcomeRow } from './outcomeSignals';

interface InteractionRow {
  id: string;
  session_id: string;
  started_at: number;
  assistant_response: string;
  solutions_applied: string;
  issues_encountered: string;
  effectiveness: number | null;
  score_breakdown: string | null;
}

const NEIGHBOUR = (direction: 'prev' | 'next'): string => {
  const [cmp, order] = direction === 'prev' ? ['<', 'DESC'] : ['>', 'ASC'];
  return `SELECT id, user_request, started_at FROM interactions WHERE session_id = ?
    AND (started_at ${cmp} ? OR (started_at = ? AND id ${cmp} ?)) ORDER BY started_at ${order}, id ${order} LIMIT 1`;
};

export class ScoringDeriver {
  /** outcome_events rowids above this have not been looked at for session-only (unlinked) outcomes. */
  private outcomeWatermark = 0;

  /** Rescores what changed; returns the ids whose score was (re)written. */
  derive(db: Database, changedIds: ReadonlySet<string>): string[] {
    const targets = new Set<string>();
    const prev = db.prepare(NEIGHBOUR('prev'));
    const select = db.prepare('SELECT id, session_id, started_at FROM interactions WHERE id = ?');
    try {
      for (const id of [...changedIds, ...this.unlinkedOutcomeOwners(db)]) {
        const [row] = readPrepared<{ id: string; session_id: string; started_at: number }>(select, [id]);
        if (!row) continue;
        targets.add(row.id);
        const [before] = readPrepared<{ id: string }>(prev, [row.session_id, row.started_at, row.started_at, row.id]);
        if (before) targets.add(before.id);
      }
    } finally {
      prev.free();
      select.free();
    }
    return this.rescore(db, [...targets].sort());
  }

  /** Rescores everything (on start, and when the weights' version changed). */
  rescoreAll(db: Database): string[] {
    this.outcomeWatermark = maxOutcomeRowid(db);
    return this.rescore(db, readRows<{ id: string }>(db, 'SELECT id FROM interactions ORDER BY id').map((r) => r.id));
  }

  rescore(db: Database, ids: readonly string[]): string[] {
    const s = new ScoringStatements(db);
    const written: string[] = [];
    try {
      for (const id of ids) {
        const [row] = readPrepared<InteractionRow>(s.interaction, [id]);
        if (!row) continue;
        const [next] = readPrepared<{ id: string; user_request: string; started_at: number }>(s.next, [row.session_id, row.started_at, row.started_at, row.id]);
        const outcomes = [
          ...readPrepared<OutcomeRow>(s.linkedOutcomes, [id]),
          // Outcomes that name only the session belong to the interaction that was last before them.
          ...readPrepared<OutcomeRow>(s.sessionOutcomes, [row.session_id, row.started_at, next?.started_at ?? Number.MAX_SAFE_INTEGER]),
        ];
        const breakdown = scoreInteraction({
          assistantResponse: row.assistant_response,
          solutionsApplied: jsonList(row.solutions_applied),
          issuesEncountered: jsonList(row.issues_encountered),
          outcomes,
          nextRequest: next?.user_request,
        });
        const json = JSON.stringify(breakdown);
        if (row.effectiveness === breakdown.score && row.score_breakdown === json) continue;
        s.update.run([breakdown.score, json, id]);
        written.push(id);
      }
    } finally {
      s.free();
    }
    return written;
  }

  /** Interactions that own session-only outcomes which arrived since the last call. */
  private unlinkedOutcomeOwners(db: Database): string[] {
    const rows = readRows<{ rowid: number; session_id: string; at: number }>(db,
      `SELECT rowid, session_id, at FROM outcome_events WHERE rowid > ? AND interaction_id IS NULL AND session_id IS NOT NULL ORDER BY rowid`,
      [this.outcomeWatermark]);
    this.outcomeWatermark = Math.max(this.outcomeWatermark, maxOutcomeRowid(db));
    const owners = new Set<string>();
    for (const r of rows) {
      const [owner] = readRows<{ id: string }>(db,
        `SELECT id FROM interactions WHERE session_id = ? AND started_at <= ? ORDER BY started_at DESC, id DESC LIMIT 1`, [r.session_id, r.at]);
      if (owner) owners.add(owner.id);
    }
    return [...owners];
  }
}

function maxOutcomeRowid(db: Database): number {
  return readRows<{ m: number | null }>(db, 'SELECT MAX(rowid) AS m FROM outcome_events')[0]?.m ?? 0;
}

class ScoringStatements {
  readonly interaction: Statement;
  readonly next: Statement;
  readonly linkedOutcomes: Statement;
  readonly sessionOutcomes: Statement;
  readonly update: Statement;

  constructor(db: Database) {
    this.interaction = db.prepare(`SELECT id, session_id, started_at, assistant_response, solutions_applied,
      issues_encountered, effectiveness, score_breakdown FROM interactions WHERE id = ?`);
    this.next = db.prepare(NEIGHBOUR('next'));
    this.linkedOutcomes = db.prepare('SELECT kind, value, detail FROM outcome_events WHERE interaction_id = ? ORDER BY at, id');
    this.sessionOutcomes = db.prepare(`SELECT kind, value, detail FROM outcome_events
      WHERE interaction_id IS NULL AND session_id = ? AND at >= ? AND at < ? ORDER BY at, id`);
    this.update = db.prepare('UPDATE interactions SET effectiveness = ?, score_breakdown = ? WHERE id = ?');
  }

  free(): void {
    for (const s of [this.interaction, this.next, this.linkedOutcomes, this.sessionOutcomes, this.update]) s.free();
  }
}
