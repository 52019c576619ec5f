// Keeps interactions.category current. Rules run inside the store's deriver (instant, no model);
// embeddings run afterwards, outside the store's queue, so a slow model never delays a capture.
// While the model is unavailable (offline, still downloading, disabled) the rules' answer stands and
// the mode says so: `rules (offline: <reason>)`. derived_state keeps which classifier and taxonomy
// last categorised the whole store, so a store categorised by rules (the model was missing) or by an
// older taxonomy is categorised again, once, when that changes.
import { createHash } from 'node:crypto';
import type { Database } from 'sql.js';
import { jsonList, readRows } from '../scoring/dbRows';
import { followUpReaction } from '../scoring/followUpReaction';
import { FALLBACK_CATEGORY, type CategoryDefinition } from './categoryTaxonomy';
import { EmbeddingClassifier } from './embeddingClassifier';
import type { Taxonomy } from './extraCategories';
import { RuleClassifier, type ClassifierInput } from './ruleClassifier';
import { DEFAULT_EMBEDDING_MODEL, type EmbedderOptions, type SentenceEmbedder } from './sentenceEmbedder';

export type ClassifierMode = 'embeddings' | `rules (${string})`;

export interface CategoriserStore {
  query<T>(sql: string, params?: unknown[]): T[];
  writeDerived(write: (db: Database) => void): Promise<void>;
}

export interface CategoriserOptions {
  /** false: rules only. Otherwise where the embedding model comes from. */
  embeddings: false | EmbedderOptions;
  loadEmbedder: (options: EmbedderOptions) => Promise<SentenceEmbedder>;
  /** After a failed load, the next attempt waits this long (a laptop comes back online). */
  retryAfterMs?: number;
  log?: (message: string) => void;
  /** Told which categories gained or lost members, so patterns can follow. */
  onCategoriesChanged: (categories: ReadonlySet<string>) => void;
}

export interface CategoryRow {
  id: string; session_id: string; started_at: number; user_request: string; response_head: string; files_modified: string;
  category: string | null;
}

type Reader = <T>(sql: string, params: unknown[]) => T[];

const SELECT_ROWS = `SELECT id, session_id, started_at, user_request, substr(assistant_response, 1, 1500) AS response_head,
  files_modified, category FROM interactions WHERE id IN `;
const PREVIOUS_REQUESTS = `SELECT user_request FROM interactions WHERE session_id = ?
  AND (started_at < ? OR (started_at = ? AND id < ?)) ORDER BY started_at DESC, id DESC LIMIT 5`;
const EMBED_BATCH = 32;

/** "Still failing", "now do the same for X": such a request is about whatever came before it. */
const CONTINUATION = /^\s*(?:now|also|and|then|ok(?:ay)?|same|again|next|but)\b/i;

function isFollowUp(request: string): boolean {
  return followUpReaction(request)?.kind === 'correction' || (request.length <= 80 && CONTINUATION.test(request));
}

/** A follow-up is classified together with the last request before it that was not itself a follow-up. */
export function toInput(row: CategoryRow, read: Reader): ClassifierInput {
  let request = row.user_request;
  if (isFollowUp(request)) {
    const earlier = read<{ user_request: string }>(PREVIOUS_REQUESTS, [row.session_id, row.started_at, row.started_at, row.id]);
    const topic = earlier.find((e) => !isFollowUp(e.user_request)) ?? earlier[0];
    if (topic) request = `${topic.user_request.slice(0, 1000)}\n${request}`;
  }
  return { request, response: row.response_head, files: jsonList(row.files_modified) };
}

/** Bumped when the rules or the way embeddings and rules combine change: stores are categorised again. */
const CLASSIFIER_VERSION = 2;
const STAMP = 'categories';

/** Identifies a taxonomy (keywords, paths, prototypes, markers): a change means new categories. */
function taxonomyHash(categories: readonly CategoryDefinition[]): string {
  const json = JSON.stringify(categories, (_key, value: unknown) => (value instanceof RegExp ? value.source : value));
  return createHash('sha1').update(`${CLASSIFIER_VERSION}\u0000${json}`).digest('hex').slice(0, 12);
}

