// Import throughput of an assistant's SQLite database against reading the same rows with sql.js alone:
//   node --import tsx test/bench/databaseImportBench.ts [--copies 60] [--runs 5]
// Two databases: the largest real one in ../shared (Cursor's global state.vscdb, one composer) and a
// bigger one made from it by repeating that composer under new ids (`--copies` times), so timings are
// not lost in start-up costs.
//   sql.js alone  read the file, open it in sql.js, select every composerData and bubbleId row, JSON.parse each
//   import        importFiles with a counting sink: the same reading plus turns, tools, edits, redaction
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureEvent } from '../../extension/protocol/records';
import type { CaptureSink } from '../../extension/server/importers/captureSink';
import { importFiles } from '../../extension/server/importers/importFiles';
import { loadSqlJs } from '../../extension/server/store/sqlDatabase';
import { fixture, fixturesPresent } from '../unit/importersSupport';

const CURSOR_DB = 'cursor/gitai_globalStorage_cursorDiskKV_composer-00812842.vscdb';

class CountingSink implements CaptureSink {
  events = 0;
  async capture(events: CaptureEvent[]): Promise<void> { this.events += events.length; }
  importCursor(): undefined { return undefined; }
}

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

/** The real database with its composer repeated under new ids (composerData, bubbles, the rest). */
async function scaledCopy(source: string, copies: number, to: string): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(source));
  const rows = db.exec("SELECT key, value FROM cursorDiskKV WHERE key LIKE '%00812842-49fe-4699-afae-bb22cda3f6e1%'")[0].values;
  db.run('BEGIN');
  for (let n = 1; n < copies; n++) {
    const id = `00812842-49fe-4699-afae-${String(n).padStart(12, '0')}`;
    for (const [key, value] of rows) {
      db.run('INSERT INTO cursorDiskKV (key, value) VALUES (?, ?)', [String(key).replace('00812842-49fe-4699-afae-bb22cda3f6e1', id), String(value).replaceAll('00812842-49fe-4699-afae-bb22cda3f6e1', id)]);
    }
  }
  db.run('COMMIT');
  writeFileSync(to, db.export());
  db.close();
}

async function sqlJsAlone(path: string): Promise<number> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(path));
  let rows = 0;
  for (const prefix of ['composerData:', 'bubbleId:']) {
    const statement = db.prepare('SELECT key, value FROM cursorDiskKV WHERE key >= ? AND key < ?');
    statement.bind([prefix, `${prefix.slice(0, -1)};`]);
    while (statement.step()) {
      const row = statement.get();
      JSON.parse(String(row[1]));
      rows++;
    }
    statement.free();
  }
  db.close();
  return rows;
}

async function importOnce(path: string): Promise<string> {
  const sink = new CountingSink();
  const report = await importFiles([path], { store: sink });
  const t = report.totals;
  return `${t.sessions} sessions, ${t.interactions} interactions, ${t.toolCalls} tool calls, ${sink.events} events`;
}

/** Best of `runs` (the machine is shared: the fastest run is the least disturbed one). */
async function best(runs: number, run: () => Promise<unknown>): Promise<{ seconds: number; detail: string }> {
  let seconds = Number.POSITIVE_INFINITY;
  let detail = '';
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    detail = String(await run());
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { seconds, detail };
}

async function main(): Promise<void> {
  if (!fixturesPresent) throw new Error('the real Cursor database in ../shared is needed');
  const copies = arg('copies', 60);
  const runs = arg('runs', 5);
  const scaled = join(mkdtempSync(join(tmpdir(), 'autodidact-dbbench-')), 'state.vscdb');
  await scaledCopy(fixture(CURSOR_DB), copies, scaled);
  await sqlJsAlone(fixture(CURSOR_DB)); // load the wasm once, outside the timings
  for (const [name, path] of [['real Cursor state.vscdb', fixture(CURSOR_DB)], [`the same composer x${copies}`, scaled]] as const) {
    const mb = statSync(path).size / 2 ** 20;
    const alone = await best(runs, () => sqlJsAlone(path));
    const imported = await best(runs, () => importOnce(path));
    console.log(`${name}: ${mb.toFixed(2)} MB`);
    console.log(`  sql.js alone: ${alone.seconds.toFixed(3)} s, ${(mb / alone.seconds).toFixed(1)} MB/s (${alone.detail} rows)`);
    console.log(`  import:       ${imported.seconds.toFixed(3)} s, ${(mb / imported.seconds).toFixed(1)} MB/s (${imported.detail})`);
    console.log(`  import / sql.js alone: ${(imported.seconds / alone.seconds).toFixed(2)}x the time`);
  }
}

void main();
