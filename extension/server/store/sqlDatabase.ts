// sql.js keeps the whole database in memory; this file owns loading it from disk and writing it
// back atomically (temp file + fsync + rename + directory fsync), so a crash at any moment leaves
// either the old or the new file, never a torn one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic } from 'sql.js';

let sqlJs: Promise<SqlJsStatic> | undefined;

/** The wasm ships beside the bundle in dist/; in tests it is read from node_modules. */
function locateWasm(): string {
  const besideBundle = path.join(__dirname, 'sql-wasm.wasm');
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve('sql.js/dist/sql-wasm.wasm');
}

export function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs({ locateFile: () => locateWasm() });
  return sqlJs;
}

/** SQLite's smallest page: a database file, even an empty one, is at least one page. */
const MIN_DATABASE_BYTES = 512;

/**
 * Opens a database file; throws a clear error naming the file if it is not a sound SQLite database.
 * An empty file is refused, not read as an empty database (which would then replace the previous
 * generation), and every page is checked (PRAGMA quick_check, about 2 ms per MB) so a file cut short
 * or garbled fails here, where the store can fall back, rather than in the middle of a query.
 */
export async function openDatabaseFile(file: string): Promise<Database> {
  const SQL = await loadSqlJs();
  if (!fs.existsSync(file)) return new SQL.Database();
  const bytes = fs.readFileSync(file);
  if (bytes.length < MIN_DATABASE_BYTES) {
    throw new Error(`${file} is not a readable Autodidact database: it is ${bytes.length === 0 ? 'empty' : `only ${bytes.length} bytes`}`);
  }
  const db = new SQL.Database(bytes);
  try {
    const verdict = (db.exec('PRAGMA quick_check')[0]?.values ?? []).map((row) => String(row[0]));
    if (verdict.join() !== 'ok') throw new Error(`damaged: ${verdict.slice(0, 3).join('; ')}`);
  } catch (error) {
    db.close();
    throw new Error(`${file} is not a readable Autodidact database: ${(error as Error).message}`);
  }
  return db;
}

export function writeFileDurably(file: string, bytes: Uint8Array): void {
  const temp = `${file}.tmp-${process.pid}`;
  try {
    const fd = fs.openSync(temp, 'w');
    try {
      let written = 0;
      while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true }); // a half-written temp file on a full disk would keep it full
    throw error;
  }
  fsyncDirectory(path.dirname(file));
}

export function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync on Windows
  const fd = fs.openSync(dir, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

/**
 * Exports and persists. Callers guarantee no transaction is open: sql.js export() would end it.
 * The file being replaced is kept as `<file>.prev` (a hard link, no copy), so a database damaged
 * later on disk can be rebuilt from the previous generation plus the journal.
 */
export function persistDatabase(db: Database, file: string): void {
  const bytes = db.export();
  if (fs.existsSync(file)) {
    const link = `${file}.prev-${process.pid}`;
    fs.rmSync(link, { force: true });
    fs.linkSync(file, link);
    fs.renameSync(link, previousGeneration(file));
    // rename() of two links to one file does nothing (POSIX), as when the last persist died before
    // replacing the file, so .prev already is this generation: the extra link must go.
    fs.rmSync(link, { force: true });
  }
  writeFileDurably(file, bytes);
}

/**
 * Removes temp files and links that a writer killed mid-persist left beside the database (a whole
 * database-sized file each). Only the lease holder persists, so when a process becomes the owner,
 * any that exist belong to a dead writer.
 */
export function removeDeadWritersFiles(file: string): string[] {
  const dir = path.dirname(file);
  const leftover = new RegExp(`^${path.basename(file).replace(/\./g, '\\.')}\\.(tmp|prev)-\\d+$`);
  const removed = fs.readdirSync(dir).filter((name) => leftover.test(name));
  for (const name of removed) fs.rmSync(path.join(dir, name), { force: true });
  return removed;
}

export function previousGeneration(file: string): string {
  return `${file}.prev`;
}
