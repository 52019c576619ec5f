// The reference for the store benchmark: the same schema (the store's own migrations) and the same
// upserts (the store's EventApplier), on Node's built-in SQLite (node:sqlite, Node 22.5+) with
// WAL and synchronous=FULL, one transaction per capture call, so a call is durable when it returns,
// as the store's journal fsync makes it. Run by storeBench.ts under a Node that has node:sqlite
// (code-server's Node 24 in .real-editor/node24 here); prints one JSON line of StorageFigures.
//   <node24> --expose-gc --import tsx test/bench/sqliteReference.ts [--sizes 10000,100000]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Database } from 'sql.js';
import type { CaptureEvent } from '../../extension/protocol/records';
import { EventApplier } from '../../extension/server/store/eventApplier';
import { migrate } from '../../extension/server/store/migrations';
import { measureStorage, type StorageTarget } from './storageMeasurements';

interface SqliteStatement { run(...params: unknown[]): unknown; all(...params: unknown[]): Array<Record<string, unknown>> }
interface SqliteDatabase { exec(sql: string): void; prepare(sql: string): SqliteStatement; close(): void }

/** Is node:sqlite built into this Node? (Node 20 has none.) */
export function nodeSqliteAvailable(): boolean {
  try {
    require('node:sqlite');
    return true;
  } catch {
    return false;
  }
}

/**
 * The few sql.js calls migrate() and EventApplier make (exec, exec with a result, prepare/run/free),
 * answered by node:sqlite, so the reference runs the store's exact SQL.
 */
function asSqlJs(db: SqliteDatabase): Database {
  const adapter = {
    exec(sql: string, params?: unknown[]) {
      const trimmed = sql.trim();
      if (/^(SELECT|PRAGMA user_version$)/i.test(trimmed)) {
        const rows = db.prepare(trimmed).all(...(params ?? []));
        return rows.length === 0 ? [] : [{ columns: Object.keys(rows[0]), values: rows.map((row) => Object.values(row)) }];
      }
      db.exec(sql);
      return [];
    },
    prepare(sql: string) {
      const statement = db.prepare(sql);
      return {
        run: (params?: unknown[] | Record<string, unknown>) => {
          if (Array.isArray(params)) statement.run(...params);
          else if (params) statement.run(params);
          else statement.run();
        },
        free: () => undefined,
      };
    },
  };
  return adapter as unknown as Database;
}

function sqliteTarget(dir: string): StorageTarget {
  const { DatabaseSync } = require('node:sqlite') as { DatabaseSync: new (file: string) => SqliteDatabase };
  const file = path.join(dir, 'reference.sqlite');
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
  const sqlJsLike = asSqlJs(db);
  migrate(sqlJsLike);
  const applier = new EventApplier(sqlJsLike);
  const size = (name: string): number => { try { return fs.statSync(name).size; } catch { return 0; } };
  return {
    async capture(events: CaptureEvent[]) {
      db.exec('BEGIN');
      try {
        for (const event of events) applier.apply(event);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    async flush() { db.exec('PRAGMA wal_checkpoint(TRUNCATE)'); },
    bytesOnDisk: () => size(file) + size(`${file}-wal`),
    interactionCount: () => Number(db.prepare('SELECT COUNT(*) AS n FROM interactions').all()[0].n),
    async close() { db.close(); },
  };
}

async function main(): Promise<void> {
  if (!nodeSqliteAvailable()) throw new Error(`node ${process.version} has no node:sqlite`);
  const i = process.argv.indexOf('--sizes');
  const sizes = (i > 0 ? process.argv[i + 1] : '10000').split(',').map(Number);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-sqlite-reference-'));
  try {
    const figures = await measureStorage(sqliteTarget(dir), dir, sizes);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