function inputHash(input: ClassifierInput): string {
  return createHash('sha1').update(input.request).update('\u0000').update(input.files.join('\u0000')).digest('hex');
}

export class Categoriser {
  private rules: RuleClassifier;
  private classifier: EmbeddingClassifier | undefined;
  /** Kept across taxonomy changes: only the category prototypes need embedding again. */
  private embedder: SentenceEmbedder | undefined;
  private loading: Promise<EmbeddingClassifier | undefined> | undefined;
  private failure: { reason: string; at: number } | undefined;
  private readonly embeddedHash = new Map<string, string>();
  private readonly pending = new Set<string>();
  private running: Promise<void> | undefined;
  /** Between the first derive({ reclassify }) of a full pass and completeFullPass. */
  private inFullPass = false;
  private embeddingFailedDuringPass = false;

  constructor(private readonly store: CategoriserStore, private taxonomy: Taxonomy, private readonly options: CategoriserOptions) {
    this.rules = new RuleClassifier(taxonomy.categories);
  }

  get mode(): ClassifierMode {
    if (this.options.embeddings === false) return 'rules (embeddings disabled)';
    if (this.classifier) return 'embeddings';
    if (this.failure) return `rules (offline: ${this.failure.reason})`;
    if (this.loading) return 'rules (loading embedding model)';
    // Nothing new to embed yet, so the model is not loaded: the store's categories came from it.
    if (this.storedStamp() === this.stamp('embeddings')) return 'embeddings';
    return 'rules (embedding model loads on first use)';
  }

  /** What a full pass of this configuration leaves in derived_state. */
  private stamp(method: 'rules' | 'embeddings'): string {
    const model = this.options.embeddings === false ? '' : ` ${this.options.embeddings.modelId ?? DEFAULT_EMBEDDING_MODEL}`;
    return method === 'rules' ? `rules ${taxonomyHash(this.taxonomy.categories)}` : `embeddings${model} ${taxonomyHash(this.taxonomy.categories)}`;
  }

  private storedStamp(): string | undefined {
    return this.store.query<{ value: string }>('SELECT value FROM derived_state WHERE name = ?', [STAMP])[0]?.value;
  }

  /** True when the store's categories came from another classifier or taxonomy than this one would use. */
  needsFullPass(): boolean {
    return this.storedStamp() !== this.stamp(this.options.embeddings === false ? 'rules' : 'embeddings');
  }

  /** Called once every row went through derive({ reclassify: true }): records the pass when it is done. */
  async completeFullPass(): Promise<void> {
    if (this.options.embeddings !== false) await this.settle(); // the embeddings of every row
    const embedded = this.options.embeddings !== false && this.classifier !== undefined && !this.embeddingFailedDuringPass;
    this.inFullPass = false;
    await this.writeStamp(embedded ? 'embeddings' : 'rules');
  }

  private writeStamp(method: 'rules' | 'embeddings'): Promise<void> {
    const value = this.stamp(method);
    return this.store.writeDerived((db) => { db.run('INSERT OR REPLACE INTO derived_state (name, value) VALUES (?, ?)', [STAMP, value]); });
  }

  /** The deriver: rules now; embeddings queued. Returns the ids whose category was written. */
  derive(db: Database, ids: Iterable<string>, options: { reclassify?: boolean } = {}): string[] {
    if (options.reclassify && !this.inFullPass) { this.inFullPass = true; this.embeddingFailedDuringPass = false; }
    const rows = selectRows(db, [...ids]);
    const written: string[] = [];
    const touched = new Set<string>();
    const update = db.prepare('UPDATE interactions SET category = ? WHERE id = ?');
    const read: Reader = (sql, params) => readRows(db, sql, params);
    try {
      for (const row of rows) {
        const input = toInput(row, read);
        const embeddable = this.options.embeddings !== false;
        // With embeddings on, a row that already has a category keeps it until the model has looked
        // (and keeps it while the model is unavailable: rules do not overwrite the model's answer).
        if (!embeddable || options.reclassify || row.category === null) {
          const category = this.rules.classify(input).category;
          if (category !== row.category) {
            update.run([category, row.id]);
            written.push(row.id);
            touched.add(category);
            if (row.category) touched.add(row.category);
          }
        }
        if (embeddable && this.embeddedHash.get(row.id) !== inputHash(input)) this.pending.add(row.id);
      }
    } finally {
      update.free();
    }
    if (touched.size > 0) this.options.onCategoriesChanged(touched);
    if (this.pending.size > 0) this.kick();
    return written;
  }

