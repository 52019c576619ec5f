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
  const dirtyCategories = new Set<string>();
  let rescored: string[] = [];

  const categoriser = new Categoriser(store, taxonomy, {
    embeddings: options.embeddings ?? false,
    loadEmbedder: options.loadEmbedder ?? loadTransformersEmbedder,
    log,
    onCategoriesChanged: (db, categories) => {
      // From the deriver, the patterns deriver right after picks these up; from embedding work
      // (outside a merge), patterns are recomputed here, inside the same write.
      for (const c of categories) dirtyCategories.add(c);
      if (!inDeriver) flushPatterns(db);
    },
  });
  let inDeriver = false;

  function flushPatterns(db: Database): void {
    if (dirtyCategories.size === 0) return;
    const categories = [...dirtyCategories];
    dirtyCategories.clear();
    recomputePatterns(db, categories, options.patterns);
  }

  store.registerDeriver('scoring', (db, changed) => {
    rescored = scoring.derive(db, changed);
  });
  store.registerDeriver('categorisation', (db, changed) => {
    inDeriver = true;
    try {
      categoriser.derive(db, changed);
    } finally {
      inDeriver = false;
    }
  });
  store.registerDeriver('patterns', (db, changed) => {
    // Scores feed pattern averages and trends: categories of rescored rows change too.
    for (const category of categoriesOf(db, [...changed, ...rescored])) dirtyCategories.add(category);
    rescored = [];
    flushPatterns(db);
  });

  let backfilling: Promise<void> = options.backfill === false || !store.isOwner ? Promise.resolve() : backfill();

  async function backfill(reclassify = false): Promise<void> {
    // Rows that already have a category keep it (re-embedding a whole store at every start would cost
    // minutes of CPU); a taxonomy change reclassifies everything.
    const ids = store.query<{ id: string }>(`SELECT id FROM interactions ${reclassify ? '' : 'WHERE category IS NULL'} ORDER BY id`).map((r) => r.id);
    // Everything is rescored: cheap (see test/bench/scoringBench.ts) and the only way to catch outcomes
    // merged by a process that ran no derivers.
    await store.writeDerived((db) => { scoring.rescoreAll(db); });
    for (let i = 0; i < ids.length; i += BACKFILL_CHUNK) {
      const chunk = ids.slice(i, i + BACKFILL_CHUNK);
      await store.writeDerived((db) => {
        inDeriver = true;
        try {
          categoriser.derive(db, chunk, { reclassify });
        } finally {
          inDeriver = false;
        }
      });
    }
    await store.writeDerived((db) => {
      dirtyCategories.clear();
      recomputePatterns(db, 'all', options.patterns);
    });
  }

  return {
    status: () => ({ classifierMode: categoriser.mode, categoryProblems: [...taxonomy.problems] }),
    async settle(): Promise<void> {
      await backfilling;
      await categoriser.settle();
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
