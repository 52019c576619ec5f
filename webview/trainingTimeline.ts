// The Training section's timeline, newest first: promoted versions (with the metrics before and
// after the round that made them) and the rounds that did not make a version (rejected, failed,
// cancelled, with why). From the trainer-server when connected, else from what the store recorded.
import type { RecordedTraining } from '../extension/protocol/panelData';
import type { EvalMetrics, GateTableRow, RoundManifest } from '../extension/protocol/trainerProtocol';
import type { TrainerPanelState } from '../extension/protocol/webviewProtocol';
import { servedByText } from '../extension/protocol/servedByText';

export interface TimelineEntry {
  key: string;
  kind: 'version' | 'round';
  title: string;
  /** live | base | promoted | rejected | failed | cancelled (recorded rows may say other things). */
  state: string;
  live: boolean;
  parent: string | null;
  at: number;
  before: EvalMetrics | null;
  after: EvalMetrics | null;
  reason: string | null;
  canRollback: boolean;
  /** The round's promotion gate, per category (trainer rounds only). */
  gate?: GateTableRow[] | null;
  /** Which backend the gateway sends this version to ("served by Ollama as autodidact:v1.2"); trainer versions only. */
  servedBy?: string;
}

export interface TrainingView {
  source: 'trainer' | 'recorded' | 'none';
  live: string | null;
  baseModel: { id: string; fallback: boolean } | null;
  entries: TimelineEntry[];
  /** The round running now, or the next queued one. */
  active: RoundManifest | null;
}

const FINISHED_WITHOUT_VERSION = new Set(['rejected', 'failed', 'cancelled']);

/** `round-0003` -> "Round 0003"; other ids whole up to 16 characters. */
export function roundLabel(id: string): string {
  const bare = id.replace(/^round-/, '');
  return `Round ${bare.length > 16 ? `${bare.slice(0, 12)}…` : bare}`;
}

export function trainingView(training: TrainerPanelState | undefined, recorded: RecordedTraining | undefined, fallbackLive: string | null): TrainingView {
  if (training?.versions) return fromTrainer(training);
  if (recorded && (recorded.versions.length > 0 || recorded.rounds.length > 0)) return fromRecorded(recorded, fallbackLive);
  const active = pickActive(training?.rounds ?? []);
  return { source: 'none', live: fallbackLive ?? recorded?.liveVersion ?? null, baseModel: null, entries: [], active };
}

function pickActive(rounds: readonly RoundManifest[]): RoundManifest | null {
  return rounds.find((r) => r.state === 'running') ?? rounds.find((r) => r.state === 'queued') ?? null;
}

function fromTrainer(training: TrainerPanelState): TrainingView {
  const snapshot = training.versions!;
  const rounds = training.rounds ?? [];
  const connected = training.connection === 'connected';
  const byId = new Map(rounds.map((r) => [r.roundId, r]));
  const entries: TimelineEntry[] = snapshot.versions.map((v) => {
    const round = v.roundId ? byId.get(v.roundId) : undefined;
    const live = v.name === snapshot.live;
    const base = v.parent === null && v.roundId === null;
    return {
      key: `version:${v.name}`, kind: 'version', title: v.name, state: live ? 'live' : base ? 'base' : 'promoted', live,
      parent: v.parent, at: v.createdAt, before: round?.metrics.before ?? null, after: v.metrics ?? round?.metrics.after ?? null,
      reason: round?.decision?.reason ?? null, canRollback: connected && !live, gate: round?.gateTable ?? null,
      ...(v.servedBy ? { servedBy: servedByText(v.servedBy) } : {}),
    };
  });
  for (const r of rounds) {
    if (!FINISHED_WITHOUT_VERSION.has(r.state)) continue;
    entries.push({
      key: `round:${r.roundId}`, kind: 'round', title: roundLabel(r.roundId), state: r.state, live: false,
      parent: r.parent, at: r.timings.endedAt ?? r.timings.startedAt ?? r.timings.queuedAt,
      before: r.metrics.before, after: r.metrics.after, reason: r.decision?.reason ?? r.error ?? null, canRollback: false, gate: r.gateTable ?? null,
    });
  }
  return { source: 'trainer', live: snapshot.live, baseModel: snapshot.baseModel, entries: newestFirst(entries), active: pickActive(rounds) };
}

function fromRecorded(recorded: RecordedTraining, fallbackLive: string | null): TrainingView {
  const byCandidate = new Map(recorded.rounds.filter((r) => r.candidate).map((r) => [r.candidate!, r]));
  const live = recorded.liveVersion ?? fallbackLive;
  const entries: TimelineEntry[] = recorded.versions.map((v) => {
    const round = byCandidate.get(v.name);
    const isLive = v.name === live;
    return {
      key: `version:${v.name}`, kind: 'version', title: v.name, state: isLive ? 'live' : v.parent === null ? 'base' : 'promoted',
      live: isLive, parent: v.parent, at: v.createdAt, before: round?.metricsBefore ?? null, after: v.metrics ?? round?.metricsAfter ?? null,
      reason: round?.decision ?? null, canRollback: false, // rollback goes through the trainer-server
    };
  });
  for (const r of recorded.rounds) {
    if (r.candidate && recorded.versions.some((v) => v.name === r.candidate)) continue;
    if (!FINISHED_WITHOUT_VERSION.has(r.status)) continue;
    entries.push({
      key: `round:${r.id}`, kind: 'round', title: roundLabel(r.id), state: r.status, live: false, parent: r.parent,
      at: r.endedAt ?? r.startedAt, before: r.metricsBefore, after: r.metricsAfter, reason: r.decision, canRollback: false,
    });
  }
  return { source: 'recorded', live, baseModel: null, entries: newestFirst(entries), active: null };
}

function newestFirst(entries: TimelineEntry[]): TimelineEntry[] {
  return entries.sort((a, b) => b.at - a.at || b.title.localeCompare(a.title));
}

/**
 * The colour of a loss change. Lower loss is better, but only a round that made a version earns the
 * colour of success: a rejected, failed or cancelled round's lower loss is shown neutral, and any
 * rise is shown as worse.
 */
export function lossChangeTone(change: number | null, state: string): 'up' | 'down' | 'flat' {
  if (change === null || change === 0) return 'flat';
  if (change > 0) return 'down';
  return FINISHED_WITHOUT_VERSION.has(state) ? 'flat' : 'up';
}

/** Relative change of the held-out loss (negative is better): "−10.9%". */
export function lossChange(before: EvalMetrics | null, after: EvalMetrics | null): number | null {
  if (!before || !after || !(before.eval_loss > 0)) return null;
  return (after.eval_loss - before.eval_loss) / before.eval_loss;
}
