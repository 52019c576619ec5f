// The send queue: batches by time and by size, keeps events while the server is away (within a
// bound), and redacts every batch before it leaves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaptureEvent } from '../../extension/protocol/records';
import { CaptureQueue } from '../../extension/client/capture/captureQueue';
import { redactCaptureEvent } from '../../extension/shared/redaction/redactCaptureEvent';
import { RedactionTally } from '../../extension/shared/redaction/redactText';

const outcome = (id: string, detail?: string): CaptureEvent => ({ type: 'outcome', outcome: { id, kind: 'exit_code', value: 0, detail, at: 1 } });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
let n = 0;
const newId = (): string => `q${n++}`;

test('events go out in one batch after the interval, not one request per event', async () => {
  const batches: CaptureEvent[][] = [];
  const queue = new CaptureQueue(async (events) => { batches.push(events); }, newId, { intervalMs: 40 });
  for (let i = 0; i < 30; i++) queue.add(outcome(`o${i}`));
  assert.equal(batches.length, 0, 'nothing is sent synchronously');
  await sleep(120);
  assert.deepEqual(batches.map((b) => b.length), [30]);
});

test('a full batch is sent without waiting for the interval', async () => {
  const batches: CaptureEvent[][] = [];
  const queue = new CaptureQueue(async (events) => { batches.push(events); }, newId, { intervalMs: 60_000, maxBatch: 10 });
  for (let i = 0; i < 25; i++) queue.add(outcome(`o${i}`));
  await sleep(20);
  await queue.flush();
  assert.deepEqual(batches.map((b) => b.length), [10, 15]);
});

test('while the server is unreachable events are kept, oldest dropped beyond the bound, and sent once it is back', async () => {
  let up = false;
  const received: string[] = [];
  const errors: number[] = [];
  const queue = new CaptureQueue(async (events) => {
    if (!up) throw new Error('not running');
    for (const e of events) if (e.type === 'outcome') received.push(e.outcome.id);
  }, newId, { intervalMs: 60_000, maxPending: 5, onError: (_e, dropped) => errors.push(dropped) });
  for (let i = 0; i < 4; i++) queue.add(outcome(`a${i}`));
  await queue.flush();
  for (let i = 0; i < 3; i++) queue.add(outcome(`b${i}`));
  await queue.flush();
  assert.deepEqual(errors, [0, 2]);
  assert.equal(queue.dropped, 2);
  up = true;
  await queue.flush();
  assert.deepEqual(received, ['a2', 'a3', 'b0', 'b1', 'b2'], 'the newest five, in order');
});

test('edits with the same file, origin and interaction merge; the batch is redacted before sending', async () => {
  const sent: CaptureEvent[] = [];
  const tally = new RedactionTally();
  const queue = new CaptureQueue(async (events) => { sent.push(...events); }, newId, {
    intervalMs: 60_000, prepare: (events) => events.map((e) => redactCaptureEvent(e, tally)),
  });
  queue.addEdit('/w/a.ts', 'typing', undefined, 1, 0, 1);
  queue.addEdit('/w/a.ts', 'typing', undefined, 2, 1, 2);
  queue.addEdit('/w/a.ts', 'assistant', 'i1', 5, 0, 3);
  queue.add(outcome('o1', '$ curl -H "Authorization: Bearer ghp_abcdefghijklmnopqrstuvwxyz0123456789" https://api.github.com → exit 0'));
  await queue.flush();
  const touches = sent.flatMap((e) => (e.type === 'file' ? [[e.file.origin, e.file.linesAdded, e.file.linesRemoved]] : []));
  assert.deepEqual(touches, [['typing', 3, 1], ['assistant', 5, 0]]);
  const detail = sent.flatMap((e) => (e.type === 'outcome' ? [e.outcome.detail] : []))[0]!;
  assert.doesNotMatch(detail, /ghp_abcdef/);
  assert.match(detail, /\[GITHUB_TOKEN\]/);
  assert.equal(tally.counts.get('GITHUB_TOKEN'), 1);
});
