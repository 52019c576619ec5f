// The capture outbox keeps its log open between appends (one fdatasync per exchange on the request
// path). A compaction renames a new file over the log, so appends after it must reach the new file,
// and exchanges appended at once from many requests must all be on disk, in order, when they resolve.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CapturedExchange } from '../../extension/protocol/trainerProtocol';
import { CaptureBuffer } from '../../trainer-server/src/capture/captureBuffer';

const exchange = (id: string): CapturedExchange => ({ id, events: [] });

test('an exchange appended after a compaction is on disk in the new log, not in the replaced file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-capture-append-'));
  const buffer = CaptureBuffer.open(dir);
  await buffer.append(exchange('a'));
  await buffer.ack(['a']); // everything acknowledged: compacted (the file is replaced)
  await buffer.append(exchange('b'));
  await buffer.ack(['nothing-pending']);
  assert.deepEqual(CaptureBuffer.open(dir).list().map((e) => e.id), ['b'], 'a reopened buffer (a restart) finds it');
});

test('concurrent appends are each on disk, in order, when they resolve', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-capture-append-'));
  const buffer = CaptureBuffer.open(dir);
  const ids = Array.from({ length: 50 }, (_, i) => `x${i}`);
  await Promise.all(ids.map((id) => buffer.append(exchange(id))));
  assert.deepEqual(CaptureBuffer.open(dir).list().map((e) => e.id), ids);
  await buffer.ack(ids.slice(0, 10)); // an ack line appended after them
  assert.deepEqual(CaptureBuffer.open(dir).list().map((e) => e.id), ids.slice(10));
});
