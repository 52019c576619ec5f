// Correction exchanges in the store: an attempt, the user's correction of it (or a failed outcome
// after it), and the answer that fixed it: the last answer of the chain of corrections, taken only
// when the user did not correct it too. These are what lessons are distilled from.
import { followUpReaction } from '../scoring/followUpReaction';
import { statedRule } from './statedRules';
import type { AutodidactStore } from '../store/autodidactStore';

export interface ExchangeTurn {
  id: string;
  sessionId: string;
  request: string;
  response: string;
  startedAt: number;
}

export interface CorrectionExchange {
  attempt: ExchangeTurn;
  /** The user's words that corrected the attempt (every correction in the chain). */
  correction: string;
  fix: ExchangeTurn;
  /** What showed the attempt was wrong. */
  signal: 'user_correction' | 'failed_outcome';
}

/** Outcome kinds that mean the attempt did not work, even when the user said nothing. */
const FAILED_OUTCOMES = new Set(['test_failed', 'tool_error', 'patch_failed', 'diagnostic_introduced', 'edit_undone', 'user_correction']);
/** A chain longer than this is a different conversation, not one mistake being fixed. */
const MAX_CORRECTIONS = 3;

interface TurnRow { id: string; session_id: string; user_request: string; assistant_response: string; started_at: number; failed: number }

/** Every session's turns, or only those of `sessionIds` (a learning pass over the sessions that changed). */
export function readSessionTurns(store: AutodidactStore, sessionIds?: readonly string[]): Map<string, ExchangeTurn[] & { failed?: Set<string> }> {
  const only = sessionIds ? `WHERE i.session_id IN (${sessionIds.map(() => '?').join(',') || 'NULL'})` : '';
  const rows = store.query<TurnRow>(`SELECT i.id, i.session_id, i.user_request, i.assistant_response, i.started_at,
      EXISTS (SELECT 1 FROM outcome_events o WHERE o.interaction_id = i.id AND (o.kind IN (${[...FAILED_OUTCOMES].map(() => '?').join(',')})
        OR (o.kind = 'exit_code' AND o.value IS NOT NULL AND o.value <> 0) OR (o.kind = 'vote' AND o.value < 0))) AS failed
    FROM interactions i ${only} ORDER BY i.session_id, i.started_at, i.id`, [...FAILED_OUTCOMES, ...(sessionIds ?? [])]);
  const sessions = new Map<string, ExchangeTurn[] & { failed?: Set<string> }>();
  for (const row of rows) {
    let turns = sessions.get(row.session_id);
    if (!turns) sessions.set(row.session_id, (turns = Object.assign([] as ExchangeTurn[], { failed: new Set<string>() })));
    turns.push({ id: row.id, sessionId: row.session_id, request: row.user_request, response: row.assistant_response, startedAt: row.started_at });
    if (row.failed) turns.failed!.add(row.id);
  }
  return sessions;
}

/**
 * Whether `next` reads as the user saying the answer before it was wrong: a correction or complaint,
 * or a rule stated right after the answer ("don't use print here, log with logger.info").
 */
function corrects(previous: ExchangeTurn, next: ExchangeTurn | undefined): boolean {
  const reaction = followUpReaction(next?.request, previous.request);
  if (reaction?.kind === 'correction' || reaction?.kind === 'complaint') return true;
  return reaction?.kind !== 'acceptance' && next !== undefined && statedRule(next.request.slice(0, 280)) !== undefined;
}

export function findCorrectionExchanges(turns: readonly ExchangeTurn[], failed: ReadonlySet<string> = new Set()): CorrectionExchange[] {
  const found: CorrectionExchange[] = [];
  for (let k = 0; k + 1 < turns.length; k++) {
    const attempt = turns[k];
    const userCorrected = corrects(attempt, turns[k + 1]);
    if (!userCorrected && !failed.has(attempt.id)) continue;
    let j = k + 1;
    const corrections = [turns[j].request];
    // Follow the chain while the user keeps correcting; the fix is the answer they stopped correcting.
    while (j + 1 < turns.length && corrects(turns[j], turns[j + 1]) && corrections.length < MAX_CORRECTIONS) corrections.push(turns[++j].request);
    if (corrects(turns[j], turns[j + 1]) || failed.has(turns[j].id)) continue; // never fixed
    found.push({ attempt, correction: corrections.join('\n'), fix: turns[j], signal: userCorrected ? 'user_correction' : 'failed_outcome' });
    k = j; // the chain is one exchange
  }
  return found;
}

export function correctionExchangesInStore(store: AutodidactStore, sessionIds?: readonly string[]): CorrectionExchange[] {
  const out: CorrectionExchange[] = [];
  for (const turns of readSessionTurns(store, sessionIds).values()) out.push(...findCorrectionExchanges(turns, turns.failed));
  return out;
}

/**
 * What each session looks like now (turns, newest turn, outcomes), so the editor's repeated learning
 * passes read only the sessions that changed since the last pass instead of every answer in the store.
 */
export function sessionSignatures(store: AutodidactStore): Map<string, string> {
  const signatures = new Map<string, string>();
  for (const r of store.query<{ session_id: string; n: number; last: number }>('SELECT session_id, COUNT(*) AS n, MAX(started_at) AS last FROM interactions GROUP BY session_id')) {
    signatures.set(r.session_id, `${r.n}:${r.last}`);
  }
  for (const r of store.query<{ session_id: string; n: number }>('SELECT session_id, COUNT(*) AS n FROM outcome_events WHERE session_id IS NOT NULL GROUP BY session_id')) {
    if (signatures.has(r.session_id)) signatures.set(r.session_id, `${signatures.get(r.session_id)}:${r.n}`);
  }
  return signatures;
}
