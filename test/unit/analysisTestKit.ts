// Builders for scoring, category, pattern and dataset tests: real stores in temp folders, sessions
// of interactions with outcomes, and the real embedding model prepared offline.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaptureEvent, InteractionRecord, OutcomeEvent } from '../../extension/protocol/records';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { registerAnalysis, type AnalysisHandle, type AnalysisOptions } from '../../extension/server/scoring/registerAnalysis';
import { tempDir } from './storeTestKit';

export const REPO = path.resolve(__dirname, '../..');
export const LOCAL_MODELS = path.join(REPO, 'test', '.models');

/** The real all-MiniLM-L6-v2, converted to ONNX by test/setup/prepare_embedding_model.py (idempotent). */
export function ensureEmbeddingModel(): string {
  const onnx = path.join(LOCAL_MODELS, 'Xenova', 'all-MiniLM-L6-v2', 'onnx');
  if (!fs.existsSync(path.join(onnx, 'model.onnx')) || !fs.existsSync(path.join(onnx, 'model_quantized.onnx'))) {
    execFileSync(path.join(REPO, '.venv', 'bin', 'python'), [path.join(REPO, 'test', 'setup', 'prepare_embedding_model.py')], { stdio: 'inherit' });
  }
  return LOCAL_MODELS;
}

export async function openAnalysedStore(options: AnalysisOptions = {}): Promise<{ store: AutodidactStore; analysis: AnalysisHandle; dir: string }> {
  const dir = tempDir('autodidact-analysis-');
  // A failing deriver is only logged by the store; here it fails the capture, so the test sees it.
  const store = await AutodidactStore.open(dir, { persistDelayMs: 50, log: (m) => { if (m.startsWith('deriver')) throw new Error(m); } });
  const analysis = registerAnalysis(store, { embeddings: false, log: (m) => { if (m.startsWith('embedding failed')) throw new Error(m); }, ...options });
  await analysis.settle();
  // Patterns and embedding categories follow a capture a moment later (debounced, off the store's
  // queue); in these tests a capture resolves once they have caught up, so assertions see them.
  const capture = store.capture.bind(store);
  store.capture = async (events) => { await capture(events); await analysis.settle(); };
  return { store, analysis, dir };
}

let clock = 1_700_000_000_000;

export interface TurnSpec {
  request: string;
  response: string;
  files?: string[];
  solutions?: string[];
  issues?: string[];
  outcomes?: Array<Pick<OutcomeEvent, 'kind'> & Partial<OutcomeEvent>>;
}

/** A session's events: one interaction per turn, a minute apart, outcomes linked to their turn. */
export function sessionEvents(sessionId: string, turns: readonly TurnSpec[]): CaptureEvent[] {
  const events: CaptureEvent[] = [{ type: 'session', session: { id: sessionId, source: 'editor', startedAt: clock } }];
  turns.forEach((turn, i) => {
    clock += 60_000;
    const record: InteractionRecord = {
      id: `${sessionId}-i${i}`, sessionId, source: 'editor', startedAt: clock, endedAt: clock + 30_000,
      user_request: turn.request, assistant_response: turn.response,
      tools_used: [], files_modified: turn.files ?? [], issues_encountered: turn.issues ?? [],
      solutions_applied: turn.solutions ?? [], effectiveness: null,
    };
    events.push({ type: 'interaction', interaction: record });
    (turn.outcomes ?? []).forEach((o, k) => events.push({ type: 'outcome', outcome: {
      id: `${record.id}-o${k}`, interactionId: record.id, sessionId, at: clock + 40_000, ...o,
    } }));
  });
  return events;
}

export function row<T>(store: AutodidactStore, sql: string, params: unknown[] = []): T {
  const [first] = store.query<T>(sql, params);
  if (!first) throw new Error(`no row for ${sql}`);
  return first;
}
