// Standard locations of the assistants added after the first seven, on Linux, macOS and Windows.
// Like discoverSources (which calls this), pure apart from existence checks; only what exists is
// returned. Databases are named file by file so a walk never wanders into a tool's other storage.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DiscoveredSource, Env } from './discoverSources';
import type { ImportFormat } from './importReport';

function isDir(path: string): boolean {
  try { return statSync(path).isDirectory(); } catch { return false; }
}

function isFile(path: string): boolean {
  try { return statSync(path).isFile(); } catch { return false; }
}

function entries(path: string): string[] {
  try { return readdirSync(path).sort(); } catch { return []; }
}

/** Cursor's own `User` folder: macOS Application Support, Windows %APPDATA%, Linux ~/.config. */
export function cursorUserDir(env: Env, home: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Cursor', 'User');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Cursor', 'User');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Cursor', 'User');
}

/** `$XDG_DATA_HOME` or `~/.local/share`, which OpenCode and Amp use on every OS. */
function dataHome(env: Env, home: string): string {
  return env.XDG_DATA_HOME || join(home, '.local', 'share');
}

export function discoverNewerAgents(env: Env, home: string, platform: NodeJS.Platform, already: readonly DiscoveredSource[] = []): DiscoveredSource[] {
  const found: DiscoveredSource[] = [];
  const seen = (path: string): boolean => already.some((s) => s.path === path) || found.some((s) => s.path === path);
  const addDir = (format: ImportFormat, path: string): void => { if (isDir(path) && !seen(path)) found.push({ format, path }); };
  const addFile = (format: ImportFormat, path: string): void => { if (isFile(path) && !seen(path)) found.push({ format, path }); };

  const cursorUser = cursorUserDir(env, home, platform);
  addFile('cursor', join(cursorUser, 'globalStorage', 'state.vscdb'));
  for (const workspace of entries(join(cursorUser, 'workspaceStorage'))) addFile('cursor', join(cursorUser, 'workspaceStorage', workspace, 'state.vscdb'));
  addDir('cursor', join(env.CURSOR_CONFIG_DIR || join(home, '.cursor'), 'projects'));

  addDir('gemini-cli', join(home, '.gemini', 'tmp'));

  const opencode = join(dataHome(env, home), 'opencode');
  for (const name of entries(opencode)) if (/^opencode(-[\w.-]+)?\.db$/.test(name)) addFile('opencode', join(opencode, name));
  // Sessions of versions before the database (their message and part files are found from these).
  addDir('opencode', join(opencode, 'storage', 'session'));

  const copilot = join(home, '.copilot');
  addDir('copilot-cli', join(copilot, 'session-state'));
  addDir('copilot-cli', join(copilot, 'history-session-state'));

  addDir('windsurf', join(home, '.windsurf', 'transcripts'));

  addDir('factory-droid', join(home, '.factory', 'sessions'));

  addDir('amp', join(dataHome(env, home), 'amp', 'threads'));
  if (platform === 'win32') {
    addDir('amp', join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'amp', 'threads'));
    addDir('amp', join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'amp', 'threads'));
  }
  return found;
}
