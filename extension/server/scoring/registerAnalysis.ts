// Wires scoring, categorisation and patterns into the store as derivers, in that order, and brings
// an existing store up to date once (a store written by an older version, or by a process that ran
// no derivers, such as a plain import). The analysis server calls this once after opening the store;
// the CLI calls it before reading derived data.
import type { Database } from 'sql.js';
import type { Deriver } from '../store/autodidactStore';
import { Categoriser, type ClassifierMode } from '../categories/categoriser';
import { buildTaxonomy } from '../categories/extraCategories';
import { loadTransformersEmbedder, type EmbedderOptions, type SentenceEmbedder } from '../categories/sentenceEmbedder';
import { recomputePatterns, type PatternOptions } from '../patterns/patternTable';
import { readRows } from './dbRows';
import { ScoringDeriver } from './scoringDeriver';

export interface AnalysisStore {
  registerDeriver(name: string, deriver: Deriver): void;
  writeDerived(write: (db: Database) => void): Promise<void>;
  query<T>(sql: string, params?: unknown[]): T[];
  readonly isOwner: boolean;
}

export interface AnalysisOptions {
  /** `autodidact.categories.extra`, as the settings hold it (validated here). */
  extraCategories?: unknown;
  /** false: rules only (the CLI's default: no model download from a script). */
  embeddings?: false | EmbedderOptions;
  /** Replaces transformers.js (a test that must simulate a broken model, for instance). */
  loadEmbedder?: (options: EmbedderOptions) => Promise<SentenceEmbedder>;
  patterns?: PatternOptions;
  /** How long pattern recomputation waits for more changes (default 250 ms). */
  patternDelayMs?: number;
  /** Bring unscored, uncategorised or stale rows up to date now (default true). */
  backfill?: boolean;
  log?: (message: string) => void;
}

export interface AnalysisStatus {
  classifierMode: ClassifierMode;
  /** Settings entries that were skipped, with why. */
  categoryProblems: string[];
}

export interface AnalysisHandle {
  status(): AnalysisStatus;
  /** Resolves when background work (backfill, embeddings, the patterns they change) is done. */
  settle(): Promise<void>;
  /** New `autodidact.categories.extra`: every interaction is categorised again. */
  setExtraCategories(extra: unknown): Promise<void>;
}

/** Rows per writeDerived call during backfill, so captures can interleave with a big rescore. */
const BACKFILL_CHUNK = 2000;

export function registerAnalysis(store: AnalysisStore, options: AnalysisOptions = {}): AnalysisHandle {
  const log = options.log ?? (() => undefined);
  let taxonomy = buildTaxonomy(options.extraCategories ?? []);
  for (const problem of taxonomy.problems) log(problem);
  const scoring = new ScoringDeriver();
  const patterns = new PatternScheduler(store, options.patterns ?? {}, options.patternDelayMs ?? 250);
  let rescored: string[] = [];

  const categoriser = new Categoriser(store, taxonomy, {
    embeddings: options.embeddings ?? false,
    loadEmbedder: options.loadEmbedder ?? loadTransformersEmbedder,
    log,
    onCategoriesChanged: (categories) => patterns.markDirty(categories),
  });

  store.registerDeriver('scoring', (db, changed) => {
    rescored = scoring.derive(db, changed);
  });
  store.registerDeriver('categorisation', (db, changed) => {
    categoriser.derive(db, changed);
  });
  store.registerDeriver('patterns', (db, changed) => {
    // Scores feed pattern averages and trends: categories of rescored rows change too.
    patterns.markDirty(categoriesOf(db, [...changed, ...rescored]));
    rescored = [];
  });

  let backfilling: Promise<void> = options.backfill === false || !store.isOwner ? Promise.resolve() : backfill();

  async function backfill(reclassify = false): Promise<void> {
    // Rows that already have a category keep it (re-embedding a whole store at every start would cost
    // minutes of CPU); a taxonomy change, or categories from another classifier or an older taxonomy
    // (derived_state says which), reclassifies everything once.
    const full = reclassify || categoriser.needsFullPass();
    const uncategorised = store.query<{ id: string }>(`SELECT id FROM interactions ${full ? '' : 'WHERE category IS NULL'} ORDER BY id`).map((r) => r.id);
    // Everything is rescored: cheap (see test/bench/scoringBench.ts) and the only way to catch outcomes
    // merged by a process that ran no derivers. Session by session, so whole sessions share a chunk.
    const all = store.query<{ id: string }>('SELECT id FROM interactions ORDER BY session_id, started_at, id').map((r) => r.id);
    await store.writeDerived((db) => { scoring.markOutcomesSeen(db); });
    for (let i = 0; i < all.length; i += BACKFILL_CHUNK) {
      const chunk = all.slice(i, i + BACKFILL_CHUNK);
      await store.writeDerived((db) => { scoring.rescore(db, chunk); });
    }
    for (let i = 0; i < uncategorised.length; i += BACKFILL_CHUNK) {
      const chunk = uncategorised.slice(i, i + BACKFILL_CHUNK);
      await store.writeDerived((db) => { categoriser.derive(db, chunk, { reclassify: full }); });
    }
    if (full) await categoriser.completeFullPass();
    await patterns.recomputeAll();
  }

  return {
    status: () => ({ classifierMode: categoriser.mode, categoryProblems: [...taxonomy.problems] }),
    async settle(): Promise<void> {
      await backfilling;
      await categoriser.settle();
      await patterns.settle();
    },
    async setExtraCategories(extra: unknown): Promise<void> {
      taxonomy = buildTaxonomy(extra);
      for (const problem of taxonomy.problems) log(problem);
      categoriser.setTaxonomy(taxonomy);
      await backfilling;
      backfilling = store.isOwner ? backfill(true) : Promise.resolve();
      await backfilling;
    },
  };
}

/** Patterns are recomputed a moment after their categories change, once for a burst of captures
 *  (an import merges thousands of interactions in many small batches). */
class PatternScheduler {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly store: AnalysisStore, private readonly options: PatternOptions, private readonly delayMs: number) {}

  markDirty(categories: Iterable<string>): void {
    for (const c of categories) this.dirty.add(c);
    if (this.dirty.size === 0 || this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    this.timer.unref(); // callers that need the patterns now call settle()
  }

  recomputeAll(): Promise<void> {
    this.dirty.clear();
    return this.store.writeDerived((db) => { recomputePatterns(db, 'all', this.options); });
  }

  /** Resolves once no recompute is pending or running. */
  async settle(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.flush();
    }
    await this.flushing;
  }

  private flush(): void {
    this.timer = undefined;
    const categories = [...this.dirty];
    this.dirty.clear();
    if (categories.length === 0) return;
    this.flushing = this.flushing.then(() => this.store.writeDerived((db) => { recomputePatterns(db, categories, this.options); }));
  }
}

function categoriesOf(db: Database, ids: readonly string[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const r of readRows<{ category: string | null }>(db, `SELECT DISTINCT category FROM interactions WHERE id IN (${chunk.map(() => '?').join(',')})`, chunk)) {
      if (r.category) out.add(r.category);
    }
  }
  return [...out];
}
