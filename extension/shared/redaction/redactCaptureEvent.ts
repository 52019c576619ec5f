// The one place capture events are redacted: every free-text string an event carries goes through
// redactText. Ids are hashes, times and counts are numbers; neither can hold a secret.
import type { CaptureEvent } from '../../protocol/records';
import { redactText, type RedactionTally } from './redactText';

function opt(text: string | undefined, tally: RedactionTally): string | undefined {
  return text === undefined ? undefined : redactText(text, tally);
}

function list(items: readonly string[], tally: RedactionTally): string[] {
  return items.map((item) => redactText(item, tally));
}

export function redactCaptureEvent(event: CaptureEvent, tally: RedactionTally): CaptureEvent {
  switch (event.type) {
    case 'session': {
      const s = event.session;
      return { type: 'session', session: { ...s, title: opt(s.title, tally), workspace: opt(s.workspace, tally), model: opt(s.model, tally) } };
    }
    case 'interaction': {
      const i = event.interaction;
      return {
        type: 'interaction',
        interaction: {
          ...i,
          model: opt(i.model, tally),
          user_request: redactText(i.user_request, tally),
          assistant_response: redactText(i.assistant_response, tally),
          tools_used: list(i.tools_used, tally),
          files_modified: list(i.files_modified, tally),
          issues_encountered: list(i.issues_encountered, tally),
          solutions_applied: list(i.solutions_applied, tally),
          outcomes: i.outcomes?.map((o) => ({ ...o, detail: opt(o.detail, tally) })),
          // What the user attached to a chat request: labels, but a selection's label can hold anything.
          ...(i.references ? { references: list(i.references, tally) } : {}),
        },
      };
    }
    case 'outcome':
      return { type: 'outcome', outcome: { ...event.outcome, detail: opt(event.outcome.detail, tally) } };
    case 'file':
      return { type: 'file', file: { ...event.file, path: redactText(event.file.path, tally) } };
    case 'importCursor':
      // The cursor's path is the local file being read, needed verbatim to find it again.
      return event;
    default:
      return event;
  }
}
