// Lessons are distilled from captured exchanges and may quote the user's words, so deleting a session
// deletes the lessons drawn from it, and Delete All Data deletes every lesson.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaptureEvent, LessonRecord } from '../../extension/protocol/records';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { interaction, tempDir } from './storeTestKit';

function lessonCreated(id: string, evidence: string[], at: number): CaptureEvent {
  const lesson: LessonRecord = {
    id, text: `in this project use the helper (${id})`, trigger: 'helper', tags: [], confidence: 0.6, advantage: null, samples: 0,
    retired: false, disabled: false, evidence, recalls: 0, createdAt: at, lastUsedAt: at,
  };
  return { type: 'lesson', change: { id: `change-${id}`, lessonId: id, kind: 'created', before: null, after: lesson, at } };
}

const lessonIds = (store: AutodidactStore): string[] =>
  store.query<{ id: string }>('SELECT id FROM lessons ORDER BY id').map((r) => r.id);
const changeCount = (store: AutodidactStore): number =>
  store.query<{ n: number }>('SELECT COUNT(*) AS n FROM lesson_changes')[0].n;

test('deleting a session deletes the lessons drawn from it; Delete All Data deletes every lesson', async () => {
  const store = await AutodidactStore.open(tempDir());
  try {
    const t = 1_700_000_000_000;
    await store.capture([
      interaction('a1', { sessionId: 'sa' }), interaction('b1', { sessionId: 'sb' }),
      lessonCreated('from-a', ['a1'], t + 1), lessonCreated('from-b', ['b1'], t + 2),
    ]);
    assert.deepEqual(lessonIds(store), ['from-a', 'from-b']);
    await store.capture([{ type: 'delete', target: { sessionId: 'sa' }, at: t + 3 }]);
    assert.deepEqual(lessonIds(store), ['from-b']);
    assert.equal(changeCount(store), 1, 'the deleted lesson\'s change history (which quotes it) is gone too');
    await store.capture([{ type: 'delete', target: { all: true }, at: t + 4 }]);
    assert.deepEqual(lessonIds(store), []);
    assert.equal(changeCount(store), 0);
  } finally {
    await store.close();
  }
});
