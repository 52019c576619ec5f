// The editor-signal pipeline end to end without VS Code: plain change shapes in, capture events out
// through a real CaptureQueue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaptureEvent, FileTouch, OutcomeEvent } from '../../extension/protocol/records';
import { CapturePipeline, type TextChange } from '../../extension/client/capture/capturePipeline';
import { CaptureQueue } from '../../extension/client/capture/captureQueue';
import { diagnosticCounts, type DiagnosticShape } from '../../extension/client/capture/diagnosticAttribution';
import { ExcludeMatcher } from '../../extension/client/capture/globMatcher';
import type { TextChangeShape } from '../../extension/client/capture/changeClassifier';

const CODE = 'export function parse(input: string): number {\n  const n = Number(input);\n  if (Number.isNaN(n)) throw new Error("bad");\n  return n;\n}';
const ANSWER = `Here is the fix:\n\n\`\`\`ts\n${CODE}\n\`\`\`\n`;

function harness(keepAfterMs = 180_000) {
  const sent: CaptureEvent[] = [];
  let n = 0;
  const newId = (): string => `id${n++}`;
  const diagnostics = new Map<string, DiagnosticShape[]>();
  const queue = new CaptureQueue(async (events) => { sent.push(...events); }, newId, { intervalMs: 60_000 });
  const pipeline = new CapturePipeline<string>({
    queue, newId, exclude: new ExcludeMatcher(['**/.env']), keepAfterMs,
    diagnosticsOf: (path) => diagnosticCounts(diagnostics.get(path) ?? []),
  });
  const drain = async (): Promise<CaptureEvent[]> => { await queue.flush(); return sent.splice(0); };
  return { pipeline, diagnostics, drain, queue };
}

const edit = (path: string, changes: TextChangeShape[], o: Partial<TextChange<string>> = {}): TextChange<string> =>
  ({ path, ref: path, changes, reason: undefined, inActiveEditor: true, ...o });
const insert = (text: string, rangeOffset = 0, line = 0, rangeLength = 0): TextChangeShape =>
  ({ text, rangeOffset, rangeLength, range: { start: { line }, end: { line } } });
const files = (events: CaptureEvent[]): FileTouch[] => events.flatMap((e) => (e.type === 'file' ? [e.file] : []));
const outcomes = (events: CaptureEvent[]): OutcomeEvent[] => events.flatMap((e) => (e.type === 'outcome' ? [e.outcome] : []));
const chatTurn = (id: string): CaptureEvent => ({ type: 'interaction', interaction: { id, sessionId: 's1', source: 'chat-participant', startedAt: 1, user_request: 'q', assistant_response: ANSWER, tools_used: [], files_modified: [], issues_encountered: [], solutions_applied: [], effectiveness: null } });

test('keystrokes in one file merge into one touch per batch; excluded files leave no trace', async () => {
  const { pipeline, drain } = harness();
  for (let i = 0; i < 50; i++) pipeline.onTextChange(edit('/w/a.ts', [insert(i % 10 === 9 ? '\n' : 'x', i)]), 1000 + i);
  pipeline.onTextChange(edit('/w/.env', [insert('K')]), 2000);
  pipeline.onFileEvent('save', '/w/a.ts', 2001);
  pipeline.onFileEvent('save', '/w/.env', 2002);
  const touched = files(await drain());
  assert.deepEqual(touched.map((f) => [f.path, f.kind, f.origin, f.linesAdded ?? null]).sort(), [
    ['/w/a.ts', 'edit', 'typing', 5], ['/w/a.ts', 'save', 'unknown', null]]);
});

