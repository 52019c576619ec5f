// Command-line parsing shared by every `autodidact <command>`: flags are `--name value` or
// `--name`, everything else is positional. `--db` accepts the store folder or its autodidact.db.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findStoreDir, knownStoreDirs } from './storeLocation';

export interface CliArgs {
  command: string;
  positional: string[];
  flags: Record<string, string | boolean>;
  json: boolean;
  /** The store folder (holds autodidact.db and journal/). */
  dbDir: string;
  /** How the store was found when neither --db nor AUTODIDACT_DB named it; the CLI prints it. */
  storeNote?: string;
}

const BOOLEAN_FLAGS = new Set(['json', 'table', 'help', 'yes', 'dry-run', 'embeddings', 'no-embeddings', 'undo', 'continue', 'from-base']);

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  const positional: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-o') { flags.output = argv[++i] ?? ''; continue; }
    if (!arg.startsWith('--')) { positional.push(arg); continue; }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (inline !== undefined) flags[name] = inline;
    else if (BOOLEAN_FLAGS.has(name) || i + 1 >= argv.length || argv[i + 1].startsWith('--')) flags[name] = true;
    else flags[name] = argv[++i];
  }
  const [command = 'help', ...rest] = positional;
  const named = typeof flags.db === 'string' ? flags.db : env.AUTODIDACT_DB;
  const found = named === undefined ? findStoreDir(knownStoreDirs(env, process.platform, os.homedir(), packageRootOf(__dirname)), defaultStoreDir(env)) : undefined;
  return { command, positional: rest, flags, json: flags.json === true, dbDir: storeDirOf(named ?? found?.dir ?? defaultStoreDir(env)), storeNote: found?.note };
}

/** The folder of Autodidact's package.json: dist/.. when bundled, the repository when run from source. */
function packageRootOf(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function storeDirOf(db: string): string {
  const resolved = path.resolve(db);
  const isFile = resolved.endsWith('.db') || (fs.existsSync(resolved) && fs.statSync(resolved).isFile());
  return isFile ? path.dirname(resolved) : resolved;
}

/** Where VS Code keeps this extension's global storage, so the CLI reads the editor's store by default. */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = os.homedir()): string {
  const extensionId = 'autodidact.autodidact';
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Code', 'User', 'globalStorage', extensionId);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Code', 'User', 'globalStorage', extensionId);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Code', 'User', 'globalStorage', extensionId);
}
