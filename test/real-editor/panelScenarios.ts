// States for test/real-editor/panelPreview.ts: the panel as a user meets it in situations the E2E
// cannot reach without a GPU (a round training now, with its loss curve) or that are hard to catch
// (loading, a failed analysis server, an empty store). The store numbers come from a real store.
import type { MeterReading } from '../../extension/protocol/analysisProtocol';
import type { PanelData } from '../../extension/protocol/panelData';
import type { RoundManifest, VersionsSnapshot } from '../../extension/protocol/trainerProtocol';
import type { PanelState, TrainerPanelState } from '../../extension/protocol/webviewProtocol';
import { LossSeries } from '../../extension/shared/lossSeries';

const URL = 'ws://127.0.0.1:7878';
/** Held-out metrics that move together: lower loss, higher token accuracy. */
const metrics = (loss: number): { eval_loss: number; token_accuracy: number } => ({ eval_loss: loss, token_accuracy: Math.round((0.382 + (2.41 - loss) * 0.13) * 1000) / 1000 });
const DAY = 86_400_000;

function base(data: PanelData | undefined, meter: MeterReading | undefined): PanelState {
  return {
    stats: data?.stats ?? { sessions: 0, interactions: 0, effectiveness: null, categories: [] },
    capture: { enabled: true, paused: false },
    trainer: { connected: false, url: URL },
    liveVersion: null,
    status: { kind: data ? 'ready' : 'loading' },
    data,
    meter,
  };
}

function round(n: number, state: RoundManifest['state'], at: number, before: number, after: number | null, version: string | null): RoundManifest {
  return {
    schema: 1, roundId: `round-${String(n).padStart(4, '0')}`, state, phase: state === 'running' ? 'train' : 'done',
    parent: `v1.${Math.max(0, n - 2)}`, version, baseModel: { id: 'Qwen/Qwen2.5-0.5B-Instruct', fallback: false },
    dataset: { sha256: 'f'.repeat(64), trainExamples: 120, evalExamples: 14 }, config: {},
    promotion: { minRelativeLossDecrease: 0.01, maxTokenAccuracyDrop: 0 }, continueFromParent: true,
    metrics: { before: metrics(before), after: after === null ? null : metrics(after), training: null },
    decision: after === null ? null : { promoted: state === 'promoted', reason: state === 'promoted'
      ? `held-out loss fell ${(((before - after) / before) * 100).toFixed(1)}% (needs 1%)` : 'held-out loss did not fall by 1%; v1.1 stays live' },
    adapter: null, timings: { queuedAt: at, startedAt: at, endedAt: state === 'running' ? undefined : at + 600_000 },
  };
}

/** A connected trainer-server: three versions, a rejected round and one training now. */
export function trainingState(now: number): TrainerPanelState {
  const versions: VersionsSnapshot = {
    live: 'v1.2',
    baseModel: { id: 'Qwen/Qwen2.5-0.5B-Instruct', requested: 'Qwen/Qwen2.5-0.5B-Instruct', fallback: false, device: 'cuda', dtype: 'bfloat16' },
    history: [],
    versions: [
      { name: 'v1.0', model: 'autodidact-v1.0', adapterPath: null, adapterSha256: null, parent: null, roundId: null, createdAt: now - 6 * DAY, metrics: metrics(2.41) },
      { name: 'v1.1', model: 'autodidact-v1.1', adapterPath: 'a', adapterSha256: 'b', parent: 'v1.0', roundId: 'round-0001', createdAt: now - 4 * DAY, metrics: metrics(2.12) },
      { name: 'v1.2', model: 'autodidact-v1.2', adapterPath: 'a', adapterSha256: 'b', parent: 'v1.1', roundId: 'round-0003', createdAt: now - DAY, metrics: metrics(1.87) },
    ],
  };
  const rounds = [
    round(1, 'promoted', now - 4 * DAY - 600_000, 2.41, 2.12, 'v1.1'),
    round(2, 'rejected', now - 2 * DAY, 2.12, 2.13, null),
    round(3, 'promoted', now - DAY - 600_000, 2.12, 1.87, 'v1.2'),
    round(4, 'running', now - 300_000, 1.87, null, null),
  ];
  const loss = new LossSeries(240);
  for (let step = 0; step < 1500; step++) loss.add(1.2 + 1.1 * Math.exp(-step / 260) + 0.08 * Math.sin(step / 7) * Math.exp(-step / 900));
  return {
    connection: 'connected', url: URL, versions, rounds,
    progress: { roundId: 'round-0004', phase: 'train', step: 1500, totalSteps: 2400, loss: loss.values(), lr: 8.5e-6, tokensPerS: 1830, etaS: 151 },
  };
}

export function scenarios(data: PanelData, meter: MeterReading, empty: PanelData, now: number): Record<string, PanelState> {
  const ready = base(data, meter);
  return {
    fixture: ready,
    training: { ...ready, trainer: { connected: true, url: URL }, training: trainingState(now) },
    empty: { ...base(empty, { effectiveness: null, scoredInteractions: 0, window: 50, byCategory: [] }), capture: { enabled: false, paused: false } },
    loading: base(undefined, undefined),
    error: { ...base(undefined, undefined), status: { kind: 'error', message: 'The analysis server did not start: cannot open the store: EACCES: permission denied, open \'/home/me/.autodidact/autodidact.db\'' } },
    connecting: { ...ready, training: { connection: 'error', url: URL, message: 'connect ECONNREFUSED 127.0.0.1:7878' } },
  };
}
