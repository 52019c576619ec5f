// What the editor needs to know about an interaction imported from a live session: who it is (for
// outcome events), its answer (to recognise an inserted code block) and the writes its own record
// reports (the evidence edits are attributed by). Built from the events an import wrote.
import type { CaptureEvent, InteractionSource } from '../../protocol/records';
import type { WriteEvidence } from './editAttribution';

export interface LiveInteraction {
  id: string;
  sessionId: string;
  source: InteractionSource;
  /** When the interaction last did something (its end, or its start while it is still open). */
  at: number;
  /** The answer, cut to MAX_ANSWER_CHARS: enough for its code blocks, not a whole log. */
  answer: string;
  writes: WriteEvidence[];
}

const MAX_ANSWER_CHARS = 20_000;

/** The interactions among `events`, with the file writes their records carry; the last version of each wins. */
export function liveInteractionsFrom(events: readonly CaptureEvent[]): LiveInteraction[] {
  const byId = new Map<string, LiveInteraction>();
  for (const event of events) {
    if (event.type !== 'interaction') continue;
    const i = event.interaction;
    const previous = byId.get(i.id);
    byId.set(i.id, {
      id: i.id, sessionId: i.sessionId, source: i.source, at: i.endedAt ?? i.startedAt,
      answer: i.assistant_response.slice(0, MAX_ANSWER_CHARS), writes: previous?.writes ?? [],
    });
  }
  for (const event of events) {
    if (event.type !== 'file') continue;
    const f = event.file;
    const owner = f.interactionId === undefined ? undefined : byId.get(f.interactionId);
    if (!owner || f.origin !== 'assistant' || f.kind === 'delete') continue;
    if (owner.writes.some((w) => w.id === f.id)) continue;
    owner.writes.push({
      id: f.id, interactionId: owner.id, sessionId: owner.sessionId, source: owner.source,
      path: f.path, at: f.at, linesAdded: f.linesAdded, linesRemoved: f.linesRemoved,
    });
    owner.at = Math.max(owner.at, f.at);
  }
  return [...byId.values()];
}
