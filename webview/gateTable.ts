// A round's promotion gate as seed 000's Table 5.3: category | before | after | change. Held-out rows
// are the agreement of generated answers with the held-out references (higher is better); canary rows
// are the share of answers to unrelated requests that stayed as the parent's (1 before, by definition).
import type { GateTableRow } from '../extension/protocol/trainerProtocol';
import { h } from './dom';

const KIND_LABEL: Record<GateTableRow['kind'], string> = { 'held-out': 'held-out answers', canary: 'canary kept' };

function share(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

function change(value: number | null): string {
  if (value === null) return '—';
  const points = Math.round(value * 100);
  return points === 0 ? '±0' : `${points > 0 ? '+' : '−'}${Math.abs(points)}`;
}

export function gateTableNode(rows: readonly GateTableRow[] | null | undefined): HTMLElement | null {
  if (!rows || rows.length === 0) return null;
  return h('table', { class: 'gate-table small', 'data-gate-table': '' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Category'), h('th', {}, 'Before'), h('th', {}, 'After'), h('th', {}, 'Change'))),
    h('tbody', {}, ...rows.map((row) => h('tr', { class: `gate-${row.kind}` },
      h('td', {}, `${row.category} · ${KIND_LABEL[row.kind]} (${row.n})`),
      h('td', {}, share(row.before)),
      h('td', {}, share(row.after)),
      h('td', { class: row.change === null || Math.round(row.change * 100) === 0 ? 'tone-flat' : row.change > 0 ? 'tone-up' : 'tone-down' }, change(row.change))))));
}
