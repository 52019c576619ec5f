// A prompt Claude Code's main agent wrote for a subagent is recorded with a `delegated_request` outcome:
// it is not the user's request, so it must never become a training pair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { readDatasetSource } from '../../extension/server/dataset/datasetSource';
import { interaction, tempDir } from './storeTestKit';

test('interactions delegated by the main agent are left out of the dataset source', async () => {
  const store = await AutodidactStore.open(tempDir());
  try {
    await store.capture([
      interaction('user-turn', { effectiveness: 0.95 }),
      interaction('subagent-turn', { effectiveness: 0.95, startedAt: 1_700_000_001_000 }),
      { type: 'outcome', outcome: { id: 'o1', interactionId: 'subagent-turn', kind: 'delegated_request', detail: 'prompt written by the main agent', at: 1_700_000_001_000 } },
      { type: 'outcome', outcome: { id: 'o2', interactionId: 'user-turn', kind: 'test_passed', at: 1_700_000_000_500 } },
    ]);
    const ids = readDatasetSource(store).sessions.flat().map((s) => s.id);
    assert.deepEqual(ids, ['user-turn']);
  } finally {
    await store.close();
  }
});
