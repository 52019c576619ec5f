// Issue 14 item 11: while capture is off nothing offers "Pause Capture" (a pause of nothing); instead
// the status-bar tooltip and the command palette offer "Turn On Capture", which the panel's button runs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { meterTooltipMarkdown } from '../../extension/client/meterText';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));
const palette: Array<{ command: string; when?: string }> = manifest.contributes.menus.commandPalette;

/** Evaluates the `when` clauses used here: terms joined by &&, each a context key or its negation. */
function holds(when: string | undefined, context: Record<string, boolean>): boolean {
  if (!when) return true;
  return when.split('&&').map((term) => term.trim()).every((term) => {
    const negated = term.startsWith('!');
    const key = negated ? term.slice(1) : term;
    assert.ok(key in context, `the test knows the context key ${key}`);
    return negated ? !context[key] : context[key];
  });
}

function offered(enabled: boolean, paused: boolean): string[] {
  const context = { 'config.autodidact.capture.enabled': enabled, 'autodidact.capturePaused': paused };
  return palette.filter((item) => /Capture$/.test(item.command) && holds(item.when, context)).map((item) => item.command).sort();
}

describe('capture commands', () => {
  test('the command palette offers what applies to the capture state', () => {
    assert.deepEqual(offered(false, false), ['autodidact.enableCapture']);
    assert.deepEqual(offered(false, true), ['autodidact.enableCapture'], 'a pause left over from before capture was turned off is not offered');
    assert.deepEqual(offered(true, false), ['autodidact.pauseCapture']);
    assert.deepEqual(offered(true, true), ['autodidact.resumeCapture']);
    const contributed = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
    assert.ok(contributed.has('autodidact.enableCapture'));
  });

  test('the status-bar tooltip offers Turn on while capture is off, Pause while on, Resume while paused', () => {
    const off = meterTooltipMarkdown({ liveVersion: null, paused: false, capturing: false });
    assert.match(off, /\[\$\(record\) Turn on capture\]\(command:autodidact\.enableCapture\)/);
    assert.doesNotMatch(off, /pauseCapture/);
    assert.match(meterTooltipMarkdown({ liveVersion: null, paused: false, capturing: true }), /command:autodidact\.pauseCapture/);
    assert.match(meterTooltipMarkdown({ liveVersion: null, paused: true }), /command:autodidact\.resumeCapture/);
  });

  test('the panel may run Turn On Capture (its button) and the extension registers it', () => {
    const root = path.resolve(__dirname, '..', '..');
    assert.match(fs.readFileSync(path.join(root, 'extension', 'client', 'panelViewProvider.ts'), 'utf8'), /'autodidact\.enableCapture'/);
    assert.match(fs.readFileSync(path.join(root, 'extension', 'client', 'extension.ts'), 'utf8'), /'enableCapture'/);
    assert.match(fs.readFileSync(path.join(root, 'webview', 'sections', 'overviewSection.ts'), 'utf8'), /id: 'capture-enable' \}, \(\) => ctx\.command\('autodidact\.enableCapture'\)/);
  });
});
