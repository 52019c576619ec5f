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

/** Opens a database file; throws a clear error naming the file if it is not a SQLite database. */
export async function openDatabaseFile(file: string): Promise<Database> {
  const SQL = await loadSqlJs();
  if (!fs.existsSync(file)) return new SQL.Database();
  const bytes = fs.readFileSync(file);
  const db = new SQL.Database(bytes);
  try {
    db.exec('PRAGMA schema_version'); // forces sql.js to read the header: fails on garbage
  } catch (error) {
    db.close();
    throw new Error(`${file} is not a readable Autodidact database: ${(error as Error).message}`);
  }
  return db;
}

export function writeFileDurably(file: string, bytes: Uint8Array): void {
  const temp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(temp, 'w');
  try {
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
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
  }
  writeFileDurably(file, bytes);
}

export function previousGeneration(file: string): string {
  return `${file}.prev`;
}
