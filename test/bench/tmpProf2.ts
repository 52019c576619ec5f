// temporary profiling harness (deleted after use)
import * as fs from 'node:fs'; import * as os from 'node:os'; import * as path from 'node:path';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { registerAnalysis } from '../../extension/server/scoring/registerAnalysis';
import { labelledRequests } from '../unit/labelledRequests';
const labels = labelledRequests();
(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
  const store = await AutodidactStore.open(dir, { persistDelayMs: 60000 });
  const a = registerAnalysis(store, { embeddings: false });
  await a.settle();
  let at = 1_700_000_000_000;
  const t = process.cpuUsage();
  for (let s = 0; s < 250; s++) {
    const ev: any[] = [];
    for (let k = 0; k < 8; k++) { const i = s * 8 + k; at += 1000; const id = `i${i}`; const sid = `s${s}`;
      ev.push({ type: 'interaction', interaction: { id, sessionId: sid, source: 'editor', startedAt: at, user_request: labels[(i * 7) % labels.length].request, assistant_response: 'The change updates the handler and keeps behaviour. '.repeat(20), tools_used: [], files_modified: [`src/m${i % 40}.ts`], issues_encountered: [], solutions_applied: ['x'], effectiveness: null } });
      ev.push({ type: 'outcome', outcome: { id: `o${i}`, interactionId: id, sessionId: sid, kind: 'vote', value: 1, at } });
    }
    await store.capture(ev);
  }
  await a.settle();
  const u = process.cpuUsage(t); console.log('cpu s', (u.user + u.system) / 1e6);
  await store.close();
})();
