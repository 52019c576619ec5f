// The panel's pure parts: chart geometry, number formatting, the bounded loss series and the
// status-bar meter's text. What users read is pinned here.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LossSeries } from '../../extension/shared/lossSeries';
import { escapeMarkdown, meterText, meterTooltipMarkdown, TOOLTIP_CATEGORIES } from '../../extension/client/meterText';
import { BAR_LAYOUT, barChart, fitText, sparkline } from '../../webview/charts';
import { count, dateTime, direction, duration, metric, oneLine, percent, percent1, points, signed } from '../../webview/format';

describe('bar chart geometry', () => {
  test('bars are proportional to the value, on one track width, one row each', () => {
    const g = barChart([{ label: 'Security', value: 1, note: '100.0% · 2' }, { label: 'Testing', value: 0.5, note: '50.0% · 4' }], 300);
    assert.equal(g.width, 300);
    assert.equal(g.rows.length, 2);
    assert.equal(g.rows[0].barWidth, 300);
    assert.equal(g.rows[1].barWidth, 150);
    assert.equal(g.rows[1].barY - g.rows[0].barY, BAR_LAYOUT.rowHeight);
    assert.equal(g.height, 2 * BAR_LAYOUT.rowHeight);
    assert.ok(g.rows.every((r) => r.textY < r.barY), 'the label line sits above its bar');
  });

  test('out-of-range values are clamped; a tiny non-zero value still shows; zero shows nothing', () => {
    const g = barChart([{ label: 'a', value: 1.7, note: '' }, { label: 'b', value: -0.2, note: '' }, { label: 'c', value: 0.001, note: '' }, { label: 'd', value: 0, note: '' }], 200);
    assert.deepEqual(g.rows.map((r) => r.barWidth), [200, 0, 2, 0]);
  });

  test('a long label is cut with an ellipsis so it never runs into the value', () => {
    const g = barChart([{ label: 'A very long category name that cannot fit', value: 0.9, note: '90.0% · 1,234' }], 200);
    const row = g.rows[0];
    assert.ok(row.shownLabel.endsWith('…'));
    assert.ok(row.shownLabel.length * BAR_LAYOUT.charWidth + row.note.length * BAR_LAYOUT.charWidth <= 200, 'label and value fit the width');
    assert.equal(row.label, 'A very long category name that cannot fit', 'the full label is kept for the tooltip');
    assert.equal(fitText('short', 200), 'short');
    assert.equal(fitText('abcdef', 6.6), '…');
  });

  test('the reference marker sits at the overall average; narrow widths are floored', () => {
    assert.equal(barChart([{ label: 'a', value: 1, note: '' }], 400, 1, 0.75).referenceX, 300);
    assert.equal(barChart([], 400).referenceX, null);
    assert.equal(barChart([], 10).width, 80);
  });
});

describe('sparkline geometry', () => {
  test('fills the box within its padding, first point left, last right, higher values higher up', () => {
    const g = sparkline([0, 1, 0.5], 100, 40, 4);
    const pts = g.points.split(' ').map((p) => p.split(',').map(Number));
    assert.deepEqual(pts[0], [4, 36]);
    assert.deepEqual(pts[1], [50, 4]);
    assert.deepEqual(pts[2], [96, 20]);
    assert.deepEqual(g.last, { x: 96, y: 20 });
    assert.equal(g.min, 0);
    assert.equal(g.max, 1);
  });

  test('a flat series draws at mid-height; fewer than two points draw no line; NaN is skipped', () => {
    assert.ok(sparkline([0.5, 0.5, 0.5], 60, 20).points.split(' ').every((p) => p.endsWith(',10')));
    assert.equal(sparkline([0.7], 60, 20).points, '');
    assert.equal(sparkline([0.7], 60, 20).last, null);
    assert.equal(sparkline([1, Number.NaN, 2], 60, 20).points.split(' ').length, 2);
  });
});

