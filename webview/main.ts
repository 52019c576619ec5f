// The panel's browser side: renders the state the extension posts; no logic the CLI would need.
import type { HostToWebview, PanelState, WebviewToHost } from '../extension/protocol/webviewProtocol';

interface VsCodeApi { postMessage(message: WebviewToHost): void; getState(): PanelState | undefined; setState(state: PanelState): void }
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

const percent = (value: number | null): string => (value === null ? '—' : `${Math.round(value * 100)}%`);

function element(tag: string, attributes: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function render(state: PanelState): void {
  if (state.status.kind === 'error') {
    app.replaceChildren(element('p', { class: 'error', role: 'alert' }, state.status.message ?? 'Something went wrong.'));
    return;
  }
  const { stats } = state;
  const overview = element('section', { id: 'overview', 'aria-label': 'Overview' },
    element('h2', {}, 'Overview'),
    element('dl', {},
      element('dt', {}, 'Effectiveness'), element('dd', { id: 'effectiveness' }, percent(stats.effectiveness)),
      element('dt', {}, 'Interactions'), element('dd', { id: 'interactions' }, String(stats.interactions)),
      element('dt', {}, 'Sessions'), element('dd', { id: 'sessions' }, String(stats.sessions)),
      element('dt', {}, 'Live model'), element('dd', { id: 'live-version' }, state.liveVersion ?? 'none yet')));
  const captureNote = !state.capture.enabled
    ? element('p', { class: 'hint' }, 'Capture is off. Turn on the setting autodidact.capture.enabled to start recording your assistant sessions (everything stays on this machine).')
    : state.capture.paused ? element('p', { class: 'hint' }, 'Capture is paused.') : element('p', { class: 'hint' }, 'Capture is on.');
  const empty = stats.interactions === 0
    ? element('p', { class: 'empty' }, 'No interactions yet. Import past sessions to get started.')
    : '';
  const importButton = element('button', { type: 'button' }, 'Import Sessions…');
  importButton.addEventListener('click', () => vscode.postMessage({ type: 'runCommand', command: 'autodidact.importSessions' }));
  app.replaceChildren(overview, captureNote, empty, importButton);
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  if (event.data?.type !== 'state') return;
  vscode.setState(event.data.state);
  render(event.data.state);
});

const saved = vscode.getState();
if (saved) render(saved);
vscode.postMessage({ type: 'ready' });
