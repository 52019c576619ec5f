// Which store a CLI command reads when no --db is given. The editor keeps its store in the
// extension's global storage, which depends on the editor: VS Code, Insiders, VSCodium, a
// code-server, or the code-server `npm start` runs (its profile is inside this repository). The CLI
// looks in all of them and takes the one with a store; with several, the one written last. It always
// says which one it took and how to choose another, so nobody reads an empty store by mistake.
import * as fs from 'node:fs';
import * as path from 'node:path';

const EXTENSION_ID = 'autodidact.autodidact';
const STORE_FILE = 'autodidact.db';

export interface StoreCandidate {
  /** The store folder (holds autodidact.db and journal/). */
  dir: string;
  /** Which editor keeps it there, in words. */
  editor: string;
}

export interface StoreChoice {
  dir: string;
  /** How it was chosen, for the line the CLI prints; undefined when --db or AUTODIDACT_DB chose it. */
  note?: string;
}

/** Where each editor keeps this extension's global storage, the `npm start` profile first. */
export function knownStoreDirs(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string, packageRoot: string | undefined): StoreCandidate[] {
  const candidates: StoreCandidate[] = [];
  const editorHome = env.AUTODIDACT_EDITOR_HOME ?? (packageRoot ? path.join(packageRoot, '.real-editor') : undefined);
  if (editorHome) candidates.push({ dir: path.join(editorHome, 'product', 'ud', 'User', 'globalStorage', EXTENSION_ID), editor: '`npm start` code-server' });
  const userDirs: Array<[string, string]> = [['Code', 'VS Code'], ['Code - Insiders', 'VS Code Insiders'], ['VSCodium', 'VSCodium']];
  const configRoot = platform === 'win32' ? env.APPDATA ?? path.join(home, 'AppData', 'Roaming')
    : platform === 'darwin' ? path.join(home, 'Library', 'Application Support')
    : env.XDG_CONFIG_HOME ?? path.join(home, '.config');
  for (const [folder, editor] of userDirs) candidates.push({ dir: path.join(configRoot, folder, 'User', 'globalStorage', EXTENSION_ID), editor });
  const dataRoot = env.XDG_DATA_HOME ?? path.join(home, '.local', 'share');
  candidates.push({ dir: path.join(dataRoot, 'code-server', 'User', 'globalStorage', EXTENSION_ID), editor: 'code-server' });
  return candidates;
}

function lastWritten(dir: string): number | undefined {
  try { return fs.statSync(path.join(dir, STORE_FILE)).mtimeMs; } catch { return undefined; }
}

/**
 * The store for a command without --db: an existing one (the last written, if several), else the
 * VS Code location, where a first import creates it. `fallback` is that VS Code location.
 */
export function findStoreDir(candidates: readonly StoreCandidate[], fallback: string): StoreChoice {
  const existing = candidates
    .map((candidate) => ({ ...candidate, written: lastWritten(candidate.dir) }))
    .filter((candidate): candidate is StoreCandidate & { written: number } => candidate.written !== undefined)
    .sort((a, b) => b.written - a.written);
  const how = 'choose another with --db PATH or AUTODIDACT_DB';
  if (existing.length === 0) return { dir: fallback, note: `store ${fallback} (no store found in any editor's storage yet; ${how})` };
  const [chosen, ...others] = existing;
  const also = others.length > 0 ? `; also found: ${others.map((o) => o.dir).join(', ')}` : '';
  return { dir: chosen.dir, note: `store ${chosen.dir} (the ${chosen.editor} store${others.length > 0 ? ', written last' : ''}${also}; ${how})` };
}
