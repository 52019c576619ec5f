// The report `autodidact import --json` prints. What each count means:
// - sessions: distinct sessions this run emitted (a resumed file re-emits its session).
// - interactions: interaction records emitted. A resumed JSONL file re-emits its last interaction,
//   which was still open (the assistant may have been mid-turn); it keeps its id, so the store
//   updates it instead of adding one.
// - toolCalls: tool invocations inside those interactions (every call, not distinct names), plus
//   standalone tool events (Continue's toolUsage).
// - edits: file changes the assistant applied (a file event each): an edit/write tool whose result
//   was not an error, an applied patch, Aider's "Applied edit to", a Copilot text edit group, an
//   accepted Continue suggestion.
// - errors: issues_encountered entries of the emitted interactions (failed tools, non-zero exits,
//   API failures, interruptions) + failed standalone tool events + lines or files that could not
//   be read (bad JSON, oversized lines, a half-written whole-file JSON, an unrecognised file).
// - skipped: records of a type this importer does not know, ignored and counted. Known types that
//   carry nothing to keep (progress, token counts, file-history snapshots) are not counted.
// - truncated: an unterminated last line (still being written); not consumed, re-read next time.
// - outcomes: outcome signals emitted (tool ok/error, exit codes, patch results, votes, keep/undo...).
// - redacted: secrets replaced by placeholders in what was emitted.
import type { RedactionSummary } from '../../shared/redaction/redactText';

export type ImportFormat = 'claude-code' | 'cline' | 'roo' | 'continue' | 'copilot' | 'aider' | 'codex'
  | 'cursor' | 'gemini-cli' | 'opencode' | 'copilot-cli' | 'windsurf' | 'factory-droid' | 'amp';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['claude-code', 'cline', 'roo', 'continue', 'copilot', 'aider', 'codex',
  'cursor', 'gemini-cli', 'opencode', 'copilot-cli', 'windsurf', 'factory-droid', 'amp'];

export interface ImportCounts {
  sessions: number;
  interactions: number;
  toolCalls: number;
  edits: number;
  errors: number;
  skipped: number;
  truncated: number;
  outcomes: number;
  redacted: number;
}

export interface FileImportReport extends ImportCounts {
  path: string;
  format: ImportFormat | 'unknown';
  /** imported: read (fully or from its cursor); unchanged: same size, mtime and head as last time;
   * failed: could not be read or recognised (see error). */
  status: 'imported' | 'unchanged' | 'failed';
  error?: string;
  /** Files read together with this one (a Cline/Roo task's ui_messages.json, Aider's input history). */
  companions?: string[];
}

export interface ImportReport {
  files: FileImportReport[];
  totals: ImportCounts;
  redactions: RedactionSummary;
}

export function emptyCounts(): ImportCounts {
  return { sessions: 0, interactions: 0, toolCalls: 0, edits: 0, errors: 0, skipped: 0, truncated: 0, outcomes: 0, redacted: 0 };
}

export function addCounts(into: ImportCounts, from: ImportCounts): void {
  for (const key of Object.keys(into) as Array<keyof ImportCounts>) into[key] += from[key];
}
