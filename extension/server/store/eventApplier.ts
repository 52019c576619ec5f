// Applies journal events to the database. Every statement is keyed by the event's id, so replaying
// a journal that was already merged (a crash between persist and journal cleanup) changes nothing.
import type { Database, Statement } from 'sql.js';
import type { CaptureEvent, DeleteTarget, LessonChange, PatternChoice } from '../../protocol/records';
import { DeleteStatements } from './deleteStatements';

type UpsertEventType = Exclude<CaptureEvent['type'], 'delete' | 'lesson' | 'patternChoice'>;

export class EventApplier {
  private readonly statements: Record<UpsertEventType, Statement>;
  private readonly deletes: DeleteStatements;
  private readonly tombstones: Tombstones;
  private readonly lessons: LessonStatements;
  private readonly patternChoices: PatternChoiceStatements;

  constructor(private readonly db: Database) {
    this.patternChoices = new PatternChoiceStatements(db);
    this.deletes = new DeleteStatements(db);
    this.tombstones = new Tombstones(db);
    this.lessons = new LessonStatements(db);
    this.statements = {
      session: db.prepare(`INSERT INTO sessions (id, source, title, workspace, model, started_at, ended_at)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET
        title = COALESCE(excluded.title, title), workspace = COALESCE(excluded.workspace, workspace),
        model = COALESCE(excluded.model, model), started_at = MIN(started_at, excluded.started_at),
        ended_at = MAX(COALESCE(ended_at, 0), COALESCE(excluded.ended_at, 0))`),
      // Derived columns (effectiveness, breakdown, category) are left to the derivers unless the
      // source itself carried them.
      interaction: db.prepare(`INSERT INTO interactions (id, session_id, source, model, started_at, ended_at,
        user_request, assistant_response, tools_used, files_modified, issues_encountered, solutions_applied,
        effectiveness, category, context_refs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET model = excluded.model, ended_at = excluded.ended_at,
        user_request = excluded.user_request, assistant_response = excluded.assistant_response,
        tools_used = excluded.tools_used, files_modified = excluded.files_modified,
        issues_encountered = excluded.issues_encountered, solutions_applied = excluded.solutions_applied,
        context_refs = excluded.context_refs,
        effectiveness = COALESCE(excluded.effectiveness, effectiveness), category = COALESCE(excluded.category, category)`),
      // The latest event with an id wins, so a changed vote (thumbs up, then down) replaces the first.
      outcome: db.prepare(`INSERT INTO outcome_events (id, interaction_id, session_id, kind, value, detail, at)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET
        interaction_id = COALESCE(excluded.interaction_id, interaction_id), session_id = COALESCE(excluded.session_id, session_id),
        kind = excluded.kind, value = excluded.value, detail = excluded.detail, at = excluded.at`),
      file: db.prepare(`INSERT OR IGNORE INTO files_touched (id, interaction_id, path, kind, origin, lines_added, lines_removed, at, evidence)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      importCursor: db.prepare(`INSERT INTO import_cursors (path, format, size, mtime_ms, byte_offset, head_hash)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET format = excluded.format, size = excluded.size,
        mtime_ms = excluded.mtime_ms, byte_offset = excluded.byte_offset, head_hash = excluded.head_hash`),
    };
  }

  /**
   * Applies one event journaled at `journaledAt`; returns the interaction id it concerns, if any
   * (for the derivers). An event journaled before a delete that covers it is dropped.
   */
  apply(event: CaptureEvent, journaledAt = Number.MAX_SAFE_INTEGER): string | undefined {
    if (event.type !== 'delete' && this.tombstones.buries(event, journaledAt)) return undefined;
    switch (event.type) {
      case 'session': {
        const s = event.session;
        this.statements.session.run([s.id, s.source, s.title ?? null, s.workspace ?? null, s.model ?? null, s.startedAt, s.endedAt ?? null]);
        return undefined;
      }
      case 'interaction': {
        const i = event.interaction;
        this.statements.interaction.run([i.id, i.sessionId, i.source, i.model ?? null, i.startedAt, i.endedAt ?? null,
          i.user_request, i.assistant_response, JSON.stringify(i.tools_used), JSON.stringify(i.files_modified),
          JSON.stringify(i.issues_encountered), JSON.stringify(i.solutions_applied), i.effectiveness ?? null, i.category ?? null,
          JSON.stringify(i.references ?? [])]);
        for (const lessonId of i.recalledLessons ?? []) this.lessons.recalled(i.id, lessonId);
        for (const outcome of i.outcomes ?? []) this.apply({ type: 'outcome', outcome: { ...outcome, interactionId: outcome.interactionId ?? i.id } }, journaledAt);
        return i.id;
      }
      case 'outcome': {
        const o = event.outcome;
        this.statements.outcome.run([o.id, o.interactionId ?? null, o.sessionId ?? null, o.kind, o.value ?? null, o.detail ?? null, o.at]);
        return o.interactionId;
      }
      case 'file': {
        const f = event.file;
        this.statements.file.run([f.id, f.interactionId ?? null, f.path, f.kind, f.origin, f.linesAdded ?? null, f.linesRemoved ?? null, f.at, f.evidence ?? null]);
        return f.interactionId;
      }
      case 'importCursor': {
        const c = event.cursor;
        this.statements.importCursor.run([c.path, c.format, c.size, c.mtimeMs, c.offset, c.headHash]);
        return undefined;
      }
      case 'lesson':
        this.lessons.apply(event.change);
        return undefined;
      case 'patternChoice':
        this.patternChoices.apply(event.choice);
        return undefined;
      case 'delete':
        this.applyDelete(event.target, journaledAt === Number.MAX_SAFE_INTEGER ? event.at : journaledAt);
        return undefined;
      default:
        return undefined; // an event type from a newer version: kept in the journal, ignored here
    }
  }

  private applyDelete(target: DeleteTarget, at: number): void {
    if (target.all) {
      this.tombstones.bury('all', at);
      this.deletes.all();
    } else if (target.sessionId) {
      this.tombstones.bury(`session:${target.sessionId}`, at);
      const members = this.db.exec('SELECT id FROM interactions WHERE session_id = ?', [target.sessionId])[0]?.values ?? [];
      for (const [id] of members) this.tombstones.bury(`interaction:${String(id)}`, at);
      this.deletes.session(target.sessionId);
    }
  }

  free(): void {
    for (const statement of Object.values(this.statements)) statement.free();
    this.deletes.free();
    this.tombstones.free();
    this.lessons.free();
    this.patternChoices.free();
  }

  /** Whether a delete already applied covers this event (its data must not stay anywhere on disk). */
  isBuried(event: CaptureEvent, journaledAt: number): boolean {
    return event.type !== 'delete' && this.tombstones.buries(event, journaledAt);
  }
}

/** The latest include/exclude choice per pattern, and the pattern row itself when it exists now. */
class PatternChoiceStatements {
  private readonly upsertChoice: Statement;
  private readonly setIncluded: Statement;

  constructor(private readonly db: Database) {
    this.upsertChoice = db.prepare(`INSERT INTO pattern_choices (pattern_id, included, member_ids, at) VALUES (?, ?, ?, ?)
      ON CONFLICT(pattern_id) DO UPDATE SET included = excluded.included, member_ids = excluded.member_ids, at = excluded.at
      WHERE excluded.at >= pattern_choices.at`);
    this.setIncluded = db.prepare('UPDATE patterns SET included = ? WHERE id = ?');
  }

  apply(choice: PatternChoice): void {
    this.upsertChoice.run([choice.patternId, choice.included ? 1 : 0, JSON.stringify(choice.memberIds), choice.at]);
    if (this.db.getRowsModified() > 0) this.setIncluded.run([choice.included ? 1 : 0, choice.patternId]);
  }

  free(): void {
    this.upsertChoice.free();
    this.setIncluded.free();
  }
}

/**
 * Lesson changes: each is kept once (by id, with its arrival order) and sets the lesson to its
 * `after` state. A change seen again at replay is skipped, so a later change is never overwritten.
 */
class LessonStatements {
  private readonly insertChange: Statement;
  private readonly upsertLesson: Statement;
  private readonly deleteLesson: Statement;
  private readonly insertRecall: Statement;

  constructor(private readonly db: Database) {
    this.insertChange = db.prepare(`INSERT OR IGNORE INTO lesson_changes (id, lesson_id, kind, before, after, undoes, reason, at, seq)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM lesson_changes))`);
    this.upsertLesson = db.prepare(`INSERT INTO lessons (id, body, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`);
    this.deleteLesson = db.prepare('DELETE FROM lessons WHERE id = ?');
    this.insertRecall = db.prepare('INSERT OR IGNORE INTO lesson_recalls (interaction_id, lesson_id) VALUES (?, ?)');
  }

  apply(change: LessonChange): void {
    this.insertChange.run([change.id, change.lessonId, change.kind, change.before ? JSON.stringify(change.before) : null,
      change.after ? JSON.stringify(change.after) : null, change.undoes ?? null, change.reason ?? null, change.at]);
    if (this.db.getRowsModified() === 0) return; // replayed: already applied
    if (change.after) this.upsertLesson.run([change.lessonId, JSON.stringify(change.after), change.at]);
    else this.deleteLesson.run([change.lessonId]);
  }

  recalled(interactionId: string, lessonId: string): void {
    this.insertRecall.run([interactionId, lessonId]);
  }

  free(): void {
    for (const statement of [this.insertChange, this.upsertLesson, this.deleteLesson, this.insertRecall]) statement.free();
  }
}

/** Deletion times by scope ('all', 'session:<id>', 'interaction:<id>'), kept in memory and on disk. */
class Tombstones {
  private readonly times = new Map<string, number>();
  private readonly upsert: Statement;

  constructor(db: Database) {
    for (const [scope, at] of db.exec('SELECT scope, at FROM tombstones')[0]?.values ?? []) this.times.set(String(scope), Number(at));
    this.upsert = db.prepare('INSERT INTO tombstones (scope, at) VALUES (?, ?) ON CONFLICT(scope) DO UPDATE SET at = MAX(at, excluded.at)');
  }

  bury(scope: string, at: number): void {
    this.times.set(scope, Math.max(at, this.times.get(scope) ?? 0));
    this.upsert.run([scope, at]);
  }

  buries(event: CaptureEvent, journaledAt: number): boolean {
    if (this.times.size === 0) return false;
    const covered = (scope: string | undefined): boolean => scope !== undefined && journaledAt < (this.times.get(scope) ?? -Infinity);
    switch (event.type) {
      case 'session': return covered('all') || covered(`session:${event.session.id}`);
      case 'interaction': return covered('all') || covered(`session:${event.interaction.sessionId}`) || covered(`interaction:${event.interaction.id}`);
      case 'outcome': return covered('all') || covered(event.outcome.sessionId && `session:${event.outcome.sessionId}`)
        || covered(event.outcome.interactionId && `interaction:${event.outcome.interactionId}`);
      case 'file': return covered('all') || covered(event.file.interactionId && `interaction:${event.file.interactionId}`);
      case 'patternChoice': return covered('all');
      default: return false;
    }
  }

  free(): void { this.upsert.free(); }
}
