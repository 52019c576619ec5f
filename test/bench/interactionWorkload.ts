// A deterministic stream of capture events shaped like real assistant sessions (a session every 20
// interactions; requests of 60–400 characters, answers of 0.3–2.5 KB, one or two outcome signals
// each), shared by the store benchmark and its node:sqlite reference so both store the same bytes.
import type { CaptureEvent } from '../../extension/protocol/records';

const SENTENCES = [
  'I read the failing test and the module it covers. ',
  'The parser returned an empty list when the input ended with a newline, so the last token was dropped. ',
  'I changed the loop to flush the pending token after the last character and added a regression test. ',
  'The build passes and the new test fails without the fix. ',
  'I also renamed the helper so its name says what it returns. ',
];
const REQUESTS = ['fix the failing parser test', 'add retries to the webhook client', 'explain why the cache misses after a deploy',
  'refactor the settings form into two components', 'make the CSV export stream instead of buffering'];
const OUTCOME_KINDS = ['test_passed', 'test_failed', 'edit_kept', 'edit_undone', 'tool_error', 'vote'] as const;
const T0 = Date.UTC(2026, 0, 1);

function text(parts: readonly string[], seed: number, minLength: number, maxLength: number): string {
  const target = minLength + ((seed * 2654435761) >>> 0) % (maxLength - minLength);
  let out = '';
  for (let i = seed; out.length < target; i++) out += parts[i % parts.length];
  return out.slice(0, target);
}

/** Events for interactions [from, to): sessions as they start, each interaction, its outcomes. */
export function interactionEvents(from: number, to: number, prefix = 'w'): CaptureEvent[] {
  const events: CaptureEvent[] = [];
  for (let i = from; i < to; i++) {
    const sessionId = `${prefix}s${Math.floor(i / 20)}`;
    const at = T0 + i * 30_000;
    if (i % 20 === 0 || i === from) events.push({ type: 'session', session: { id: sessionId, source: 'claude-code', startedAt: at } });
    const id = `${prefix}${i}`;
    events.push({ type: 'interaction', interaction: {
      id, sessionId, source: 'claude-code', model: 'claude-sonnet-4-5', startedAt: at, endedAt: at + 20_000,
      user_request: `${REQUESTS[i % REQUESTS.length]} (${text(SENTENCES, i, 30, 340)})`,
      assistant_response: text(SENTENCES, i * 7, 300, 2500),
      tools_used: ['Read', 'Edit', 'Bash'], files_modified: [`src/module${i % 97}.ts`],
      issues_encountered: i % 6 === 0 ? ['Bash failed: exit 1'] : [], solutions_applied: [`edited src/module${i % 97}.ts`], effectiveness: null,
    } });
    for (let o = 0; o < 1 + (i % 2); o++) {
      const kind = OUTCOME_KINDS[(i + o) % OUTCOME_KINDS.length];
      events.push({ type: 'outcome', outcome: { id: `${id}-o${o}`, interactionId: id, sessionId, kind, value: kind === 'vote' ? 1 : undefined, at: at + 25_000 } });
    }
  }
  return events;
}