  /** Changes the taxonomy (settings edited); everything is classified again. */
  setTaxonomy(taxonomy: Taxonomy): void {
    this.taxonomy = taxonomy;
    this.rules = new RuleClassifier(taxonomy.categories);
    this.classifier = undefined;
    this.loading = undefined;
    this.embeddedHash.clear();
  }

  /** Resolves when queued embedding work is done (tests, the CLI before it exits). */
  async settle(): Promise<void> {
    while (this.running) await this.running;
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => { this.running = undefined; });
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const classifier = await this.ensureClassifier();
      if (!classifier) { // rules already applied; retried on the next change
        this.pending.clear();
        this.embeddingFailedDuringPass = true;
        break;
      }
      const batch = [...this.pending].sort().slice(0, EMBED_BATCH);
      for (const id of batch) this.pending.delete(id);
      const rows = this.store.query<CategoryRow>(`${SELECT_ROWS}(${batch.map(() => '?').join(',')})`, batch);
      const inputs = rows.map((row) => toInput(row, (sql, params) => this.store.query(sql, params)));
      let decisions;
      try {
        decisions = await classifier.classify(inputs);
      } catch (error) {
        this.options.log?.(`embedding failed, keeping rule categories: ${(error as Error).message}`);
        this.embeddingFailedDuringPass = true;
        continue;
      }
      await this.store.writeDerived((db) => {
        const touched = new Set<string>();
        const update = db.prepare('UPDATE interactions SET category = ? WHERE id = ? AND user_request = ?');
        try {
          rows.forEach((row, i) => {
            this.embeddedHash.set(row.id, inputHash(inputs[i]));
            const category = decisions[i].category;
            const [current] = readRows<{ category: string | null }>(db, 'SELECT category FROM interactions WHERE id = ?', [row.id]);
            if (!current || current.category === category) return;
            update.run([category, row.id, row.user_request]); // skipped if the request changed meanwhile
            if (db.getRowsModified() === 0) return;
            touched.add(category);
            touched.add(current.category ?? FALLBACK_CATEGORY);
          });
        } finally {
          update.free();
        }
        if (touched.size > 0) this.options.onCategoriesChanged(touched);
      });
    }
  }

  private async ensureClassifier(): Promise<EmbeddingClassifier | undefined> {
    if (this.classifier) return this.classifier;
    if (this.options.embeddings === false) return undefined;
    if (this.failure && Date.now() - this.failure.at < (this.options.retryAfterMs ?? 10 * 60_000)) return undefined;
    const embedderOptions = this.options.embeddings;
    this.loading ??= (async () => {
      try {
        this.embedder ??= await this.options.loadEmbedder(embedderOptions);
        const embedder = this.embedder;
        this.classifier = await EmbeddingClassifier.create(embedder, this.taxonomy.categories);
        this.failure = undefined;
        this.options.log?.(`categories: embeddings from ${embedder.modelId}`);
        return this.classifier;
      } catch (error) {
        this.failure = { reason: shortReason(error), at: Date.now() };
        this.options.log?.(`categories: embedding model unavailable (${this.failure.reason}); using rules`);
        return undefined;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}

function selectRows(db: Database, ids: readonly string[]): CategoryRow[] {
  const rows: CategoryRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    rows.push(...readRows<CategoryRow>(db, `${SELECT_ROWS}(${chunk.map(() => '?').join(',')}) ORDER BY id`, chunk));
  }
  return rows;
}

function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].slice(0, 160);
}
