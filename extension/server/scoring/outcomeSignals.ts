// Turns outcome_events rows into scored signals: what actually happened after the answer.
import type { OutcomeKind } from '../../protocol/records';
import type { ScoreSignal } from './scoreBreakdown';
import { round4 } from './scoreBreakdown';
import { OUTCOME_WEIGHTS, type OutcomeSignalName, type OutcomeWeight } from './scoringWeights';

export interface OutcomeRow {
  kind: OutcomeKind | string;
  value: number | null;
  detail: string | null;
}

/** Which weight an event falls under; undefined means "seen, but says nothing" (e.g. unknown exit code). */
export function outcomeSignalName(row: OutcomeRow): OutcomeSignalName | undefined {
  switch (row.kind) {
    case 'vote':
      if (row.value === null || row.value === 0) return undefined;
      return row.value > 0 ? 'vote_up' : 'vote_down';
    case 'exit_code':
      // An undefined exit code is unknown, not success (VS Code reports undefined when it cannot tell).
      if (row.value === null || !Number.isFinite(row.value)) return undefined;
      return row.value === 0 ? 'exit_ok' : 'exit_failed';
    default:
      return row.kind in OUTCOME_WEIGHTS ? (row.kind as OutcomeSignalName) : undefined;
  }
}

function units(row: OutcomeRow, weight: OutcomeWeight): number {
  if (!weight.perUnitValue) return 1;
  const n = row.value === null ? 1 : Math.abs(row.value);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

export interface OutcomeSignals {
  signals: ScoreSignal[];
  /** True when a strong signal (vote, test, edit kept/undone, correction...) is among them. */
  strongEvidence: boolean;
  toolErrors: number;
}

export function outcomeSignals(rows: readonly OutcomeRow[]): OutcomeSignals {
  const totals = new Map<OutcomeSignalName, { units: number; details: string[] }>();
  let toolErrors = 0;
  for (const row of rows) {
    const name = outcomeSignalName(row);
    if (!name) continue;
    if (name === 'tool_error') toolErrors++;
    const entry = totals.get(name) ?? { units: 0, details: [] };
    entry.units += units(row, OUTCOME_WEIGHTS[name]);
    if (row.detail && entry.details.length < 3) entry.details.push(row.detail);
    totals.set(name, entry);
  }
  const signals: ScoreSignal[] = [];
  let strongEvidence = false;
  // Fixed order (the weights table's) so the same events always give the same breakdown JSON.
  for (const name of Object.keys(OUTCOME_WEIGHTS) as OutcomeSignalName[]) {
    const entry = totals.get(name);
    if (!entry) continue;
    const w: OutcomeWeight = OUTCOME_WEIGHTS[name];
    const uncapped = w.weight * entry.units;
    const contribution = w.weight >= 0 ? Math.min(w.cap, uncapped) : Math.max(w.cap, uncapped);
    strongEvidence ||= w.strong;
    signals.push({
      name, part: 'outcome', weight: w.weight, value: entry.units, contribution: round4(contribution),
      detail: [w.why, ...entry.details].join('; '),
    });
  }
  return { signals, strongEvidence, toolErrors };
}
