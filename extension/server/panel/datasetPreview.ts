// The Data section: the training set exactly as `autodidact export` builds it (buildTrainingSet),
// summarised with a few redacted pairs. Building reads every scored interaction, so the result is
// kept until the store's fingerprint changes and concurrent asks share one build.
import { PANEL_LIMITS, type DatasetPreview, type DatasetPreviewExample, type LastExport } from '../../protocol/panelData';
import { buildTrainingSet } from '../dataset/buildTrainingSet';
import { REDACTION_RULES } from '../../shared/redaction/rules';
import type { TrainingExample } from '../dataset/trainingExample';
import type { RowReader } from '../store/statsQuery';

/** Cheap to compute (aggregates), and different whenever the training set could be. */
function fingerprint(store: RowReader, minEffectiveness: number): string {
  const [i] = store.query<Record<string, number | null>>(
    'SELECT COUNT(*) AS n, TOTAL(effectiveness) AS s, MAX(rowid) AS r, COUNT(category) AS c FROM interactions');
  const [p] = store.query<Record<string, number | string | null>>(
    "SELECT COUNT(*) AS n, TOTAL(count) AS m, group_concat(CASE WHEN included = 0 THEN id END) AS x FROM patterns");
  return JSON.stringify([minEffectiveness, i, p]);
}

function excerpt(text: string): string {
  return text.length > PANEL_LIMITS.previewMessageChars ? `${text.slice(0, PANEL_LIMITS.previewMessageChars)}…` : text;
}

/** One of each kind first (a direct pair and an improvement pair say more than three of one kind). */
export function previewExamples(train: readonly TrainingExample[], count: number = PANEL_LIMITS.previewExamples): DatasetPreviewExample[] {
  const chosen: TrainingExample[] = [];
  for (const kind of ['direct', 'improvement', 'variation', 'cross-category']) {
    const first = train.find((e) => e.kind === kind);
    if (first && chosen.length < count) chosen.push(first);
  }
  for (const e of train) if (chosen.length < count && !chosen.includes(e)) chosen.push(e);
  return chosen.map((e) => ({
    kind: e.kind,
    synthetic: e.synthetic,
    category: e.category,
    effectiveness: e.effectiveness,
    user: excerpt(e.messages.find((m) => m.role === 'user')?.content ?? ''),
    assistant: excerpt([...e.messages].reverse().find((m) => m.role === 'assistant')?.content ?? ''),
  }));
}

const PLACEHOLDER = new RegExp(`\\[(${[...REDACTION_RULES.map((r) => r.type), 'EMAIL'].join('|')})\\]`, 'g');

/** Secrets removed at capture leave typed placeholders; counting them shows what redaction did. */
export function countPlaceholders(examples: readonly TrainingExample[]): { total: number; byType: Record<string, number> } {
  const byType: Record<string, number> = {};
  let total = 0;
  for (const e of examples) {
    for (const m of e.messages) {
      // The system message repeats earlier requests as context; counting it would count a secret twice.
      if (m.role === 'system' || !m.content.includes('[')) continue;
      for (const match of m.content.matchAll(PLACEHOLDER)) {
        byType[match[1]] = (byType[match[1]] ?? 0) + 1;
        total++;
      }
    }
  }
  return { total, byType };
}

function readLastExport(store: RowReader): LastExport | null {
  const [row] = store.query<{ path: string; format: string; examples: number; created_at: number }>(
    "SELECT path, format, examples, created_at FROM datasets WHERE format NOT LIKE '%:eval' ORDER BY created_at DESC LIMIT 1");
  return row ? { path: row.path, format: row.format, examples: row.examples, createdAt: row.created_at } : null;
}

export class DatasetPreviewCache {
  private cached: { key: string; preview: Promise<DatasetPreview> } | undefined;

  read(store: RowReader, minEffectiveness: number): Promise<DatasetPreview> {
    const key = fingerprint(store, minEffectiveness);
    if (this.cached?.key === key) {
      return this.cached.preview.then((p) => ({ ...p, buildMs: 0, lastExport: readLastExport(store) }));
    }
    const preview = build(store, minEffectiveness);
    this.cached = { key, preview };
    preview.catch(() => { if (this.cached?.preview === preview) this.cached = undefined; }); // a failure is retried next time
    return preview;
  }
}

/** Pairs per pattern in the built set: what the Patterns section's training labels read. */
export function pairsByPattern(train: readonly TrainingExample[], held: readonly TrainingExample[]): Record<string, { train: number; eval: number }> {
  const out: Record<string, { train: number; eval: number }> = {};
  for (const [examples, side] of [[train, 'train'], [held, 'eval']] as const) {
    for (const e of examples) {
      if (!e.patternId) continue;
      out[e.patternId] ??= { train: 0, eval: 0 };
      out[e.patternId][side]++;
    }
  }
  return out;
}

async function build(store: RowReader, minEffectiveness: number): Promise<DatasetPreview> {
  const started = performance.now();
  const set = await buildTrainingSet(store, { minEffectiveness });
  const kinds = set.stats.byKind;
  return {
    minEffectiveness,
    train: set.stats.train,
    eval: set.stats.eval,
    byKind: { direct: kinds.direct, improvement: kinds.improvement, synthetic: kinds.variation + kinds['cross-category'] },
    candidates: set.stats.candidates,
    duplicatesRemoved: set.stats.duplicatesRemoved,
    cappedRemoved: set.stats.cappedRemoved,
    redactions: set.stats.redactions,
    placeholders: countPlaceholders([...set.train, ...set.eval]),
    examples: previewExamples(set.train),
    patternPairs: pairsByPattern(set.train, set.eval),
    lastExport: readLastExport(store),
    buildMs: Math.round(performance.now() - started),
  };
}
