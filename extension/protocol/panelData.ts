// What the sidebar panel shows, as the analysis server computes it. Every list is a bounded page and
// every text an excerpt, so a message stays a few kilobytes with 100,000 interactions in the store.
import type { ScoreBreakdown } from '../server/scoring/scoreBreakdown';
import type { StoreStats } from './records';
import type { EvalMetrics } from './trainerProtocol';

/** Patterns per page, examples per page, and excerpt lengths: the panel's payload budget. */
export const PANEL_LIMITS = {
  patternsPerPage: 20,
  examplesPerPage: 5,
  patternRequestChars: 200,
  exampleRequestChars: 600,
  exampleResponseChars: 900,
  previewExamples: 3,
  previewMessageChars: 400,
  trendBuckets: 12,
  recordedVersions: 20,
} as const;

export interface EffectivenessTrend {
  /** The meter's rolling window (`autodidact.meter.window`). */
  window: number;
  /** Average of the most recent `window` scored interactions; null when none is scored. */
  recent: number | null;
  recentCount: number;
  /** Average of the `window` scored interactions before those; null when there are none. */
  previous: number | null;
  previousCount: number;
  /** Averages of consecutive windows, oldest first (at most PANEL_LIMITS.trendBuckets), for a sparkline. */
  series: number[];
}

export interface PatternRow {
  id: string;
  category: string;
  /** Readable name: the words that set its members apart (c-TF-IDF, patterns/patternName.ts). */
  name: string;
  /** Excerpt of the representative request. */
  request: string;
  count: number;
  avgEffectiveness: number | null;
  /** Recent minus older effectiveness; null below 4 scored members. */
  trend: number | null;
  included: boolean;
}

/** Patterns sorted by score (average effectiveness, then size). */
export interface PatternPage {
  total: number;
  excluded: number;
  offset: number;
  items: PatternRow[];
}

export interface PatternExample {
  id: string;
  source: string;
  startedAt: number;
  request: string;
  response: string;
  /** True when request or response was cut to its excerpt length. */
  truncated: boolean;
  effectiveness: number | null;
  breakdown: ScoreBreakdown | null;
}

/** A pattern's member interactions, most recent first. */
export interface PatternExamplesPage {
  patternId: string;
  total: number;
  offset: number;
  items: PatternExample[];
}

export interface PatternInclusionResult {
  included: boolean;
  changed: boolean;
  /** Why nothing changed (unknown pattern, or another window owns the store). */
  message?: string;
}

/** A version as the store recorded it (versions table): shown while no trainer-server is connected. */
export interface RecordedVersion {
  name: string;
  parent: string | null;
  createdAt: number;
  live: boolean;
  metrics: EvalMetrics | null;
}

export interface RecordedRound {
  id: string;
  parent: string | null;
  candidate: string | null;
  status: string;
  startedAt: number;
  endedAt: number | null;
  metricsBefore: EvalMetrics | null;
  metricsAfter: EvalMetrics | null;
  decision: string | null;
}

export interface RecordedTraining {
  liveVersion: string | null;
  versions: RecordedVersion[];
  rounds: RecordedRound[];
}

/** One answer for the panel's first render: overview, categories, the first page of patterns. */
export interface PanelData {
  /** The same readStats query as `autodidact stats --json`. */
  stats: StoreStats;
  scored: number;
  trend: EffectivenessTrend;
  patterns: PatternPage;
  recorded: RecordedTraining;
  /** How categories are classified now: 'embeddings', or `rules (<why>)` when the sentence model is
   *  unavailable (the panel says so). Absent when the analysis server has not set it up yet. */
  classifierMode?: string;
  /** How long the server took to read all of this (ms). */
  readMs: number;
}

export interface DatasetPreviewExample {
  kind: string;
  synthetic: boolean;
  category: string;
  effectiveness: number;
  user: string;
  assistant: string;
}

export interface LastExport { path: string; format: string; examples: number; createdAt: number }

/** The training set as `autodidact export` would build it now: counts, redactions and a few pairs. */
export interface DatasetPreview {
  minEffectiveness: number;
  train: number;
  eval: number;
  byKind: { direct: number; improvement: number; synthetic: number };
  candidates: number;
  duplicatesRemoved: number;
  cappedRemoved: number;
  /** Secrets the dataset builder found and redacted now (distinct secrets, by type). */
  redactions: { total: number; byType: Record<string, number> };
  /** Placeholders such as `[GITHUB_TOKEN]` in these pairs: secrets already removed when they were captured. */
  placeholders: { total: number; byType: Record<string, number> };
  examples: DatasetPreviewExample[];
  /** Pairs each pattern contributes (by pattern id; absent: none), so the Patterns section says
   *  "Used for training" only for the patterns in this very set. */
  patternPairs: Record<string, { train: number; eval: number }>;
  lastExport: LastExport | null;
  /** How long building took (ms); 0 when it came from the cache. */
  buildMs: number;
}
