// Imports the real transcripts through the real path (importers → store → scoring deriver), then
// lines each scored interaction up with its hand label. Used by `npm run fit:scoring` and by the
// calibration test, so both see exactly what a user's store would hold.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AutodidactStore } from '../../store/autodidactStore';
import { registerAnalysis } from '../registerAnalysis';
import { parseBreakdown, type ScoreBreakdown } from '../scoreBreakdown';
import { importWithProvenance } from './fixtureProvenance';
import { keysForFile, keyString, type LabelKey } from './labelKey';

export type Judgement = 'succeeded' | 'partly' | 'failed' | 'cannot_tell';
export const JUDGEMENTS: readonly Judgement[] = ['succeeded', 'partly', 'failed', 'cannot_tell'];

export interface Label extends LabelKey {
  /** `chat`, or `autocomplete` (Continue completions: their own kind, which importers may stop
   *  reporting as interactions, so they are left out of the match rate). */
  kind: 'chat' | 'autocomplete';
  label: Judgement;
  evidence: string;
}

export interface LabelFile { about: string; labelledBy: string; labels: Label[] }

export interface LabelledInteraction {
  label: Label;
  id: string;
  sessionId: string;
  score: number;
  breakdown: ScoreBreakdown;
}

export interface LabelledSet {
  matched: LabelledInteraction[];
  unmatched: Label[];
  /** Interactions the import produced that no label names (new turns after importer changes). */
  unlabelled: number;
  /** Interactions the import produced in all. */
  imported: number;
}

export function readLabels(file: string): LabelFile {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as LabelFile;
  for (const l of parsed.labels) {
    if (!JUDGEMENTS.includes(l.label)) throw new Error(`${file}: ${keyString(l)} has an unknown label "${l.label}"`);
  }
  return parsed;
}

/** Imports every transcript under `root` into a fresh store in a temporary folder and matches labels.
 *  `inspect` sees the scored store before it is closed and removed (to build a training set from it). */
export async function loadLabelledSet(root: string, labels: readonly Label[], inspect?: (store: AutodidactStore) => Promise<void>): Promise<LabelledSet> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-labelled-'));
  const store = await AutodidactStore.open(dir, { persistDelayMs: 50 });
  try {
    const { fileOf } = await importWithProvenance(root, store);
    await registerAnalysis(store, { embeddings: false }).settle();
    const rows = store.query<{ id: string; session_id: string; user_request: string; effectiveness: number; score_breakdown: string }>(
      'SELECT id, session_id, user_request, effectiveness, score_breakdown FROM interactions ORDER BY started_at, id');
    const byFile = new Map<string, typeof rows>();
    for (const r of rows) {
      const file = fileOf.get(r.id);
      if (file) byFile.set(file, [...(byFile.get(file) ?? []), r]);
    }
    const byKey = new Map<string, (typeof rows)[number]>();
    for (const [file, list] of byFile) for (const { key, item } of keysForFile(file, list)) byKey.set(keyString(key), item);
    const matched: LabelledInteraction[] = [];
    const unmatched: Label[] = [];
    for (const label of labels) {
      const row = byKey.get(keyString(label));
      if (!row || row.effectiveness === null) {
        unmatched.push(label);
        continue;
      }
      byKey.delete(keyString(label));
      matched.push({ label, id: row.id, sessionId: row.session_id, score: row.effectiveness, breakdown: parseBreakdown(row.score_breakdown)! });
    }
    await inspect?.(store);
    return { matched, unmatched, unlabelled: byKey.size, imported: rows.length };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** 1 succeeded, 0 failed or partly (training takes only full successes), undefined cannot tell. */
export function outcomeOf(label: Judgement): 0 | 1 | undefined {
  return label === 'succeeded' ? 1 : label === 'cannot_tell' ? undefined : 0;
}
