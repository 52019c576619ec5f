// What the panel's overview says about live capture: the sessions being watched per assistant, and
// the last outcomes the editor observed (ids the extension host made start with `ed-`: imported
// outcomes come from the transcripts themselves and are not listed here).
import type { RowReader } from '../store/statsQuery';
import type { LiveStatus } from './liveSessionWatcher';

export interface LiveOverview {
  watching: boolean;
  /** Per assistant: session files that changed recently, and the interactions imported from them. */
  assistants: Array<{ assistant: string; sessions: number; interactions: number }>;
  lastOutcomes: Array<{ kind: string; value: number | null; detail: string | null; at: number; assistant: string | null }>;
}

export const LAST_OUTCOMES = 5;

export function readLiveOverview(store: RowReader, status: LiveStatus): LiveOverview {
  const byAssistant = new Map<string, { sessions: number; interactions: number }>();
  for (const s of status.sessions) {
    const entry = byAssistant.get(s.format) ?? { sessions: 0, interactions: 0 };
    entry.sessions++;
    entry.interactions += s.interactions;
    byAssistant.set(s.format, entry);
  }
  const lastOutcomes = store.query<LiveOverview['lastOutcomes'][number]>(
    `SELECT o.kind AS kind, o.value AS value, o.detail AS detail, o.at AS at, i.source AS assistant
     FROM outcome_events o LEFT JOIN interactions i ON i.id = o.interaction_id
     WHERE o.id LIKE 'ed-%' ORDER BY o.at DESC LIMIT ?`, [LAST_OUTCOMES]);
  return {
    watching: status.watching,
    assistants: [...byAssistant].map(([assistant, counts]) => ({ assistant, ...counts })).sort((a, b) => a.assistant.localeCompare(b.assistant)),
    lastOutcomes,
  };
}
