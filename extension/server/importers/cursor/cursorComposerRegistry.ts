// Cursor can keep one conversation twice: as a composer in state.vscdb and as an agent transcript
// (`agent-transcripts/<composerId>/<composerId>.jsonl`). The database copy is the richer one (times,
// tool results, the user's accept or reject), so a transcript whose conversation was imported from
// the database, in this run or an earlier one, is passed over rather than imported a second time.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CaptureSink } from '../captureSink';
import { cursorUserDir } from '../discoverNewerAgents';
import { sessionCursorPath } from '../sessionTurnCursor';

/** Composers with at least one turn read from a database during this process. */
const fromDatabase = new Set<string>();

export function noteComposersFromDatabase(ids: Iterable<string>): void {
  for (const id of ids) fromDatabase.add(id);
}

/** The global state.vscdb where Cursor keeps it on this machine. */
function standardGlobalDatabase(): string {
  return join(cursorUserDir(process.env, homedir(), process.platform), 'globalStorage', 'state.vscdb');
}

export function composerImportedFromDatabase(composerId: string, sink: CaptureSink | undefined): boolean {
  return fromDatabase.has(composerId) || sink?.importCursor(sessionCursorPath(standardGlobalDatabase(), composerId)) !== undefined;
}
