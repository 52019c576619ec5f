// Hosts the sidebar panel. The HTML is built per load with a fresh nonce and a strict CSP; state is
// posted only after the webview says it is ready, and the webview keeps it with setState, so the
// panel survives hide/show without retainContextWhenHidden. Requests from the webview (pages of
// patterns, examples, the dataset preview) are answered with a response carrying the same id.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type {
  HostToWebview, PanelCommand, PanelRequestMethod, PanelRequests, PanelState, WebviewToHost,
} from '../protocol/webviewProtocol';

export interface PanelHost {
  state(): PanelState;
  runCommand(command: PanelCommand): void;
  rollback(version: string): void;
  request<M extends PanelRequestMethod>(method: M, params: PanelRequests[M]['params']): Promise<PanelRequests[M]['result']>;
}

/** The only commands a webview message may run. */
const PANEL_COMMANDS: ReadonlySet<string> = new Set<PanelCommand>([
  'autodidact.trainNextVersion', 'autodidact.importSessions', 'autodidact.exportDataset',
  'autodidact.enableCapture', 'autodidact.pauseCapture', 'autodidact.resumeCapture', 'autodidact.showLog', 'autodidact.connectTrainer',
  'autodidact.pushLessonsToRules',
]);
const PANEL_METHODS: ReadonlySet<string> = new Set<PanelRequestMethod>([
  'patternPage', 'patternExamples', 'setPatternIncluded', 'datasetPreview', 'lessons', 'lessonAction', 'measureLesson', 'openInteraction',
]);

export class PanelViewProvider {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  /** The biggest message posted to the webview so far, in bytes of JSON (a figure the issue asks for). */
  largestMessageBytes = 0;

  constructor(private readonly extensionUri: vscode.Uri, private readonly host: PanelHost) {}

  resolve(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    view.webview.html = this.html(view.webview, dist, media);
    view.webview.onDidReceiveMessage((message: WebviewToHost) => this.receive(message));
    view.onDidDispose(() => { this.view = undefined; this.ready = false; });
    view.onDidChangeVisibility(() => { if (view.visible) this.postState(); });
  }

  postState(): void {
    if (!this.view || !this.ready) return;
    this.post({ type: 'state', state: this.host.state() });
  }

  private receive(message: WebviewToHost): void {
    switch (message?.type) {
      case 'ready':
        this.ready = true;
        this.postState();
        return;
      case 'runCommand':
        if (PANEL_COMMANDS.has(message.command)) this.host.runCommand(message.command);
        return;
      case 'rollback':
        if (typeof message.version === 'string' && message.version) this.host.rollback(message.version);
        return;
      case 'request':
        if (!PANEL_METHODS.has(message.method) || typeof message.id !== 'number') return;
        this.host.request(message.method, message.params as never).then(
          (result) => this.post({ type: 'response', id: message.id, result }),
          (error: Error) => this.post({ type: 'response', id: message.id, error: error?.message ?? String(error) }),
        );
        return;
    }
  }

  private post(message: HostToWebview): void {
    if (!this.view) return;
    const bytes = Buffer.byteLength(JSON.stringify(message));
    if (bytes > this.largestMessageBytes) this.largestMessageBytes = bytes;
    void this.view.webview.postMessage(message);
  }

  private html(webview: vscode.Webview, dist: vscode.Uri, media: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css'));
    const csp = [`default-src 'none'`, `img-src ${webview.cspSource} data:`, `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}"><title>Autodidact</title></head>
<body><main id="app" aria-busy="true"><p class="loading">Loading Autodidact…</p></main>
<script nonce="${nonce}" src="${script}"></script></body></html>`;
  }
}
