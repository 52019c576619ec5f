// Where each assistant keeps its transcripts on Linux, macOS and Windows. Pure apart from existence
// checks, so tests run it against a fake home directory. Only folders that exist are returned; the
// import walks them and tells formats apart by their records.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportFormat } from './importReport';
import { discoverNewerAgents } from './discoverNewerAgents';

export interface DiscoveredSource {
  format: ImportFormat;
  /** A folder to walk, or a single file. */
  path: string;
}

export type Env = Record<string, string | undefined>;

/** VS Code and the forks Cline, Roo and Copilot also run in. */
const EDITOR_PRODUCTS = ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf'];
const CLINE_ID = 'saoudrizwan.claude-dev';
const ROO_ID = 'rooveterinaryinc.roo-cline';

/** `<product>/User` folders for this platform, plus VS Code Server's on remote Linux hosts. */
export function editorUserDirs(env: Env, home: string, platform: NodeJS.Platform): string[] {
  let base: string;
  if (platform === 'win32') base = env.APPDATA ?? join(home, 'AppData', 'Roaming');
  else if (platform === 'darwin') base = join(home, 'Library', 'Application Support');
  else base = env.XDG_CONFIG_HOME ?? join(home, '.config');
  const dirs = EDITOR_PRODUCTS.map((product) => join(base, product, 'User'));
  if (platform === 'linux') dirs.push(join(home, '.vscode-server', 'data', 'User'));
  return dirs;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function subdirs(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(path, e.name)).sort();
  } catch {
    return [];
  }
}

/**
 * Existing transcript locations. `folders` are project folders to look in for Aider's files
 * (Aider writes them to the repository it runs in; the CLI passes the current folder).
 */
export function discoverSources(env: Env, homedir: string, platform: NodeJS.Platform, folders: readonly string[] = []): DiscoveredSource[] {
  const found: DiscoveredSource[] = [];
  const addDir = (format: ImportFormat, path: string): void => {
    if (isDir(path) && !found.some((s) => s.path === path)) found.push({ format, path });
  };

  const claudeDirs = (env.CLAUDE_CONFIG_DIR ? env.CLAUDE_CONFIG_DIR.split(platform === 'win32' ? ';' : ':') : [join(homedir, '.claude')])
    .filter((dir) => dir !== '');
  for (const dir of claudeDirs) addDir('claude-code', join(dir, 'projects'));

  const codexHome = env.CODEX_HOME || join(homedir, '.codex');
  addDir('codex', join(codexHome, 'sessions'));
  addDir('codex', join(codexHome, 'archived_sessions'));

  const continueHome = env.CONTINUE_GLOBAL_DIR || join(homedir, '.continue');
  addDir('continue', join(continueHome, 'sessions'));
  addDir('continue', join(continueHome, 'dev_data'));

  addDir('cline', join(homedir, '.cline', 'data', 'sessions'));

  for (const user of editorUserDirs(env, homedir, platform)) {
    const globalStorage = join(user, 'globalStorage');
    addDir('cline', join(globalStorage, CLINE_ID, 'tasks'));
    addDir('roo', join(globalStorage, ROO_ID, 'tasks'));
    addDir('copilot', join(globalStorage, 'emptyWindowChatSessions'));
    for (const workspace of subdirs(join(user, 'workspaceStorage'))) {
      addDir('copilot', join(workspace, 'chatSessions'));
      addDir('copilot', join(workspace, 'GitHub.copilot-chat', 'transcripts'));
    }
  }

  found.push(...discoverNewerAgents(env, homedir, platform, found));

  for (const folder of folders) {
    const history = join(folder, '.aider.chat.history.md');
    if (existsSync(history)) found.push({ format: 'aider', path: history });
  }
  return found;
}