describe('formatting', () => {
  test('percentages as the meter, the overview and Table 5.1 print them', () => {
    assert.equal(percent(0.8735), '87%');
    assert.equal(percent(null), '—');
    assert.equal(percent1(0.93333), '93.3%');
    assert.equal(percent1(1), '100.0%');
    assert.equal(count(1234567), '1,234,567');
  });

  test('trends in points, with direction and sign', () => {
    assert.equal(points(0.04), '+4 pts');
    assert.equal(points(-0.012), '−1 pt');
    assert.equal(points(0.001), '±0 pts');
    assert.equal(direction(0.04), 'up');
    assert.equal(direction(-0.04), 'down');
    assert.equal(direction(0.001), 'flat');
    assert.equal(direction(null), 'flat');
    assert.equal(signed(0.15), '+0.15');
    assert.equal(signed(-0.2), '−0.20');
  });

  test('durations, metrics, dates and one-line excerpts', () => {
    assert.equal(duration(45), '45 s');
    assert.equal(duration(151), '2 min 31 s');
    assert.equal(duration(3840), '1 h 04 min');
    assert.equal(duration(-1), '—');
    assert.equal(metric(2.4123), '2.41');
    assert.equal(metric(1.2), '1.2');
    assert.equal(metric(0.0000085), '8.5e-6');
    assert.equal(metric(null), '—');
    assert.match(dateTime(Date.UTC(2026, 10, 1, 9, 5)), /^\d{1,2} (Oct|Nov) 2026, \d\d:\d\d$/);
    assert.equal(oneLine('a\n  b   c', 20), 'a b c');
    assert.equal(oneLine('abcdefghij', 5), 'abcd…');
  });
});

describe('the loss series posted to the panel stays bounded', () => {
  test('50,000 steps keep at most `max` points, evenly spaced, first and shape kept', () => {
    const series = new LossSeries(100);
    for (let step = 0; step < 50_000; step++) series.add(10 - step / 10_000);
    const values = series.values();
    assert.ok(values.length <= 100 && values.length >= 50, `${values.length} points`);
    assert.equal(values[0], 10);
    assert.ok(values.every((v, i) => i === 0 || v < values[i - 1]), 'still decreasing');
    const gaps = values.slice(1).map((v, i) => Math.round((values[i] - v) * 10_000));
    assert.ok(gaps.every((g) => g === series.step), `evenly spaced every ${series.step} steps`);
  });

  test('non-finite losses are ignored, and the room must be even', () => {
    const series = new LossSeries(4);
    series.add(Number.NaN);
    series.add(1);
    assert.deepEqual(series.values(), [1]);
    assert.throws(() => new LossSeries(5), /even/);
  });
});

describe('status-bar meter text', () => {
  const reading = { effectiveness: 0.8735, scoredInteractions: 17, window: 50,
    byCategory: Array.from({ length: 10 }, (_, i) => ({ name: i === 0 ? 'Security|Ops' : `Cat${i}`, examples: 10 - i, avgEffectiveness: 0.9 })) };

  test('shows the window average and the live version; the accessible name says the same', () => {
    const { text, accessibleLabel } = meterText({ reading, liveVersion: 'v1.2', paused: false });
    assert.equal(text, '$(pulse) Autodidact 87% · v1.2');
    assert.equal(accessibleLabel, 'Autodidact effectiveness 87%, live model v1.2');
  });

  test('spins while training, pauses, dashes without data, and shows an error', () => {
    assert.match(meterText({ reading, liveVersion: null, paused: false, training: 'step 3/10' }).text, /^\$\(loading~spin\) /);
    assert.match(meterText({ reading, liveVersion: null, paused: true }).accessibleLabel, /capture paused/);
    assert.equal(meterText({ liveVersion: null, paused: false }).text, '$(pulse) Autodidact —');
    assert.equal(meterText({ reading, liveVersion: null, paused: false, error: 'boom' }).text, '$(error) Autodidact');
  });

  test('the tooltip has the category table (capped), escaped names and command links', () => {
    const md = meterTooltipMarkdown({ reading, liveVersion: 'v1.2', paused: false });
    assert.match(md, /effectiveness \*\*87%\*\* over the last 17 scored interactions \(window 50\)/);
    assert.match(md, /\| Security\\\|Ops \| 10 \| 90% \|/);
    assert.equal(md.split('\n').filter((l) => /^\| Cat\d/.test(l)).length, TOOLTIP_CATEGORIES - 1);
    assert.match(md, /…and 2 more in the panel/);
    for (const command of ['openPanel', 'trainNextVersion', 'enableCapture']) assert.match(md, new RegExp(`command:autodidact\\.${command}`));
    assert.match(meterTooltipMarkdown({ liveVersion: null, paused: true }), /No scored interactions yet[\s\S]*command:autodidact\.resumeCapture/);
    assert.match(meterTooltipMarkdown({ liveVersion: null, paused: false, error: 'no [store]' }), /no \\\[store\\\][\s\S]*command:autodidact\.showLog/);
    assert.equal(escapeMarkdown('a*b_c'), 'a\\*b\\_c');
  });
});
