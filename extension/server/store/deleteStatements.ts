// The statements behind a journaled `delete` event. They run inside the merge transaction, in
// journal order, so a replay deletes exactly what the original run deleted.
import type { Database, Statement } from 'sql.js';

/** Tables whose rows all come from capture (or are derived from it, like patterns, or are choices about those). */
const CAPTURED_TABLES = [
  'outcome_events', 'files_touched', 'interactions', 'sessions', 'patterns', 'pattern_choices',
  // Lessons are distilled from captured exchanges and may quote the user's words: they go with the data.
  'lesson_recalls', 'lesson_changes', 'lessons',
] as const;

export class DeleteStatements {
  private readonly sessionSteps: Statement[];
  private readonly allSteps: Statement[];

  constructor(db: Database) {
    const ofSession = 'SELECT id FROM interactions WHERE session_id = $sid';
    const lessonsOfSession = `SELECT l.id FROM lessons l WHERE EXISTS (SELECT 1 FROM json_each(json_extract(l.body, '$.evidence')) e
      WHERE e.value IN (${ofSession}))`;
    this.sessionSteps = [
      // Patterns quote their members' text, so a pattern with a deleted member goes too; the
      // pattern deriver rebuilds it from what is left.
      db.prepare(`DELETE FROM patterns WHERE EXISTS (SELECT 1 FROM json_each(patterns.member_ids) m
        WHERE m.value IN (${ofSession}))`),
      // A lesson drawn from the session may quote it: the lesson and its change history go too.
      db.prepare(`DELETE FROM lesson_changes WHERE lesson_id IN (${lessonsOfSession})`),
      db.prepare(`DELETE FROM lessons WHERE id IN (${lessonsOfSession})`),
      db.prepare(`DELETE FROM lesson_recalls WHERE interaction_id IN (${ofSession})`),
      db.prepare(`DELETE FROM files_touched WHERE interaction_id IN (${ofSession})`),
      db.prepare(`DELETE FROM outcome_events WHERE session_id = $sid OR interaction_id IN (${ofSession})`),
      db.prepare('DELETE FROM interactions WHERE session_id = $sid'),
      db.prepare('DELETE FROM sessions WHERE id = $sid'),
    ];
    this.allSteps = CAPTURED_TABLES.map((table) => db.prepare(`DELETE FROM ${table}`));
  }

  session(sessionId: string): void {
    for (const step of this.sessionSteps) step.run({ $sid: sessionId });
  }

  all(): void {
    for (const step of this.allSteps) step.run();
  }

  free(): void {
    for (const step of [...this.sessionSteps, ...this.allSteps]) step.free();
  }
}
