// `autodidact scores [--json] [--min X] [--max Y] [--limit N]`: each interaction's effectiveness
// with the breakdown that explains it: the signals (log-odds) and the outcome events they were read
// from. Lowest scores first, so failures and near misses come first.
import { parseBreakdown, type ScoreBreakdown } from '../scoring/scoreBreakdown';
import { registerAnalysis } from '../scoring/registerAnalysis';
import { AutodidactStore } from '../store/autodidactStore';
import { analysisOptionsFromFlags } from './analysisFlags';
import type { CliArgs } from './cliArgs';

export interface ScoredInteraction {
  id: string;
  sessionId: string;
  source: string;
  request: string;
  effectiveness: number;
  breakdown: ScoreBreakdown | null;
}

function bound(args: CliArgs, name: string, fallback: number): number {
  const raw = args.flags[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(value)) throw new Error(`--${name} needs a number (got ${String(raw)})`);
  return value;
}

export async function run(args: CliArgs): Promise<number> {
  let min: number, max: number, limit: number;
  try {
    [min, max, limit] = [bound(args, 'min', 0), bound(args, 'max', 1), bound(args, 'limit', 50)];
  } catch (error) {
    process.stderr.write(`autodidact scores: ${(error as Error).message}\n`);
    return 2;
  }
  const store = await AutodidactStore.open(args.dbDir);
  try {
    if (store.isOwner) await registerAnalysis(store, analysisOptionsFromFlags(args)).settle();
    const rows = store.query<{ id: string; session_id: string; source: string; request: string; effectiveness: number; score_breakdown: string | null }>(
      `SELECT id, session_id, source, substr(user_request, 1, 200) AS request, effectiveness, score_breakdown FROM interactions
       WHERE effectiveness IS NOT NULL AND effectiveness >= ? AND effectiveness <= ? ORDER BY effectiveness, started_at, id LIMIT ?`, [min, max, limit]);
    const scored: ScoredInteraction[] = rows.map((r) => ({
      id: r.id, sessionId: r.session_id, source: r.source, request: r.request, effectiveness: r.effectiveness, breakdown: parseBreakdown(r.score_breakdown) ?? null,
    }));
    process.stdout.write(args.json ? `${JSON.stringify(scored)}\n` : scored.map(describe).join('\n'));
    return 0;
  } finally {
    await store.close();
  }
}

function describe(s: ScoredInteraction): string {
  const lines = [`${s.effectiveness.toFixed(2)}  ${s.source}  ${s.request.replace(/\s+/g, ' ').slice(0, 90)}`];
  for (const signal of s.breakdown?.signals ?? []) lines.push(`      ${signal.contribution >= 0 ? '+' : ''}${signal.contribution.toFixed(2)}  ${signal.name}: ${signal.detail ?? ''}`.slice(0, 160));
  const events = (s.breakdown?.evidence ?? []).map((e) => `${e.kind} ×${e.count}${e.ignored ? ' (not counted)' : ''}`);
  if (events.length > 0) lines.push(`      evidence: ${events.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
