// The overview's live-capture lines: which assistants' sessions are being watched now, and the last
// outcomes the editor recorded for their edits (diagnostics, test runs, kept or undone).
import { h } from '../dom';
import type { LiveOverview } from '../../extension/protocol/liveProtocol';

const OUTCOME_WORDS: Record<string, string> = {
  diagnostic_fixed: 'problems fixed', diagnostic_introduced: 'problems introduced', test_passed: 'tests passed',
  test_failed: 'tests failed', exit_code: 'command ended', edit_kept: 'edit kept', edit_undone: 'edit undone',
};

export function liveCaptureView(live: LiveOverview | undefined): HTMLElement | null {
  if (!live || (!live.watching && live.lastOutcomes.length === 0)) return null;
  const sessions = live.assistants.length === 0
    ? h('dd', { id: 'live-sessions' }, h('span', { class: 'muted' }, live.watching ? 'watching; no session active in the last 30 minutes' : 'not watching'))
    : h('dd', { id: 'live-sessions' }, live.assistants.map((a) =>
      `${a.assistant}: ${a.sessions} session${a.sessions === 1 ? '' : 's'}, ${a.interactions} interaction${a.interactions === 1 ? '' : 's'}`).join(' · '));
  const outcomes = live.lastOutcomes.length === 0
    ? h('dd', { id: 'live-outcomes' }, h('span', { class: 'muted' }, 'none yet'))
    : h('dd', { id: 'live-outcomes' }, h('ul', { class: 'live-outcomes' }, ...live.lastOutcomes.map((o) =>
      h('li', {}, `${o.assistant ?? 'unlinked'}: ${OUTCOME_WORDS[o.kind] ?? o.kind}${o.detail ? ` (${o.detail})` : ''}`))));
  return h('dl', { class: 'facts', id: 'live-capture' },
    h('dt', {}, 'Live sessions'), sessions,
    h('dt', {}, 'Last outcomes'), outcomes);
}
