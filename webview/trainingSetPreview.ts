// The training set as `autodidact export` would build it now, fetched once and shared: the Data
// section counts its pairs and the Patterns section labels each pattern from the same answer.
import type { DatasetPreview } from '../extension/protocol/panelData';
import type { PanelContext } from './panelContext';
import type { SectionId } from './sectionFrame';

/** The least time between two builds the Patterns section starts by itself. */
const REFRESH_MS = 30_000;

export class TrainingSetPreview {
  preview: DatasetPreview | undefined;
  loading = false;
  error: string | undefined;
  /** The store state the preview was built for (see storeKey). */
  builtFor = '';
  /** Bumped on every arrival, so sections that show it redraw. */
  revision = 0;
  /** The store state of the last attempt: a section that loads by itself tries once per state. */
  private attemptedFor = '';
  private loadedAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Changes whenever the training set could: interactions, scores, or a pattern switched in or out. */
  storeKey(ctx: PanelContext): string {
    const d = ctx.state.data;
    return d ? JSON.stringify([d.stats.interactions, d.scored, d.stats.effectiveness, d.patterns.excluded]) : '';
  }

  stale(ctx: PanelContext): boolean {
    return this.preview !== undefined && this.builtFor !== this.storeKey(ctx);
  }

  /** Loads when nothing was tried for this store state yet (a failure is not retried in a loop). While
   *  sessions stream in, the store changes every few seconds: a fresh build waits REFRESH_MS after the
   *  last one (each reads every scored interaction), and the labels shown meanwhile are that recent. */
  ensure(ctx: PanelContext, redraw: SectionId = 'patterns'): void {
    if (this.loading || this.attemptedFor === this.storeKey(ctx)) return;
    const wait = this.preview ? this.loadedAt + REFRESH_MS - Date.now() : 0;
    if (wait <= 0) { this.load(ctx); return; }
    if (!this.timer) this.timer = setTimeout(() => { this.timer = undefined; ctx.redraw(redraw); }, wait);
  }

  /** Builds it (on the server, which caches by the store's fingerprint); both sections redraw after. */
  load(ctx: PanelContext, redraw: readonly SectionId[] = ['patterns', 'data']): void {
    if (this.loading) return;
    this.loading = true;
    this.error = undefined;
    const builtFor = this.storeKey(ctx);
    this.attemptedFor = builtFor;
    ctx.rpc.request('datasetPreview', {}).then(
      (preview) => { this.preview = preview; this.builtFor = builtFor; },
      (error: Error) => { this.error = `Could not build the preview: ${error.message}`; },
    ).finally(() => {
      this.loading = false;
      this.loadedAt = Date.now();
      this.revision++;
      for (const id of redraw) ctx.redraw(id);
    });
  }
}
