// The score breakdown of one interaction as a small table: base, each signal's contribution in
// log-odds (largest first), the outcome events read, and the score (a probability of success).
import type { ScoreBreakdown } from '../../extension/server/scoring/scoreBreakdown';
import { h } from '../dom';
import { oneLine, signed } from '../format';

const MAX_SIGNALS = 8;

export function scoreBreakdownTable(b: ScoreBreakdown): HTMLTableElement {
  const signals = [...b.signals].sort((x, y) => Math.abs(y.contribution) - Math.abs(x.contribution));
  const shown = signals.slice(0, MAX_SIGNALS);
  const rows: HTMLElement[] = [h('tr', {}, h('th', { scope: 'row' }, 'Base'), h('td', { class: 'num' }, b.base.toFixed(2)))];
  for (const s of shown) {
    const tone = s.contribution > 0 ? 'up' : s.contribution < 0 ? 'down' : 'flat';
    rows.push(h('tr', {},
      h('th', { scope: 'row' },
        h('span', { class: `part part-${s.part}` }, s.part), ' ', s.name.replace(/_/g, ' '),
        s.value > 1 ? h('span', { class: 'muted' }, ` ×${s.value}`) : null,
        s.detail ? h('span', { class: 'signal-detail' }, oneLine(s.detail, 80)) : null),
      h('td', { class: `num tone-${tone}` }, signed(s.contribution))));
  }
  if (signals.length > shown.length) {
    rows.push(h('tr', { class: 'note' }, h('td', { colspan: 2 }, `…and ${signals.length - shown.length} smaller signals`)));
  }
  const events = (b.evidence ?? []).map((e) => `${e.kind.replace(/_/g, ' ')} ×${e.count}${e.ignored ? ' (not counted)' : ''}`);
  if (events.length > 0) rows.push(h('tr', { class: 'note' }, h('td', { colspan: 2 }, `Evidence read: ${events.join(', ')}`)));
  rows.push(h('tr', { class: 'note' }, h('td', { colspan: 2 }, `Contributions are log-odds; the score is the probability of success they add up to (${b.logit.toFixed(2)} in all).`)));
  rows.push(h('tr', { class: 'total' }, h('th', { scope: 'row' }, 'Score'), h('td', { class: 'num' }, b.score.toFixed(2))));
  return h('table', { class: 'breakdown' }, h('caption', { class: 'visually-hidden' }, 'Score breakdown'), h('tbody', {}, ...rows));
}
