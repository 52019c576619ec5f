// Joining editor edits to the interactions whose own records say they wrote the file: pure rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaptureEvent } from '../../extension/protocol/records';
import { AttributionBook, attributeEdit, insideFolder, samePath, type ObservedEdit, type WriteEvidence } from '../../extension/server/attribution/editAttribution';
import { liveInteractionsFrom } from '../../extension/server/attribution/liveInteractions';

const write = (id: string, path: string, at: number, o: Partial<WriteEvidence> = {}): WriteEvidence =>
  ({ id, interactionId: `i-${id}`, sessionId: 's', source: 'claude-code', path, at, linesAdded: 3, linesRemoved: 1, ...o });
const edit = (path: string, at: number, linesAdded = 3, linesRemoved = 1): ObservedEdit => ({ path, at, linesAdded, linesRemoved });

test('paths: the same absolute path, or a relative path (a patch) that ends the edited one; Windows without case', () => {
  assert.equal(samePath('/w/src/a.ts', '/w/src/a.ts'), true);
  assert.equal(samePath('/w/src/a.ts', '/w/src/b.ts'), false);
  assert.equal(samePath('/w/src/a.ts', 'src/a.ts'), true);
  assert.equal(samePath('/w/src/a.ts', './src/a.ts'), true);
  assert.equal(samePath('/w/xsrc/a.ts', 'src/a.ts'), false, 'a relative path matches whole segments only');
  assert.equal(samePath('/other/src/a.ts', '/w/src/a.ts'), false);
  assert.equal(samePath('C:\\W\\src\\A.ts', 'c:/w/src/a.ts'), true);
  assert.equal(samePath('/w/a.ts', ''), false);
  assert.equal(insideFolder('/w/lib', '/w/lib/a.ts'), true);
  assert.equal(insideFolder('/w/lib/', '/w/lib/deep/a.ts'), true);
  assert.equal(insideFolder('/w/lib', '/w/library/a.ts'), false);
  assert.equal(insideFolder('/w/lib', 'lib/a.ts'), false, 'a relative path cannot be placed in a folder');
  assert.equal(attributeEdit({ path: '/w/lib', at: 0, linesAdded: 0, linesRemoved: 0, folder: true }, [write('x', '/w/lib/a.ts', 10)])?.interactionId, 'i-x');
});

test('an edit is attributed to the write of the same file within the window; agreeing line counts win, then the nearest', () => {
  const writes = [write('far', '/w/a.ts', 0), write('near', '/w/a.ts', 50_000, { linesAdded: 9 }), write('lines', '/w/a.ts', 30_000), write('other', '/w/b.ts', 59_000)];
  const got = attributeEdit(edit('/w/a.ts', 59_000), writes)!;
  assert.equal(got.interactionId, 'i-lines');
  assert.match(got.evidence, /claude-code record wrote \/w\/a\.ts \(\+3 -1, same lines as the edit\); edit seen 29\.0 s after the write \[lines\]/);
  assert.equal(attributeEdit(edit('/w/a.ts', 59_000, 7, 0), writes)!.interactionId, 'i-near', 'no counts agree: the nearest in time');
  assert.equal(attributeEdit(edit('/w/a.ts', 200_000), writes), undefined, 'outside the window');
  assert.equal(attributeEdit(edit('/w/b.ts', 57_000), writes)?.interactionId, 'i-other', 'seen just before the record was stamped');
  assert.equal(attributeEdit(edit('/w/b.ts', 55_000), writes), undefined, 'an earlier change to the file is not that write');
  assert.equal(attributeEdit(edit('/w/c.ts', 59_000), writes), undefined, 'no record wrote that file');
});

test('the book: an edit waits for its evidence, evidence remembered explains later edits, waits end unattributed', () => {
  const book = new AttributionBook<string>(10_000);
  assert.equal(book.attribute(edit('/w/a.ts', 1_000)), undefined);
  book.hold(edit('/w/a.ts', 1_000), 'held-a', 1_000);
  book.hold(edit('/w/z.ts', 1_500), 'held-z', 1_500);
  const resolved = book.addEvidence([write('w1', '/w/a.ts', 1_200)], 2_000);
  assert.deepEqual(resolved.map((r) => [r.payload, r.attribution.interactionId]), [['held-a', 'i-w1']]);
  assert.deepEqual(book.addEvidence([write('w1', '/w/a.ts', 1_200)], 2_100), [], 'the same write imported again is not new evidence');
  assert.equal(book.attribute(edit('/w/a.ts', 3_000))?.interactionId, 'i-w1', 'remembered for an edit seen later');
  assert.deepEqual(book.expire(11_000), []);
  assert.deepEqual(book.expire(11_500).map((e) => e.payload), ['held-z']);
  assert.equal(book.pendingCount, 0);
  assert.equal(book.attribute(edit('/w/a.ts', 11 * 60_000)), undefined, 'old evidence is forgotten');
});

test('live interactions are built from an import\'s events: the writes each record reports, deletions and typing left out', () => {
  const events: CaptureEvent[] = [
    { type: 'interaction', interaction: { id: 'i1', sessionId: 's1', source: 'codex', startedAt: 100, endedAt: 200, user_request: 'q', assistant_response: 'done', tools_used: [], files_modified: ['src/a.ts'], issues_encountered: [], solutions_applied: [], effectiveness: null } },
    { type: 'file', file: { id: 'f1', interactionId: 'i1', path: 'src/a.ts', kind: 'edit', origin: 'assistant', linesAdded: 2, linesRemoved: 0, at: 250 } },
    { type: 'file', file: { id: 'f2', interactionId: 'i1', path: 'src/gone.ts', kind: 'delete', origin: 'assistant', at: 260 } },
    { type: 'file', file: { id: 'f3', interactionId: 'other', path: 'src/b.ts', kind: 'edit', origin: 'assistant', at: 270 } },
  ];
  const [live, ...rest] = liveInteractionsFrom(events);
  assert.equal(rest.length, 0);
  assert.deepEqual([live.id, live.source, live.at, live.answer], ['i1', 'codex', 250, 'done']);
  assert.deepEqual(live.writes.map((w) => [w.id, w.path, w.linesAdded, w.source]), [['f1', 'src/a.ts', 2, 'codex']]);
});
