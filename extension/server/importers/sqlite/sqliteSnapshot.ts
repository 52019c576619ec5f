// Opens an assistant's SQLite database (Cursor's state.vscdb, OpenCode's opencode.db) for reading
// without ever touching it: the file is read into memory as bytes and sql.js opens that copy, so
// nothing is written next to it (no -journal, -wal or -shm) and the tool that owns it can keep
// writing. A database in WAL mode keeps its newest commits in `<db>-wal` until a checkpoint; those
// committed frames are laid over the page image here, in memory, so rows the tool wrote a moment
// ago are read too. A torn or uncommitted tail of the WAL is ignored, as SQLite itself would.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Database } from 'sql.js';
import { loadSqlJs } from '../../store/sqlDatabase';

/** sql.js holds the whole database in memory: bigger files are refused with a clear error. */
export const MAX_DATABASE_BYTES = 1024 * 1024 * 1024;
const SQLITE_MAGIC = 'SQLite format 3\u0000';
const WAL_HEADER_BYTES = 32;
const WAL_FRAME_HEADER_BYTES = 24;

export function isSqliteHeader(head: Buffer): boolean {
  return head.length >= 16 && head.toString('latin1', 0, 16) === SQLITE_MAGIC;
}

/** SQLite's WAL checksum over 8-byte words, in the byte order the WAL header's magic names. */
function walChecksum(data: Buffer, start: number, end: number, bigEndian: boolean, s0: number, s1: number): [number, number] {
  let a = s0;
  let b = s1;
  for (let i = start; i < end; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    a = (a + x0 + b) >>> 0;
    b = (b + x1 + a) >>> 0;
  }
  return [a, b];
}

/**
 * The database image with the WAL's committed frames applied. Frames are taken up to the last
 * commit frame whose salts and running checksum are valid; anything after it was never committed.
 */
export function applyWal(main: Buffer, wal: Buffer): { image: Buffer; framesApplied: number } {
  if (wal.length < WAL_HEADER_BYTES) return { image: main, framesApplied: 0 };
  const magic = wal.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return { image: main, framesApplied: 0 };
  const bigEndian = magic === 0x377f0683;
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let [c0, c1] = walChecksum(wal, 0, 24, bigEndian, 0, 0);
  if (c0 !== wal.readUInt32BE(24) || c1 !== wal.readUInt32BE(28) || pageSize < 512) return { image: main, framesApplied: 0 };
  const committed = new Map<number, Buffer>();
  const pending = new Map<number, Buffer>();
  let pages = Math.floor(main.length / pageSize);
  let framesApplied = 0;
  let pendingFrames = 0;
  for (let at = WAL_HEADER_BYTES; at + WAL_FRAME_HEADER_BYTES + pageSize <= wal.length; at += WAL_FRAME_HEADER_BYTES + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    [c0, c1] = walChecksum(wal, at, at + 8, bigEndian, c0, c1);
    [c0, c1] = walChecksum(wal, at + WAL_FRAME_HEADER_BYTES, at + WAL_FRAME_HEADER_BYTES + pageSize, bigEndian, c0, c1);
    if (c0 !== wal.readUInt32BE(at + 16) || c1 !== wal.readUInt32BE(at + 20)) break;
    const pageNumber = wal.readUInt32BE(at);
    pending.set(pageNumber, wal.subarray(at + WAL_FRAME_HEADER_BYTES, at + WAL_FRAME_HEADER_BYTES + pageSize));
    pendingFrames++;
    const commitSize = wal.readUInt32BE(at + 4);
    if (commitSize > 0) {
      for (const [page, data] of pending) committed.set(page, data);
      pending.clear();
      framesApplied += pendingFrames;
      pendingFrames = 0;
      pages = commitSize;
    }
  }
  if (committed.size === 0) return { image: main, framesApplied: 0 };
  const image = Buffer.alloc(pages * pageSize);
  main.copy(image, 0, 0, Math.min(main.length, image.length));
  for (const [page, data] of committed) {
    if (page >= 1 && page <= pages) data.copy(image, (page - 1) * pageSize);
  }
  return { image, framesApplied };
}

