// temporary profiling harness (deleted after use)
import * as fs from 'node:fs'; import * as os from 'node:os'; import * as path from 'node:path';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { readPrepared } from '../../extension/server/scoring/dbRows';
(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
  const store = await AutodidactStore.open(dir, { persistDelayMs: 60000 });
  const ev: any[] = []; let at = 1e12;
  for (let i = 0; i < 2000; i++) { at += 1000; const sid = `s${Math.floor(i / 8)}`;
    ev.push({ type: 'interaction', interaction: { id: `i${i}`, sessionId: sid, source: 'editor', startedAt: at, user_request: 'fix it', assistant_response: 'The change updates the handler. '.repeat(60), tools_used: [], files_modified: [], issues_encountered: [], solutions_applied: ['x'], effectiveness: null } });
    ev.push({ type: 'outcome', outcome: { id: `o${i}`, interactionId: `i${i}`, sessionId: sid, kind: 'vote', value: 1, at } }); }
  await store.capture(ev);
  await store.writeDerived((db) => {
    const qs: Record<string, [string, (i: number) => unknown[]]> = {
      row: ['SELECT id, session_id, started_at, assistant_response, solutions_applied, issues_encountered, effectiveness, score_breakdown FROM interactions WHERE id = ?', (i) => [`i${i}`]],
      next: [`SELECT id, user_request, started_at FROM interactions WHERE session_id = ? AND (started_at > ? OR (started_at = ? AND id > ?)) ORDER BY started_at ASC, id ASC LIMIT 1`, (i) => [`s${Math.floor(i / 8)}`, 1e12 + i * 1000, 1e12 + i * 1000, `i${i}`]],
      linked: ['SELECT kind, value, detail FROM outcome_events WHERE interaction_id = ? ORDER BY at, id', (i) => [`i${i}`]],
      session: [`SELECT kind, value, detail FROM outcome_events WHERE interaction_id IS NULL AND session_id = ? AND at >= ? AND at < ? ORDER BY at, id`, (i) => [`s${Math.floor(i / 8)}`, 0, 1e15]],
    };
    for (const [name, [sql, p]] of Object.entries(qs)) {
      const st = db.prepare(sql); const t = performance.now();
      for (let i = 0; i < 2000; i++) readPrepared(st, p(i));
      console.log(name, (performance.now() - t).toFixed(0), 'ms'); st.free();
      console.log(db.exec('EXPLAIN QUERY PLAN ' + sql, p(5) as any)[0]?.values.map((v) => v[3]).join(' | '));
    }
  });
  await store.close();
})();
