// The status-bar effectiveness meter: a dash until there is data, a spinner while training, and a
// tooltip with the category split and command links.
import * as vscode from 'vscode';
import type { MeterReading } from '../protocol/analysisProtocol';

export class StatusMeter implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('autodidact.meter', vscode.StatusBarAlignment.Right, 100);
  private reading: MeterReading | undefined;
  private liveVersion: string | null = null;
  private training: string | undefined;
  private paused = false;

  constructor() {
    this.item.name = 'Autodidact effectiveness';
    this.item.command = 'autodidact.openPanel';
    this.render();
    this.item.show();
  }

  update(reading: MeterReading): void { this.reading = reading; this.render(); }
  setLiveVersion(version: string | null): void { this.liveVersion = version; this.render(); }
  setTraining(label: string | undefined): void { this.training = label; this.render(); }
  setPaused(paused: boolean): void { this.paused = paused; this.render(); }

  dispose(): void { this.item.dispose(); }

  private render(): void {
    const value = this.reading?.effectiveness;
    const percent = value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`;
    const icon = this.training ? '$(loading~spin)' : this.paused ? '$(debug-pause)' : '$(pulse)';
    const version = this.liveVersion ? ` ${this.liveVersion}` : '';
    this.item.text = `${icon} Autodidact ${percent}${version}`;
    this.item.accessibilityInformation = { label: `Autodidact effectiveness ${percent}${this.paused ? ', capture paused' : ''}`, role: 'button' };
    this.item.tooltip = this.tooltip(percent);
  }

  private tooltip(percent: string): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['autodidact.openPanel', 'autodidact.trainNextVersion', 'autodidact.pauseCapture', 'autodidact.resumeCapture'] };
    const window = this.reading ? ` (last ${this.reading.scoredInteractions} of window ${this.reading.window})` : '';
    md.appendMarkdown(`**Autodidact** effectiveness: ${percent}${window}\n\n`);
    if (this.training) md.appendMarkdown(`$(loading~spin) Training: ${this.training}\n\n`);
    if (this.paused) md.appendMarkdown('Capture is **paused**.\n\n');
    for (const c of this.reading?.byCategory ?? []) md.appendMarkdown(`- ${c.name}: ${Math.round(c.avgEffectiveness * 100)}% (${c.examples})\n`);
    if (!this.reading || this.reading.scoredInteractions === 0) md.appendMarkdown('No scored interactions yet.\n');
    md.appendMarkdown(`\n[Open panel](command:autodidact.openPanel) · [Train next version](command:autodidact.trainNextVersion) · `);
    md.appendMarkdown(this.paused ? '[Resume capture](command:autodidact.resumeCapture)' : '[Pause capture](command:autodidact.pauseCapture)');
    return md;
  }
}
