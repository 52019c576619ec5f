// Which folder each Cursor composer was opened in. The global state.vscdb holds the conversations
// but not their folder; each `workspaceStorage/<id>/` beside `globalStorage/` has a `workspace.json`
// (`{folder: 'file:///…'}` or `{workspace: '…code-workspace'}`) and a state.vscdb whose ItemTable
// `composer.composerData` lists that window's composers. Best effort: a workspace that cannot be
// read only leaves its composers without a folder.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSqlJs } from '../../store/sqlDatabase';
import { isObject, str } from '../readerSupport';
import { textOf } from '../sqlite/sqliteSnapshot';

/** Workspace databases are small; a bigger one is passed over rather than loaded for a folder name. */
const MAX_WORKSPACE_DB_BYTES = 64 * 1024 * 1024;

function folderOf(workspaceJson: string): string | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(workspaceJson, 'utf8'));
    const uri = isObject(value) ? str(value.folder) ?? str(value.workspace) : undefined;
    if (!uri) return undefined;
    return uri.startsWith('file://') ? fileURLToPath(uri) : uri;
  } catch {
    return undefined;
  }
}

async function composerIds(dbPath: string): Promise<string[]> {
  if (!existsSync(dbPath) || statSync(dbPath).size > MAX_WORKSPACE_DB_BYTES) return [];
  const SQL = await loadSqlJs();
  let db;
  try {
    db = new SQL.Database(readFileSync(dbPath));
    const result = db.exec("SELECT value FROM ItemTable WHERE key = 'composer.composerData'");
    const value: unknown = JSON.parse(textOf(result[0]?.values[0]?.[0]) ?? 'null');
    const list = isObject(value) && Array.isArray(value.allComposers) ? value.allComposers : [];
    return list.flatMap((entry) => (isObject(entry) && typeof entry.composerId === 'string' ? [entry.composerId] : []));
  } catch {
    return [];
  } finally {
    db?.close();
  }
}

/** composerId → folder, for a global state.vscdb at `<User>/globalStorage/state.vscdb`. */
export async function cursorComposerFolders(globalDbPath: string): Promise<Map<string, string>> {
  const folders = new Map<string, string>();
  if (basename(dirname(globalDbPath)) !== 'globalStorage') return folders;
  const root = join(dirname(dirname(globalDbPath)), 'workspaceStorage');
  let workspaces: string[];
  try { workspaces = readdirSync(root).sort(); } catch { return folders; }
  for (const workspace of workspaces) {
    const folder = folderOf(join(root, workspace, 'workspace.json'));
    if (!folder) continue;
    for (const id of await composerIds(join(root, workspace, 'state.vscdb'))) folders.set(id, folder);
  }
  return folders;
}

/** The folder of a per-workspace state.vscdb (old builds keep whole chats there), from its workspace.json. */
export function cursorDatabaseFolder(dbPath: string): string | undefined {
  return folderOf(join(dirname(dbPath), 'workspace.json'));
}
