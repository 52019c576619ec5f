// The versions and rounds recorded in the store. The trainer-server is the authority; these rows
// let the panel show the live version and the timeline while it is not connected.
import { PANEL_LIMITS, type RecordedRound, type RecordedTraining, type RecordedVersion } from '../../protocol/panelData';
import type { EvalMetrics } from '../../protocol/trainerProtocol';
import type { RowReader } from '../store/statsQuery';

function metrics(json: string | null): EvalMetrics | null {
  if (!json) return null;
  try {
    const parsed = JSON.parse(json) as EvalMetrics;
    return typeof parsed?.eval_loss === 'number' ? parsed : null;
  } catch {
    return null; // a damaged row shows without metrics rather than breaking the panel
  }
}

export function readRecordedTraining(store: RowReader): RecordedTraining {
  const limit = PANEL_LIMITS.recordedVersions;
  const versions = store.query<{ name: string; parent: string | null; created_at: number; live: number; metrics: string | null }>(
    'SELECT name, parent, created_at, live, metrics FROM versions ORDER BY created_at DESC, name DESC LIMIT ?', [limit])
    .map((r): RecordedVersion => ({ name: r.name, parent: r.parent, createdAt: r.created_at, live: r.live !== 0, metrics: metrics(r.metrics) }));
  const rounds = store.query<{ id: string; parent_version: string | null; candidate_version: string | null; status: string;
    started_at: number; ended_at: number | null; metrics_before: string | null; metrics_after: string | null; decision: string | null }>(
    `SELECT id, parent_version, candidate_version, status, started_at, ended_at, metrics_before, metrics_after, decision
     FROM training_rounds ORDER BY started_at DESC, id DESC LIMIT ?`, [limit])
    .map((r): RecordedRound => ({
      id: r.id, parent: r.parent_version, candidate: r.candidate_version, status: r.status, startedAt: r.started_at,
      endedAt: r.ended_at, metricsBefore: metrics(r.metrics_before), metricsAfter: metrics(r.metrics_after), decision: r.decision,
    }));
  const [live] = store.query<{ name: string }>('SELECT name FROM versions WHERE live != 0 ORDER BY created_at DESC LIMIT 1');
  return { liveVersion: live?.name ?? null, versions, rounds };
}
