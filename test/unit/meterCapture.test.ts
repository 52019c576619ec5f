// The status bar says whether capture is on or paused (icon, accessible name, tooltip).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meterText, meterTooltipMarkdown } from '../../extension/client/meterText';

test('the meter shows capture on, paused, or neither when capture is off', () => {
  const on = meterText({ liveVersion: null, paused: false, capturing: true });
  assert.equal(on.text, '$(record) Autodidact —');
  assert.match(on.accessibleLabel, /, capture on$/);
  assert.match(meterTooltipMarkdown({ liveVersion: null, paused: false, capturing: true }), /Capture is \*\*on\*\*/);
  const paused = meterText({ liveVersion: null, paused: true, capturing: false });
  assert.equal(paused.text, '$(debug-pause) Autodidact —');
  assert.match(paused.accessibleLabel, /capture paused/);
  assert.doesNotMatch(meterTooltipMarkdown({ liveVersion: null, paused: true }), /Capture is \*\*on\*\*/);
  const off = meterText({ liveVersion: null, paused: false, capturing: false });
  assert.equal(off.text, '$(pulse) Autodidact —');
  assert.doesNotMatch(off.accessibleLabel, /capture/);
});
