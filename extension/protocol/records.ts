// The records every part of Autodidact agrees on. The interaction follows seed 000's schema
// (user_request, assistant_response, tools_used, files_modified, issues_encountered,
// solutions_applied, effectiveness) plus provenance and the outcome signals that justify a score.

/** Where an interaction came from. Importers use the assistant's name. */
export type InteractionSource =
  | 'editor' | 'chat-participant' | 'gateway'
  | 'claude-code' | 'cline' | 'roo' | 'continue' | 'copilot' | 'aider' | 'codex'
  | 'cursor' | 'gemini-cli' | 'opencode' | 'copilot-cli' | 'windsurf' | 'factory-droid' | 'amp';

export interface SessionRecord {
  id: string;
  source: InteractionSource;
  title?: string;
  workspace?: string;
  model?: string;
  startedAt: number; // epoch ms
  endedAt?: number;
}

/** A signal observed about an interaction's result. Positive values help the score, negative hurt. */
export type OutcomeKind =
  | 'tool_error'            // a tool call reported is_error / failed
  | 'tool_ok'
  | 'exit_code'             // terminal or tool command exit code (value = code; undefined = unknown)
  | 'test_passed' | 'test_failed'
  | 'diagnostic_fixed' | 'diagnostic_introduced'
  | 'vote'                  // value 1 = helpful, -1 = unhelpful
  | 'edit_kept' | 'edit_undone'
  | 'patch_applied' | 'patch_failed'
  | 'suggestion_accepted' | 'suggestion_rejected'
  | 'api_error'
  | 'task_completed'        // the assistant declared the task done (Cline/Roo completion_result, Codex task_complete)
  | 'user_interrupt'        // the user stopped the assistant mid-answer ("[Request interrupted by user]", Esc, a rejected tool call)
  | 'delegated_request'     // the request was written by the main agent for a subagent (Claude Code sidechain), not by the user
  | 'user_correction';      // a follow-up that says the assistant was wrong

export interface OutcomeEvent {
  id: string;
  interactionId?: string;  // may arrive before it is linked
  sessionId?: string;
  kind: OutcomeKind;
  value?: number;
  detail?: string;
  at: number;
}

export interface InteractionRecord {
  id: string;                 // stable: importing the same transcript twice yields the same id
  sessionId: string;
  source: InteractionSource;
  model?: string;
  startedAt: number;
  endedAt?: number;
  user_request: string;
  assistant_response: string;
  tools_used: string[];
  files_modified: string[];
  issues_encountered: string[];
  solutions_applied: string[];
  /** 0..1, null until scored. */
  effectiveness: number | null;
  category?: string;
  /** Outcome signals the source itself carried (is_error, exit codes, votes...). */
  outcomes?: OutcomeEvent[];
  /** What the user attached to the request (files, selections, symbols), as labels such as `src/a.ts:10-20`. */
  references?: string[];
  /** Ids of the lessons the gateway put in this request's context (server/lessons/). */
  recalledLessons?: string[];
}

export type FileChangeKind = 'edit' | 'save' | 'create' | 'delete' | 'rename';
export type ChangeOrigin = 'assistant' | 'typing' | 'unknown';

export interface FileTouch {
  id: string;
  interactionId?: string;
  path: string;
  kind: FileChangeKind;
  origin: ChangeOrigin;
  linesAdded?: number;
  linesRemoved?: number;
  at: number;
  /** Why an editor edit is attributed to interactionId (the record that wrote the file, the answer's code block...). */
  evidence?: string;
}

/** Everything the journal can carry. Replaying an event twice must be harmless (ids are keys). */
export type CaptureEvent =
  | { type: 'session'; session: SessionRecord }
  | { type: 'interaction'; interaction: InteractionRecord }
  | { type: 'outcome'; outcome: OutcomeEvent }
  | { type: 'file'; file: FileTouch }
  | { type: 'importCursor'; cursor: ImportCursor }
  /** `id` names the request, so the window that asked can see when the owner has scrubbed it from disk. */
  | { type: 'delete'; target: DeleteTarget; at: number; id?: string }
  /** The user's choice to keep a pattern out of training (or back in); journaled so a rebuild keeps it. */
  | { type: 'patternChoice'; choice: PatternChoice }
  | { type: 'lesson'; change: LessonChange };

/** A lesson's worked example: the request first answered wrong and the fix the user accepted. */
export interface LessonExample { request: string; answer: string }

/** A rule learned from a correction (seeds 002 and 003), as stored and exported. */
export interface LessonRecord {
  id: string;
  /** Short imperative rule. */
  text: string;
  /** Which kind of request it applies to (words a request about it would use). */
  trigger: string;
  tags: string[];
  /** 0..1; decays unused, moves with the outcomes of the interactions it was recalled into. */
  confidence: number;
  /** Measured introspection advantage (with minus without the lesson), null until measured. */
  advantage: number | null;
  samples: number;
  /** Retired lessons (confidence under the floor, or no advantage) are kept but not recalled. */
  retired: boolean;
  /** Turned off by the user. */
  disabled: boolean;
  /** Approved by the user: active without a measured advantage (absent = not approved). */
  approved?: boolean;
  /** Interaction ids of the correction exchanges it was distilled from. */
  evidence: string[];
  /** The corrected request and the accepted fix's code, recalled with the rule (absent: none had code). */
  example?: LessonExample;
  recalls: number;
  createdAt: number;
  /** Last recall or creation: decay counts from here (or from the last decay). */
  lastUsedAt: number;
  decayedAt?: number;
}

export type LessonChangeKind = 'created' | 'merged' | 'confidence' | 'advantage' | 'retired' | 'edited' | 'approved' | 'disabled' | 'enabled' | 'deleted' | 'undo';

/**
 * One change to one lesson, journaled: the lesson before and after (null = absent), so replay sets
 * `after` and undo sets `before` back.
 */
export interface LessonChange {
  id: string;
  lessonId: string;
  kind: LessonChangeKind;
  before: LessonRecord | null;
  after: LessonRecord | null;
  /** For kind 'undo': the change it takes back. */
  undoes?: string;
  reason?: string;
  at: number;
}

/**
 * What a `delete` event removes. It is journaled like any capture, so replaying the journal applies
 * it in order: rows captured before it stay deleted, rows captured after it stay.
 */
export interface DeleteTarget {
  /** The session's interactions, their outcome events and file touches, and the session row. */
  sessionId?: string;
  /** Every captured row: sessions, interactions, outcome events, file touches, patterns. */
  all?: boolean;
}

/** A pattern included in or excluded from training, with the members it had, so a recomputed pattern that mostly overlaps them keeps the choice. */
export interface PatternChoice {
  patternId: string;
  included: boolean;
  memberIds: string[];
  at: number;
}

/** How far an importer has read a source file, so importing again adds only what is new. */
export interface ImportCursor {
  path: string;
  format: string;
  size: number;
  mtimeMs: number;
  /** Byte offset of the first line not yet consumed (JSONL) or 0 for whole-file formats. */
  offset: number;
  /** Hash of the file's first KiB: a rewritten file (same path, new content) restarts from 0. */
  headHash: string;
}

export interface CategoryStats { name: string; examples: number; avgEffectiveness: number }

/** The shape `autodidact stats --json` prints; the panel shows the same numbers. */
export interface StoreStats {
  sessions: number;
  interactions: number;
  effectiveness: number | null;
  categories: CategoryStats[];
}
