// One request for the panel's first render. Everything here is an aggregate or a bounded page, so its
// cost and size do not grow with the number of interactions beyond the scans of readStats.
import { PANEL_LIMITS, type PanelData } from '../../protocol/panelData';
import { readStats, type RowReader } from '../store/statsQuery';
import { readTrend } from './effectivenessTrend';
import { readPatternPage } from './patternPages';
import { readRecordedTraining } from './recordedTraining';

export function readPanelData(store: RowReader, options: { window: number; patternLimit?: number; classifierMode?: string }): PanelData {
  const started = performance.now();
  const stats = readStats(store);
  const [{ scored }] = store.query<{ scored: number }>('SELECT COUNT(effectiveness) AS scored FROM interactions');
  return {
    stats,
    scored,
    trend: readTrend(store, options.window),
    patterns: readPatternPage(store, 0, options.patternLimit ?? PANEL_LIMITS.patternsPerPage),
    recorded: readRecordedTraining(store),
    classifierMode: options.classifierMode,
    readMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
