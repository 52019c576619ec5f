// The status-bar effectiveness meter: a dash until there is data, a spinner while training, an error
// icon when the analysis server failed, and a tooltip with the category split and command links.
import * as vscode from 'vscode';
import type { MeterReading } from '../protocol/analysisProtocol';
import { meterText, meterTooltipMarkdown, type MeterView } from './meterText';

export class StatusMeter implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('autodidact.meter', vscode.StatusBarAlignment.Right, 100);
  private readonly view: MeterView = { liveVersion: null, paused: false };

  constructor() {
    this.item.name = 'Autodidact effectiveness';
    this.item.command = 'autodidact.openPanel';
    this.render();
    this.item.show();
  }

  update(reading: MeterReading): void { this.view.reading = reading; this.view.error = undefined; this.render(); }
  setLiveVersion(version: string | null): void { this.view.liveVersion = version; this.render(); }
  /** A short label such as `v1.3 step 120/400`; undefined when no round runs. */
  setTraining(label: string | undefined): void { this.view.training = label; this.render(); }
  setPaused(paused: boolean): void { this.view.paused = paused; this.render(); }
  setCapturing(capturing: boolean): void { this.view.capturing = capturing; this.render(); }
  setError(message: string | undefined): void { this.view.error = message; this.render(); }

  dispose(): void { this.item.dispose(); }

  private render(): void {
    const { text, accessibleLabel } = meterText(this.view);
    this.item.text = text;
    this.item.accessibilityInformation = { label: accessibleLabel, role: 'button' };
    this.item.backgroundColor = this.view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const md = new vscode.MarkdownString(meterTooltipMarkdown(this.view), true);
    md.isTrusted = { enabledCommands: ['autodidact.openPanel', 'autodidact.trainNextVersion', 'autodidact.enableCapture', 'autodidact.pauseCapture', 'autodidact.resumeCapture', 'autodidact.showLog'] };
    this.item.tooltip = md;
  }
}
