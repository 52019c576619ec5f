// Editor outcomes for any assistant: a live session's interaction (as the analysis server sends it)
// attributes the edits it wrote, and the diagnostics, terminal runs and undo that follow are outcome
// events of that interaction. The pipeline runs for real (real CaptureQueue); only vscode is absent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaptureEvent, FileTouch, OutcomeEvent } from '../../extension/protocol/records';
import type { LiveInteraction } from '../../extension/server/attribution/liveInteractions';
import { CapturePipeline, type TextChange } from '../../extension/client/capture/capturePipeline';
import { CaptureQueue } from '../../extension/client/capture/captureQueue';
import type { TextChangeShape } from '../../extension/client/capture/changeClassifier';
import { diagnosticCounts, type DiagnosticShape } from '../../extension/client/capture/diagnosticAttribution';
import { ExcludeMatcher } from '../../extension/client/capture/globMatcher';
import { WorkspacePaths } from '../../extension/client/capture/workspacePaths';

const FIXED = 'export function total(items: number[]): number {\n  return items.reduce((sum, n) => sum + n, 0);\n}\n';

function harness() {
  const sent: CaptureEvent[] = [];
  let n = 0;
  const newId = (): string => `id${n++}`;
  const diagnostics = new Map<string, DiagnosticShape[]>();
  const queue = new CaptureQueue(async (events) => { sent.push(...events); }, newId, { intervalMs: 60_000 });
  const workspace = new WorkspacePaths(['/w'], ['/home/u/.config/Code', '/home/u/.vscode/extensions']);
  const pipeline = new CapturePipeline<string>({
    queue, newId, exclude: new ExcludeMatcher([]), keepAfterMs: 180_000,
    diagnosticsOf: (path) => diagnosticCounts(diagnostics.get(path) ?? []),
    isRecordable: (path) => workspace.isRecordable(path),
  });
  const drain = async (): Promise<CaptureEvent[]> => { await queue.flush(); return sent.splice(0); };
  return { pipeline, diagnostics, drain };
}

const change = (path: string, changes: TextChangeShape[], o: Partial<TextChange<string>> = {}): TextChange<string> =>
  ({ path, ref: path, changes, reason: undefined, inActiveEditor: true, ...o });
const replace = (text: string, rangeOffset: number, rangeLength: number, line: number, endLine: number): TextChangeShape =>
  ({ text, rangeOffset, rangeLength, range: { start: { line }, end: { line: endLine } } });
const files = (events: CaptureEvent[]): FileTouch[] => events.flatMap((e) => (e.type === 'file' ? [e.file] : []));
const outcomes = (events: CaptureEvent[]): OutcomeEvent[] => events.flatMap((e) => (e.type === 'outcome' ? [e.outcome] : []));
const error = (message: string): DiagnosticShape => ({ severity: 0, message, source: 'ts', code: 2322 });

/** What the analysis server sends after importing a Claude Code turn that edited `path`. */
const claudeTurn = (id: string, path: string, at: number, linesAdded = 3, linesRemoved = 3): LiveInteraction => ({
  id, sessionId: 'claude-session', source: 'claude-code', at, answer: 'Fixed the type error in total().',
  writes: [{ id: `${id}-w`, interactionId: id, sessionId: 'claude-session', source: 'claude-code', path, at, linesAdded, linesRemoved }],
});

test('a Claude Code edit seen before its transcript is imported: attributed when the evidence arrives, then its outcomes', async () => {
  const { pipeline, diagnostics, drain } = harness();
  const path = '/w/src/total.ts';
  diagnostics.set(path, [error("Type 'string' is not assignable to type 'number'.")]);
  // The file reloads in the editor as Claude Code writes it (not a keystroke: unknown for now).
  pipeline.onTextChange(change(path, [replace(FIXED, 0, 90, 0, 3)]), 10_000);
  assert.deepEqual(files(await drain()), [], 'waits for evidence');
  diagnostics.set(path, []); // the language server re-checks before the transcript is imported
  pipeline.onLiveInteractions([claudeTurn('c1', path, 9_800)], 11_500);
  const touch = files(await drain());
  assert.deepEqual(touch.map((f) => [f.path, f.origin, f.interactionId, f.linesAdded, f.linesRemoved, f.at]), [[path, 'assistant', 'c1', 3, 3, 10_000]]);
  assert.match(touch[0].evidence!, /claude-code record wrote \/w\/src\/total\.ts \(\+3 -3, same lines as the edit\); edit seen 0\.2 s after the write/);

  // A failing then passing test run in the terminal follows the attributed edit.
  pipeline.onTerminalEnd({ commandLine: 'npm test', exitCode: 1, at: 20_000 });
  pipeline.onTerminalEnd({ commandLine: 'npm test', exitCode: 0, at: 30_000 });
  pipeline.onTerminalEnd({ commandLine: 'make', exitCode: undefined, at: 31_000 });
  pipeline.tick(10_000 + 120_000); // the diagnostics window closes
  const found = outcomes(await drain()).map((o) => [o.kind, o.value ?? null, o.interactionId, o.sessionId]);
  assert.deepEqual(found, [
    ['exit_code', 1, 'c1', 'claude-session'], ['test_failed', 1, 'c1', 'claude-session'],
    ['exit_code', 0, 'c1', 'claude-session'], ['test_passed', 0, 'c1', 'claude-session'],
    ['exit_code', null, 'c1', 'claude-session'],
    ['diagnostic_fixed', 1, 'c1', 'claude-session'],
  ]);
});

