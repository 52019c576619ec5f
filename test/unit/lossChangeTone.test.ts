// Issue 14 item 11: a rejected round's lower held-out loss is never drawn in the colour of success
// (the panel's Training timeline; seen in the real editor, where a rejected round showed "−3.1%" in green).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lossChangeTone } from '../../webview/trainingTimeline';

test('only a round that made a version shows a lower loss as success', () => {
  assert.equal(lossChangeTone(-0.031, 'rejected'), 'flat');
  assert.equal(lossChangeTone(-0.031, 'failed'), 'flat');
  assert.equal(lossChangeTone(-0.031, 'cancelled'), 'flat');
  assert.equal(lossChangeTone(-0.031, 'live'), 'up');
  assert.equal(lossChangeTone(-0.031, 'promoted'), 'up');
  assert.equal(lossChangeTone(0.02, 'rejected'), 'down');
  assert.equal(lossChangeTone(0.02, 'live'), 'down');
  assert.equal(lossChangeTone(null, 'live'), 'flat');
  assert.equal(lossChangeTone(0, 'promoted'), 'flat');
});
