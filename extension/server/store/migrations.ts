// Versioned schema. Each migration runs once, in order, inside one transaction, and bumps
// user_version; a database newer than this code is refused rather than silently misread.
import type { Database } from 'sql.js';

const MIGRATIONS: readonly string[] = [
  // 1: the first schema. JSON arrays are stored as TEXT; bodies stay lean (no file contents).
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY, source TEXT NOT NULL, title TEXT, workspace TEXT, model TEXT,
    started_at INTEGER NOT NULL, ended_at INTEGER
  );
  CREATE TABLE interactions (
    id TEXT PRIMARY KEY, session_id TEXT NOT NULL, source TEXT NOT NULL, model TEXT,
    started_at INTEGER NOT NULL, ended_at INTEGER,
    user_request TEXT NOT NULL, assistant_response TEXT NOT NULL,
    tools_used TEXT NOT NULL DEFAULT '[]', files_modified TEXT NOT NULL DEFAULT '[]',
    issues_encountered TEXT NOT NULL DEFAULT '[]', solutions_applied TEXT NOT NULL DEFAULT '[]',
    effectiveness REAL, score_breakdown TEXT, category TEXT
  );
  CREATE INDEX interactions_session ON interactions(session_id, started_at);
  CREATE INDEX interactions_category ON interactions(category);
  CREATE INDEX interactions_started ON interactions(started_at);
  CREATE TABLE files_touched (
    id TEXT PRIMARY KEY, interaction_id TEXT, path TEXT NOT NULL, kind TEXT NOT NULL,
    origin TEXT NOT NULL, lines_added INTEGER, lines_removed INTEGER, at INTEGER NOT NULL
  );
  CREATE INDEX files_touched_interaction ON files_touched(interaction_id);
  CREATE TABLE outcome_events (
    id TEXT PRIMARY KEY, interaction_id TEXT, session_id TEXT, kind TEXT NOT NULL,
    value REAL, detail TEXT, at INTEGER NOT NULL
  );
  CREATE INDEX outcome_events_interaction ON outcome_events(interaction_id);
  CREATE TABLE patterns (
    id TEXT PRIMARY KEY, category TEXT NOT NULL, representative_request TEXT NOT NULL,
    representative_solution TEXT NOT NULL, count INTEGER NOT NULL, avg_effectiveness REAL,
    trend REAL, member_ids TEXT NOT NULL DEFAULT '[]', included INTEGER NOT NULL DEFAULT 1
  );
  CREATE TABLE versions (
    name TEXT PRIMARY KEY, parent TEXT, adapter_path TEXT, adapter_sha256 TEXT,
    created_at INTEGER NOT NULL, live INTEGER NOT NULL DEFAULT 0, metrics TEXT
  );
  CREATE TABLE training_rounds (
    id TEXT PRIMARY KEY, parent_version TEXT, candidate_version TEXT, status TEXT NOT NULL,
    dataset_sha256 TEXT, config TEXT, metrics_before TEXT, metrics_after TEXT, decision TEXT,
    adapter_sha256 TEXT, started_at INTEGER NOT NULL, ended_at INTEGER, manifest TEXT
  );
  CREATE TABLE datasets (
    sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, format TEXT NOT NULL, examples INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE import_cursors (
    path TEXT PRIMARY KEY, format TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL,
    byte_offset INTEGER NOT NULL, head_hash TEXT NOT NULL
  );
  `,
  // 2: what the user attached to a chat request (InteractionRecord.references), a JSON array of labels.
  `
  ALTER TABLE interactions ADD COLUMN context_refs TEXT NOT NULL DEFAULT '[]';
  `,
  // 3: tombstones of deletions, so an event journaled before a delete stays deleted even when it
  // is merged after it (another window's journal merged late, or a full replay).
  `
  CREATE TABLE tombstones (scope TEXT PRIMARY KEY, at INTEGER NOT NULL);
  `,
  // 4: covering indexes for `stats`, the meter and the panel. Scores sit after the request and answer
  // texts in each row, so a scan for them read every text (300 ms for 100,000 interactions); these
  // aggregates and "the most recent N scores" now read only the index (test/bench/panelBench.ts).
  // They start with the columns of the two indexes they replace, so those lookups still have one.
  `
  CREATE INDEX interactions_category_score ON interactions(category, effectiveness);
  CREATE INDEX interactions_recent ON interactions(started_at, id, effectiveness);
  DROP INDEX interactions_category;
  DROP INDEX interactions_started;
  `,
  // 5: a pattern's readable name (c-TF-IDF keywords of its members, patterns/patternName.ts); filled
  // when patterns are recomputed, which every store owner does once at start.
  `
  ALTER TABLE patterns ADD COLUMN name TEXT NOT NULL DEFAULT '';
  `,
  // 6: why an editor edit is attributed to an interaction (FileTouch.evidence): the assistant record
  // that wrote the file, or the answer whose code block was inserted (server/attribution/).
  `
  ALTER TABLE files_touched ADD COLUMN evidence TEXT;
  `,
  // 7: how derived columns were last computed in full (categories: which classifier and taxonomy), so
  // a store categorised by rules, or by an older taxonomy, is categorised again when that changes.
  `
  CREATE TABLE derived_state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // 8: lessons learned from corrections (server/lessons/): the current lessons, every journaled change
  // to them (before/after, so each can be undone), and which lessons each gateway request recalled.
  `
  CREATE TABLE lessons (id TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE lesson_changes (
    id TEXT PRIMARY KEY, lesson_id TEXT NOT NULL, kind TEXT NOT NULL, before TEXT, after TEXT,
    undoes TEXT, reason TEXT, at INTEGER NOT NULL, seq INTEGER NOT NULL
  );
  CREATE INDEX lesson_changes_seq ON lesson_changes(seq);
  CREATE TABLE lesson_recalls (interaction_id TEXT NOT NULL, lesson_id TEXT NOT NULL, PRIMARY KEY (interaction_id, lesson_id));
  `,
  // 9: the user's include/exclude choices for patterns, applied from the journal (a 'patternChoice'
  // event) so that a database rebuilt from the journal, whose patterns are recomputed, keeps them.
  `
  CREATE TABLE pattern_choices (pattern_id TEXT PRIMARY KEY, included INTEGER NOT NULL, member_ids TEXT NOT NULL, at INTEGER NOT NULL);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database): void {
  const current = Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
  if (current > SCHEMA_VERSION) {
    throw new Error(`Store schema v${current} is newer than this Autodidact (v${SCHEMA_VERSION}); update the extension.`);
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.exec('BEGIN');
    try {
      db.exec(MIGRATIONS[version]);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
