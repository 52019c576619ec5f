// Small helpers over sql.js for the derivers, which get the raw Database inside the store's queue.
import type { Database, Statement } from 'sql.js';

export function readRows<T>(db: Database, sql: string, params: unknown[] = []): T[] {
  const statement = db.prepare(sql);
  try {
    return readPrepared<T>(statement, params);
  } finally {
    statement.free();
  }
}

/** Runs an already prepared statement (reset first), for loops that would otherwise re-prepare. */
export function readPrepared<T>(statement: Statement, params: unknown[] = []): T[] {
  statement.reset();
  statement.bind(params as never);
  const rows: T[] = [];
  while (statement.step()) rows.push(statement.getAsObject() as T);
  return rows;
}

/** JSON array columns (tools_used, files_modified...) written by the store; bad JSON reads as empty. */
export function jsonList(text: string | null | undefined): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** Binds ids in chunks: SQLite limits host parameters per statement. */
export function chunked<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