test('an insertion of an answer\'s code block is the assistant\'s and is linked to that interaction', async () => {
  const { pipeline, drain } = harness();
  pipeline.recordInteraction([chatTurn('i1')], { id: 'i1', sessionId: 's1', at: 10_000, answer: ANSWER });
  // Inserted re-indented, as "insert at cursor" does inside a block.
  pipeline.onTextChange(edit('/w/p.ts', [insert(CODE.replace(/^/gm, '    '), 0, 4)]), 11_000);
  const events = await drain();
  const touch = files(events).find((f) => f.path === '/w/p.ts')!;
  assert.deepEqual([touch.origin, touch.interactionId, touch.linesAdded], ['assistant', 'i1', 4]);
  assert.match(touch.evidence ?? '', /code block of the answer/);
  assert.ok(events.some((e) => e.type === 'interaction' && e.interaction.id === 'i1'));
});

test('a large insertion with no evidence is not the assistant\'s: it waits for evidence, then is recorded unknown', async () => {
  const { pipeline, drain } = harness();
  const other = 'const a = 1;\nconst b = 2;\nconst c = a + b;\nconsole.log(a, b, c, "some more text here");\n';
  pipeline.onTextChange(edit('/w/x.ts', [insert(other)]), 1);
  assert.deepEqual(files(await drain()), [], 'nothing is recorded while it waits for a transcript to explain it');
  assert.equal(pipeline.waitingEdits, 1);
  pipeline.tick(1 + 10_000);
  assert.deepEqual(files(await drain()).map((f) => [f.path, f.origin, f.interactionId, f.linesAdded]), [['/w/x.ts', 'unknown', undefined, 4]]);
});

test('diagnostics fixed and introduced after an assistant edit are linked to it; typing closes the window', async () => {
  const { pipeline, diagnostics, drain } = harness();
  const error = (message: string): DiagnosticShape => ({ severity: 0, message, source: 'ts', code: 2304 });
  diagnostics.set('/w/p.ts', [error("Cannot find name 'parse'."), error("Cannot find name 'parse'."), { severity: 2, message: 'info only' }]);
  pipeline.recordInteraction([], { id: 'i1', sessionId: 's1', at: 1_000, answer: ANSWER });
  pipeline.onTextChange(edit('/w/p.ts', [insert(CODE)]), 2_000);
  assert.equal(pipeline.isDiagnosticWatched('/w/p.ts'), true);
  // The language server flickers through an intermediate state, then settles.
  pipeline.onDiagnostics('/w/p.ts', diagnosticCounts([error('Unexpected token.')]));
  pipeline.onDiagnostics('/w/p.ts', diagnosticCounts([{ severity: 1, message: "'n' is declared but never used.", source: 'ts' }]));
  pipeline.onTextChange(edit('/w/p.ts', [insert('x', 10)]), 3_000); // the user types: judge now
  assert.equal(pipeline.isDiagnosticWatched('/w/p.ts'), false);
  const found = outcomes(await drain()).map((o) => [o.kind, o.value, o.interactionId, o.sessionId]);
  assert.deepEqual(found, [['diagnostic_fixed', 2, 'i1', 's1'], ['diagnostic_introduced', 1, 'i1', 's1']]);
});

test('an attribution whose window ends is judged by the tick', async () => {
  const { pipeline, diagnostics, drain } = harness();
  diagnostics.set('/w/p.ts', [{ severity: 0, message: 'boom' }]);
  pipeline.recordInteraction([], { id: 'i1', sessionId: 's1', at: 0, answer: ANSWER });
  pipeline.onTextChange(edit('/w/p.ts', [insert(CODE)]), 1_000);
  pipeline.onDiagnostics('/w/p.ts', new Map());
  pipeline.tick(1_000 + 60_000);
  assert.deepEqual(outcomes(await drain()), [], 'still inside the window');
  pipeline.tick(1_000 + 120_000);
  assert.deepEqual(outcomes(await drain()).map((o) => o.kind), ['diagnostic_fixed']);
});

