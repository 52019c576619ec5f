// Keeps interactions.category current. Rules run inside the store's deriver (instant, no model);
// embeddings run afterwards, outside the store's queue, so a slow model never delays a capture.
// While the model is unavailable (offline, still downloading, disabled) the rules' answer stands and
// the mode says so: `rules (offline: <reason>)`.
import { createHash } from 'node:crypto';
import type { Database } from 'sql.js';
import { jsonList, readRows } from '../scoring/dbRows';
import { followUpReaction } from '../scoring/followUpReaction';
import { FALLBACK_CATEGORY } from './categoryTaxonomy';
import { EmbeddingClassifier } from './embeddingClassifier';
import type { Taxonomy } from './extraCategories';
import { RuleClassifier, type ClassifierInput } from './ruleClassifier';
import type { EmbedderOptions, SentenceEmbedder } from './sentenceEmbedder';

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

  constructor(private readonly store: CategoriserStore, private taxonomy: Taxonomy, private readonly options: CategoriserOptions) {
    this.rules = new RuleClassifier(taxonomy.categories);
  }

  get mode(): ClassifierMode {
    if (this.options.embeddings === false) return 'rules (embeddings disabled)';
    if (this.classifier) return 'embeddings';
    if (this.failure) return `rules (offline: ${this.failure.reason})`;
    return this.loading ? 'rules (loading embedding model)' : 'rules (embedding model loads on first use)';
  }

  /** The deriver: rules now; embeddings queued. Returns the ids whose category was written. */
  derive(db: Database, ids: Iterable<string>, options: { reclassify?: boolean } = {}): string[] {
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
      if (!classifier) { this.pending.clear(); return; } // rules already applied; retried on the next change
      const batch = [...this.pending].sort().slice(0, EMBED_BATCH);
      for (const id of batch) this.pending.delete(id);
      const rows = this.store.query<CategoryRow>(`${SELECT_ROWS}(${batch.map(() => '?').join(',')})`, batch);
      const inputs = rows.map((row) => toInput(row, (sql, params) => this.store.query(sql, params)));
      let decisions;
      try {
        decisions = await classifier.classify(inputs);
      } catch (error) {
        this.options.log?.(`embedding failed, keeping rule categories: ${(error as Error).message}`);
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
