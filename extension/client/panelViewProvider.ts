// Hosts the sidebar panel. The HTML is built per load with a fresh nonce and a strict CSP; state is
// posted only after the webview says it is ready, and the webview keeps it with setState, so the
// panel survives hide/show without retainContextWhenHidden.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { HostToWebview, PanelState, WebviewToHost } from '../protocol/webviewProtocol';

export class PanelViewProvider {
  private view: vscode.WebviewView | undefined;
  private ready = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly currentState: () => PanelState,
    private readonly onCommand: (command: string) => void,
  ) {}

  resolve(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    view.webview.html = this.html(view.webview, dist, media);
    view.webview.onDidReceiveMessage((message: WebviewToHost) => {
      if (message.type === 'ready') { this.ready = true; this.postState(); }
      if (message.type === 'runCommand') this.onCommand(message.command);
    });
    view.onDidDispose(() => { this.view = undefined; this.ready = false; });
    view.onDidChangeVisibility(() => { if (view.visible) this.postState(); });
  }

  postState(): void {
    if (!this.view || !this.ready) return;
    const message: HostToWebview = { type: 'state', state: this.currentState() };
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
<body><main id="app" aria-live="polite"><p class="loading">Loading Autodidact…</p></main>
<script nonce="${nonce}" src="${script}"></script></body></html>`;
  }
}