test('evidence first: the edit is attributed at once; undoing it is edit_undone of that interaction', async () => {
  const { pipeline, drain } = harness();
  const path = '/w/src/total.ts';
  pipeline.onLiveInteractions([claudeTurn('c2', path, 5_000)], 5_000);
  pipeline.onTextChange(change(path, [replace(FIXED, 40, 0, 2, 2)], { inActiveEditor: false }), 5_300);
  assert.deepEqual(files(await drain()).map((f) => [f.origin, f.interactionId]), [['assistant', 'c2']]);
  pipeline.onTextChange(change(path, [replace('', 40, FIXED.length, 2, 5)], { reason: 1 }), 8_000);
  assert.deepEqual(outcomes(await drain()).map((o) => [o.kind, o.interactionId]), [['edit_undone', 'c2']]);
});

test('a closed file written on disk is recorded only when a record explains it', async () => {
  const { pipeline, drain } = harness();
  pipeline.onDiskChange('/w/src/new.ts', '/w/src/new.ts', 1_000); // explained later
  pipeline.onDiskChange('/w/dist/bundle.js', '/w/dist/bundle.js', 1_000); // a build output: never explained
  // A new folder: the editor's watcher reports it (twice), not the file written into it.
  pipeline.onDiskChange('/w/lib', '/w/lib', 1_000, true);
  pipeline.onDiskChange('/w/lib', '/w/lib', 1_050, true);
  pipeline.onDiskChange('/w/lib/util.ts', '/w/lib/util.ts', 1_060); // and sometimes the file too: one write, recorded once
  pipeline.onLiveInteractions([claudeTurn('c3', 'src/new.ts', 1_100, 12, 0), claudeTurn('c4', '/w/lib/util.ts', 1_100, 5, 0)], 2_000);
  pipeline.tick(20_000);
  assert.deepEqual(files(await drain()).map((f) => [f.path, f.origin, f.interactionId, f.linesAdded]).sort(),
    [['/w/lib/util.ts', 'assistant', 'c4', 5], ['/w/src/new.ts', 'assistant', 'c3', 12]]);
});

test('a live interaction that edited nothing here earns no terminal outcomes (it may be another project\'s)', async () => {
  const { pipeline, drain } = harness();
  pipeline.onLiveInteractions([claudeTurn('elsewhere', '/other/project/a.ts', 1_000)], 1_000);
  pipeline.onTerminalEnd({ commandLine: 'npm test', exitCode: 0, at: 2_000 });
  assert.deepEqual(outcomes(await drain()), []);
});

test('a gateway answer\'s code block inserted here is attributed to that exchange', async () => {
  const { pipeline, drain } = harness();
  pipeline.onLiveInteractions([{ id: 'gw1', sessionId: 'gw', source: 'gateway', at: 1_000, answer: `\`\`\`ts\n${FIXED}\`\`\``, writes: [] }], 1_000);
  pipeline.onTextChange(change('/w/src/total.ts', [replace(FIXED, 0, 0, 0, 0)]), 2_000);
  const [touch] = files(await drain());
  assert.deepEqual([touch.origin, touch.interactionId], ['assistant', 'gw1']);
  assert.match(touch.evidence!, /equal to a code block of the answer/);
});

test('classifier fix: the clean flag after a save does not hide an answer\'s code block inserted by the assistant', async () => {
  const { pipeline, drain } = harness();
  pipeline.recordInteraction([], { id: 'chat1', sessionId: 's', at: 1_000, answer: `Use this:\n\n\`\`\`ts\n${FIXED}\`\`\`\n` });
  // VS Code reports the first change after a save (or auto-save) on a document that is not dirty.
  const afterSave = { ...change('/w/src/total.ts', [replace(FIXED, 0, 0, 0, 0)]), dirtyAfter: false } as TextChange<string>;
  pipeline.onTextChange(afterSave, 2_000);
  assert.deepEqual(files(await drain()).map((f) => [f.origin, f.interactionId]), [['assistant', 'chat1']]);
});

test('files outside the workspace folders and the editor\'s own settings and state are never recorded', async () => {
  const { pipeline, drain } = harness();
  for (const path of ['/etc/hosts', '/home/u/.config/Code/User/settings.json', '/home/u/.config/Code/User/globalStorage/x/state.json',
    '/home/u/.vscode/extensions/a/package.json', '/w/.vscode/settings.json', '/w/app.code-workspace', '/wx/a.ts', '/w/src/a.ts']) {
    pipeline.onTextChange(change(path, [replace('x', 0, 0, 0, 0)]), 1_000);
    pipeline.onFileEvent('save', path, 1_001);
  }
  assert.deepEqual([...new Set(files(await drain()).map((f) => f.path))], ['/w/src/a.ts']);
});