export interface DatabaseSnapshot {
  db: Database;
  /** Committed WAL frames laid over the main file (0 when there is no WAL or it is empty). */
  walFrames: number;
  /** What PRAGMA quick_check found wrong, when it found anything: rows on sound pages still read. */
  damage?: string;
}

/**
 * Reads `path` (and its `-wal`, if any) and opens the bytes in sql.js. Every page is checked first:
 * a damaged database is still opened (what can be read is read, row by row) and the damage is
 * reported; a file that cannot be opened at all (no SQLite header, an unreadable schema) throws.
 */
export async function openDatabaseSnapshot(path: string, size: number): Promise<DatabaseSnapshot> {
  if (size > MAX_DATABASE_BYTES) throw new Error(`database of ${size} bytes is over the ${MAX_DATABASE_BYTES}-byte limit`);
  const main = await readFile(path);
  if (!isSqliteHeader(main)) throw new Error('not an SQLite database (bad header); it may be half-written, it will be read again next time');
  const walPath = `${path}-wal`;
  const { image, framesApplied } = existsSync(walPath) ? applyWal(main, await readFile(walPath)) : { image: main, framesApplied: 0 };
  const shortBy = trimHeaderPageCount(image);
  if (image.length < pageSizeOf(image)) throw new Error('database is shorter than its first page; it may be half-written, it will be read again next time');
  const SQL = await loadSqlJs();
  let db: Database | undefined;
  try {
    db = new SQL.Database(image);
    readableSchema(db);
  } catch (error) {
    db?.close();
    throw new Error(`database cannot be read (${(error as Error).message}); it may be half-written, it will be read again next time`);
  }
  let damage: string | undefined;
  try {
    const check = db.exec('PRAGMA quick_check(20)');
    const problems = (check[0]?.values ?? []).flatMap((row) => String(row[0]).split('\n')).filter((line) => line !== 'ok' && !line.startsWith('*** in database'));
    if (problems.length > 0 || (check[0]?.values.length ?? 0) === 0) damage = problems.join('; ').slice(0, 300) || 'no answer from quick_check';
  } catch (error) {
    damage = (error as Error).message;
  }
  if (shortBy) damage = [`the file ends ${shortBy} pages short of the size its header gives (cut short or still being written)`, damage].filter(Boolean).join('; ');
  return { db, walFrames: framesApplied, damage };
}

/**
 * The schema must be readable, or there is nothing to go on. One that names pages the file no
 * longer has (cut short) is read leniently, as SQLite allows with writable_schema: that setting
 * only ever applies to this in-memory copy, which is never written back.
 */
function readableSchema(db: Database): void {
  try {
    tableNames(db);
  } catch {
    db.exec('PRAGMA writable_schema = ON');
    tableNames(db);
  }
}

/**
 * A file cut short still says in its header how many pages it had, and SQLite refuses such a file
 * outright. In this in-memory copy (never in the file) the header is made to match what is there,
 * so the pages that did arrive can be read. Returns how many pages are missing.
 */
function pageSizeOf(image: Buffer): number {
  const raw = image.length >= 18 ? image.readUInt16BE(16) : 0;
  return raw === 1 ? 65536 : raw;
}

function trimHeaderPageCount(image: Buffer): number {
  if (image.length < 100) return 0;
  const pageSize = pageSizeOf(image);
  if (pageSize < 512) return 0;
  const present = Math.floor(image.length / pageSize);
  const declared = image.readUInt32BE(28);
  if (declared <= present) return 0;
  image.writeUInt32BE(present, 28);
  return declared - present;
}

/** Column values come back as text or, for BLOB-declared columns, bytes: either way, text. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  return undefined;
}

/** Runs a query and hands each row to `each` as an object, without collecting them all first. */
export function eachRow(db: Database, sql: string, params: Array<string | number>, each: (row: Record<string, unknown>) => void): void {
  const statement = db.prepare(sql);
  try {
    statement.bind(params);
    while (statement.step()) each(statement.getAsObject());
  } finally {
    statement.free();
  }
}

export function tableNames(db: Database): Set<string> {
  const names = new Set<string>();
  eachRow(db, "SELECT name FROM sqlite_master WHERE type = 'table'", [], (row) => { if (typeof row.name === 'string') names.add(row.name); });
  return names;
}
