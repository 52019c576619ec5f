// Data: the training set as `autodidact export` would build it now (counts by kind, the train/eval
// split, what was redacted, a few pairs) and the export button. Building reads every scored
// interaction, so it runs only while this section or Patterns (whose training labels read the same
// preview, trainingSetPreview.ts) is open.
import type { DatasetPreview, DatasetPreviewExample } from '../../extension/protocol/panelData';
import { button, h, notice } from '../dom';
import { count, dateTime, percent } from '../format';
import { unavailable, type Badge, type PanelContext, type PanelSection } from '../panelContext';
import type { TrainingSetPreview } from '../trainingSetPreview';

export class DataSection implements PanelSection {
  readonly id = 'data' as const;
  readonly title = 'Data';

  /** Shared with the Patterns section, whose training labels read the same preview. */
  constructor(private readonly shared: TrainingSetPreview) {}

  private get preview(): DatasetPreview | undefined { return this.shared.preview; }
  private get loading(): boolean { return this.shared.loading; }
  private get error(): string | undefined { return this.shared.error; }

  private storeKey(ctx: PanelContext): string {
    return this.shared.storeKey(ctx);
  }

  key(ctx: PanelContext): string {
    return JSON.stringify([ctx.state.status.kind, this.storeKey(ctx), this.shared.revision]);
  }

  badge(): Badge {
    return { text: this.preview ? `${count(this.preview.train)} pairs` : '' };
  }

  opened(ctx: PanelContext): void {
    if (unavailable(ctx) !== null || ctx.state.data!.stats.interactions === 0) return;
    // A preview the Patterns section built earlier is rebuilt when the store moved on (at most every 30 s).
    if (!this.preview) { if (!this.loading) this.load(ctx); } else this.shared.ensure(ctx, 'data');
  }

  body(ctx: PanelContext): Node[] {
    const gone = unavailable(ctx);
    if (gone === 'loading') return [notice('loading', 'Reading your store…')];
    if (gone === 'error') return [notice('error', 'The dataset is unavailable until the analysis server runs again.')];
    if (ctx.state.data!.stats.interactions === 0) {
      return [notice('empty', 'Nothing to train on yet. Direct pairs come from interactions that scored at or above autodidact.train.minEffectiveness; improvement pairs from a failed attempt and the fix that followed.')];
    }
    if (!this.preview) {
      if (this.error) return [notice('error', this.error, button('Retry', { class: 'secondary small', id: 'data-retry' }, () => this.load(ctx)))];
      if (!this.loading) this.load(ctx);
      return [notice('loading', 'Building the training set as autodidact export would…')];
    }
    const p = this.preview;
    const nodes: Node[] = [];
    if (this.shared.stale(ctx)) this.shared.ensure(ctx, 'data');
    if (this.shared.stale(ctx) || this.error) {
      nodes.push(h('p', { class: 'hint stale' }, this.error ?? 'The store changed since this preview was built. ',
        button(this.loading ? 'Refreshing…' : 'Refresh', { class: 'link', id: 'data-refresh', disabled: this.loading }, () => this.load(ctx))));
    }
    nodes.push(h('dl', { class: 'stat-grid', id: 'dataset-counts' },
      stat('Train pairs', count(p.train), 'dataset-train'),
      stat('Held out (eval)', count(p.eval), 'dataset-eval')));
    nodes.push(h('p', { class: 'kinds' },
      kind('direct', p.byKind.direct, 'dataset-direct'), ' · ',
      kind('improvement', p.byKind.improvement, 'dataset-improvement'), ' · ',
      kind('synthetic', p.byKind.synthetic, 'dataset-synthetic')));
    nodes.push(redactionLine(p));
    nodes.push(h('p', { class: 'footnote' },
      `Built from ${count(p.candidates)} candidate pair${p.candidates === 1 ? '' : 's'} scoring at least ${percent(p.minEffectiveness)}, ` +
      `less ${count(p.duplicatesRemoved)} duplicate${p.duplicatesRemoved === 1 ? '' : 's'}, ${count(p.cappedRemoved)} over the per-pattern cap ` +
      'and the patterns kept out of training.'));
    nodes.push(h('div', { class: 'actions' },
      button('Export Dataset…', { class: 'primary', id: 'export-dataset' }, () => ctx.command('autodidact.exportDataset'))));
    nodes.push(h('p', { class: 'footnote', id: 'dataset-last-export' },
      p.lastExport
        ? `Last export: ${count(p.lastExport.examples)} pairs as ${p.lastExport.format}, ${dateTime(p.lastExport.createdAt)}, to `
        : 'Not exported yet: Export writes OpenAI, ShareGPT or Alpaca JSONL with a dataset_info.json for LLaMA-Factory.',
      p.lastExport ? h('code', { class: 'break' }, p.lastExport.path) : null));
    if (p.train === 0) {
      nodes.push(notice('empty', `No pair reaches the threshold yet (${percent(p.minEffectiveness)}). Lower autodidact.train.minEffectiveness or keep working: good interactions become pairs.`));
    } else {
      nodes.push(h('h3', { class: 'sub-heading' }, 'Preview'), h('ol', { class: 'pairs', id: 'dataset-preview' }, ...p.examples.map(pairItem)));
    }
    return nodes;
  }

  private load(ctx: PanelContext): void {
    this.shared.load(ctx);
  }
}

function stat(label: string, value: string, id: string): HTMLElement {
  return h('div', { class: 'stat' }, h('dt', {}, label), h('dd', { id }, value));
}

function kind(label: string, n: number, id: string): HTMLElement {
  return h('span', { class: 'kind' }, h('strong', { id }, count(n)), ` ${label}`);
}

function redactionLine(p: DatasetPreview): HTMLElement {
  const describe = (byType: Record<string, number>): string => Object.entries(byType).filter(([, n]) => n > 0)
    .map(([type, n]) => `${count(n)} ${type.replace(/_/g, ' ').toLowerCase()}`).join(', ');
  const parts: string[] = [];
  if (p.placeholders.total > 0) parts.push(`${describe(p.placeholders.byType)} removed when captured`);
  if (p.redactions.total > 0) parts.push(`${describe(p.redactions.byType)} redacted while building`);
  return h('p', { class: 'redactions', id: 'dataset-redaction-summary' },
    parts.length === 0 ? 'No secrets in these pairs: none were found at capture or now.' : `Secrets: ${parts.join('; ')}.`);
}

function pairItem(e: DatasetPreviewExample): HTMLElement {
  return h('li', { class: 'pair' },
    h('div', { class: 'example-head' },
      h('span', { class: `tag kind-${e.kind}` }, e.synthetic ? `${e.kind} (synthetic)` : e.kind),
      h('span', { class: 'muted' }, ` ${e.category} · ${percent(e.effectiveness)}`)),
    h('p', { class: 'example-label' }, 'User'), h('p', { class: 'example-text' }, e.user),
    h('p', { class: 'example-label' }, 'Assistant'), h('p', { class: 'example-text answer' }, e.assistant));
}
