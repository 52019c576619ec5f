// The panel's browser side: draws the state the extension posts, section by section, and asks for
// pages with typed requests. No logic the CLI would need lives here. State and UI choices are kept
// with setState, so the panel comes back as it was after being hidden, without retainContextWhenHidden.
import type { HostToWebview, PanelState, WebviewToHost } from '../extension/protocol/webviewProtocol';
import { button, h } from './dom';
import { DEFAULT_UI, type PanelContext, type PanelSection, type UiState } from './panelContext';
import { PanelRpc } from './panelRpc';
import { SectionFrame, type SectionId } from './sectionFrame';
import { CategoriesSection } from './sections/categoriesSection';
import { DataSection } from './sections/dataSection';
import { LessonsSection } from './sections/lessonsSection';
import { OverviewSection } from './sections/overviewSection';
import { PatternsSection } from './sections/patternsSection';
import { TrainingSection } from './sections/trainingSection';
import { TrainingSetPreview } from './trainingSetPreview';

interface SavedState { panel?: PanelState; ui?: Partial<UiState> }
interface VsCodeApi { postMessage(message: WebviewToHost): void; getState(): SavedState | undefined; setState(state: SavedState): void }
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const app = document.getElementById('app')!;
const saved = api.getState();
let state: PanelState | undefined = saved?.panel?.stats && saved.panel.status ? saved.panel : undefined;
const ui: UiState = {
  open: { ...DEFAULT_UI.open, ...saved?.ui?.open },
  patternPage: Number.isInteger(saved?.ui?.patternPage) ? saved!.ui!.patternPage! : 0,
  expandedPatterns: Array.isArray(saved?.ui?.expandedPatterns) ? saved!.ui!.expandedPatterns!.slice(-5) : [],
};
const rpc = new PanelRpc((message) => api.postMessage(message));
const banner = h('div', { id: 'banner' });

const trainingSet = new TrainingSetPreview();
const sections: PanelSection[] = [new OverviewSection(), new CategoriesSection(), new PatternsSection(trainingSet), new TrainingSection(), new LessonsSection(), new DataSection(trainingSet)];
const frames = new Map<SectionId, { frame: SectionFrame; section: PanelSection; drawn: string }>();
for (const section of sections) {
  const frame = new SectionFrame(section.id, section.title, ui.open[section.id], (open) => {
    ui.open[section.id] = open;
    save();
    if (open && state) { section.opened?.(context(state)); render(section.id); }
  });
  frames.set(section.id, { frame, section, drawn: '' });
}

let width = 0;
/** Content width of a section body (charts draw to it), in steps of 4 px so small jitters redraw nothing. */
function measure(): number {
  const body = [...frames.values()].find((f) => f.frame.open)?.frame.body;
  let inner = app.clientWidth - 34;
  if (body && body.clientWidth > 0) {
    const style = getComputedStyle(body);
    inner = body.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  }
  return Math.max(120, Math.floor(inner / 4) * 4);
}

function save(): void { api.setState({ panel: state, ui }); }

function context(current: PanelState): PanelContext {
  return {
    state: current, ui, rpc, width,
    command: (command) => api.postMessage({ type: 'runCommand', command }),
    rollback: (version) => api.postMessage({ type: 'rollback', version }),
    saveUi: save,
    redraw: (id) => render(id),
  };
}

/** Redraws the sections whose inputs changed (or `force`), keeping keyboard focus where it was. */
function render(force?: SectionId): void {
  if (!state) return;
  const started = performance.now();
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const focusId = active?.id;
  if (app.dataset.built !== 'true') {
    app.replaceChildren(banner, ...[...frames.values()].map((f) => f.frame.root));
    app.dataset.built = 'true';
    width = measure();
  }
  drawBanner(state);
  const ctx = context(state);
  for (const entry of frames.values()) {
    const badge = entry.section.badge(ctx);
    entry.frame.setBadge(badge.text, badge.tone);
    if (!entry.frame.open) continue;
    const key = entry.section.key(ctx);
    if (key === entry.drawn && force !== entry.section.id) continue;
    entry.frame.setBody(entry.section.body(ctx));
    entry.drawn = entry.section.key(ctx); // a body may start a load that changes its key
  }
  if (focusId && active && !active.isConnected) document.getElementById(focusId)?.focus({ preventScroll: true });
  app.setAttribute('aria-busy', String(state.status.kind === 'loading'));
  document.body.dataset.renderMs = (performance.now() - started).toFixed(1);
  if (state.data && !document.body.dataset.firstDataMs) {
    // The first render with numbers: how long drawing took, and when it finished since the document started.
    document.body.dataset.firstRenderMs = document.body.dataset.renderMs;
    document.body.dataset.firstDataMs = performance.now().toFixed(0);
    // Until the frame after it: style, layout and paint included.
    requestAnimationFrame(() => setTimeout(() => { document.body.dataset.firstFrameMs = (performance.now() - started).toFixed(1); }));
  }
}

function drawBanner(current: PanelState): void {
  if (current.status.kind !== 'error') { banner.replaceChildren(); banner.className = ''; return; }
  banner.className = 'banner banner-error';
  banner.setAttribute('role', 'alert');
  banner.replaceChildren(
    h('p', {}, h('strong', {}, 'Autodidact is not working. '), current.status.message ?? 'The analysis server stopped.'),
    button('Show Log', { class: 'secondary small', id: 'show-log' }, () => api.postMessage({ type: 'runCommand', command: 'autodidact.showLog' })));
}

let largestMessage = 0;
const encoder = new TextEncoder();

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (!message || typeof message !== 'object') return;
  // The biggest message so far, as a figure the E2E reads (messages are a few KB: this is cheap).
  const bytes = encoder.encode(JSON.stringify(message)).length;
  if (bytes > largestMessage) document.body.dataset.largestMessageBytes = String((largestMessage = bytes));
  if (message.type === 'state') {
    state = message.state;
    save();
    render();
    for (const { frame, section } of frames.values()) if (frame.open) section.opened?.(context(state));
  } else if (message.type === 'response') {
    rpc.receive(message);
  }
});

new ResizeObserver(() => {
  const next = measure();
  if (next === width || !state) return;
  width = next;
  render();
}).observe(app);

if (state) render();
api.postMessage({ type: 'ready' });