test('terminal outcomes: linked to the latest interaction, unknown exit code stays unknown, tests pass or fail', async () => {
  const { pipeline, drain } = harness();
  pipeline.onTerminalEnd({ commandLine: 'npm test', exitCode: 0, at: 5 });
  assert.deepEqual(outcomes(await drain()), [], 'no interaction yet: nothing to link, nothing recorded');
  pipeline.recordInteraction([], { id: 'i1', sessionId: 's1', at: 100, answer: 'ok' });
  pipeline.onTerminalEnd({ commandLine: 'npm test', exitCode: 1, at: 200 });
  pipeline.onTerminalEnd({ commandLine: 'pytest -q', exitCode: undefined, at: 300 });
  pipeline.onTerminalEnd({ commandLine: 'go test ./...', exitCode: 0, at: 400 });
  pipeline.onTerminalEnd({ commandLine: 'ls', exitCode: 0, at: 500 });
  pipeline.onTerminalEnd({ commandLine: 'npm test', exitCode: 0, at: 100 + 16 * 60_000 });
  const found = outcomes(await drain()).map((o) => [o.kind, o.value ?? null, o.interactionId]);
  assert.deepEqual(found, [
    ['exit_code', 1, 'i1'], ['test_failed', 1, 'i1'],
    ['exit_code', null, 'i1'],
    ['exit_code', 0, 'i1'], ['test_passed', 0, 'i1'],
    ['exit_code', 0, 'i1'],
  ]);
});

test('an assistant edit reverted by undo is undone at once; one that stays is kept after the delay', async () => {
  const { pipeline, drain } = harness(180_000);
  pipeline.recordInteraction([], { id: 'i1', sessionId: 's1', at: 0, answer: ANSWER });
  pipeline.onTextChange(edit('/w/u.ts', [insert(CODE, 100, 3)]), 1_000);
  pipeline.onTextChange(edit('/w/u.ts', [insert('// header\n', 0, 0)]), 2_000); // shifts the edit by 10
  pipeline.onTextChange(edit('/w/u.ts', [{ text: '', rangeOffset: 110, rangeLength: CODE.length, range: { start: { line: 4 }, end: { line: 8 } } }], { reason: 1 }), 3_000);
  pipeline.onTextChange(edit('/w/k.ts', [insert(CODE, 0, 0)]), 4_000);
  assert.deepEqual(pipeline.tick(100_000), [], 'not due yet');
  const due = pipeline.tick(4_000 + 180_000);
  assert.deepEqual(due.map((d) => d.path), ['/w/k.ts']);
  pipeline.settleEdit(due[0], `// file\n${CODE.replace('"bad"', '"invalid input"')}\n`, 200_000);
  const found = outcomes(await drain()).filter((o) => o.kind.startsWith('edit_')).map((o) => [o.kind, o.value, o.interactionId]);
  assert.deepEqual(found, [['edit_undone', 0, 'i1'], ['edit_kept', 0.75, 'i1']]);
});

test('an edit our participant announced is the assistant\'s even when small, and is linked', async () => {
  const { pipeline, drain } = harness();
  pipeline.recordInteraction([], { id: 'i7', sessionId: 's1', at: 0, answer: 'use `const`' });
  pipeline.expectAssistantEdit('/w/c.ts', 'i7', 10);
  pipeline.onTextChange(edit('/w/c.ts', [insert('const', 0, 0, 3)], { inActiveEditor: false }), 20);
  pipeline.onTextChange(edit('/w/c.ts', [insert('const', 0, 0, 3)], { inActiveEditor: false }), 30);
  pipeline.tick(30 + 10_000); // the second had no evidence: unknown once its wait ends
  assert.deepEqual(files(await drain()).map((f) => [f.origin, f.interactionId]).sort(), [['assistant', 'i7'], ['unknown', undefined]]);
});

test('discard forgets buffered events and links (Delete All Data)', async () => {
  const { pipeline, drain } = harness();
  pipeline.recordInteraction([chatTurn('i1')], { id: 'i1', sessionId: 's1', at: 0, answer: ANSWER });
  pipeline.onTextChange(edit('/w/a.ts', [insert('x')]), 1);
  pipeline.discard();
  pipeline.onTerminalEnd({ commandLine: 'npm test', exitCode: 0, at: 2 });
  assert.deepEqual(await drain(), []);
});
