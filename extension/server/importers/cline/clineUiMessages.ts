// Cline / Roo Code ui_messages.json: what the user saw, with the outcome signals the API history
// lacks (completion_result, api_req_failed, error_retry, cancelled requests). With an API history
// beside it, these signals are attached to the interaction running at their `ts`; alone, the UI
// messages are turned into interactions themselves.
import type { InteractionSource } from '../../../protocol/records';
import { InteractionDraft } from '../interactionDraft';
import { isObject, num, parseJsonObject, str, type JsonObject } from '../readerSupport';
import { stableId } from '../stableId';

const EDIT_UI_TOOLS: Record<string, 'edit' | 'create'> = {
  editedExistingFile: 'edit', newFileCreated: 'create', appliedDiff: 'edit', insertContent: 'edit', searchAndReplace: 'edit',
};

function parseJsonText(text: string | undefined): JsonObject | undefined {
  if (!text || !text.trimStart().startsWith('{')) return undefined;
  return parseJsonObject(text);
}

function kindOf(message: JsonObject): string {
  return `${str(message.type)}:${str(message.ask) ?? str(message.say) ?? ''}`;
}

/** Signals every UI message list can give, for the draft running at the message's time. */
function applySignal(draft: InteractionDraft, message: JsonObject, at: number, index: number, withApiHistory: boolean): void {
  const text = str(message.text) ?? '';
  switch (kindOf(message)) {
    case 'say:completion_result':
      draft.addOutcome('task_completed', undefined, text, at, `ui:${index}`);
      break;
    case 'ask:api_req_failed':
    case 'say:api_req_retried':
    case 'say:error_retry':
      draft.addIssue(`API request failed: ${text || 'error'}`);
      draft.addOutcome('api_error', undefined, text, at, `ui:${index}`);
      break;
    case 'ask:mistake_limit_reached':
      draft.addIssue(`mistake limit reached: ${text}`);
      break;
    case 'say:api_req_started': {
      const info = parseJsonText(text);
      if (info && typeof info.streamingFailedMessage === 'string') {
        draft.addIssue(`API stream failed: ${info.streamingFailedMessage}`);
        draft.addOutcome('api_error', undefined, info.streamingFailedMessage, at, `ui:${index}`);
      } else if (info && info.cancelReason === 'user_cancelled') {
        draft.addIssue('request cancelled by user');
        draft.addOutcome('user_interrupt', undefined, 'request cancelled by user', at, `ui:${index}`);
      }
      break;
    }
    case 'say:error':
    case 'say:diff_error':
      // With an API history the same failure is already there as a tool result.
      if (!withApiHistory) draft.addIssue(text || 'error');
      break;
  }
}

/** Attaches UI signals to the interactions read from api_conversation_history.json. */
export function applyUiSignals(messages: unknown[], drafts: InteractionDraft[]): number {
  let skipped = 0;
  if (drafts.length === 0) return skipped;
  let current = 0;
  messages.forEach((message, index) => {
    if (!isObject(message)) { skipped++; return; }
    if (message.partial === true) return;
    const at = num(message.ts);
    if (at === undefined) return;
    while (current + 1 < drafts.length && drafts[current + 1].startedAt <= at) current++;
    applySignal(drafts[current], message, at, index, true);
  });
  return skipped;
}

/** Interactions from ui_messages.json alone (its API history is missing). */
export function draftsFromUi(messages: unknown[], source: InteractionSource, taskId: string, sessionId: string): InteractionDraft[] {
  const drafts: InteractionDraft[] = [];
  let draft: InteractionDraft | undefined;
  let lastAsk = '';
  messages.forEach((message, index) => {
    if (!isObject(message) || message.partial === true) return;
    const at = num(message.ts) ?? draft?.endedAt ?? 0;
    const kind = kindOf(message);
    const text = str(message.text) ?? '';
    // The task opens the list as a plain `say: text` (Cline and Roo call say('text', task)); an answer
    // to the assistant's follow-up question belongs to the exchange that asked it.
    const opensTask = kind === 'say:text' && drafts.length === 0 && text.trim() !== '';
    const startsRequest = kind === 'say:task' || opensTask || (kind === 'say:user_feedback' && lastAsk !== 'ask:followup');
    if (message.type === 'ask') lastAsk = kind;
    if (startsRequest) {
      if (draft && !draft.hasAssistantActivity) { draft.addRequest(text); return; }
      draft = new InteractionDraft(stableId(source, taskId, `ui:${index}`), sessionId, source, at);
      draft.addRequest(text);
      drafts.push(draft);
      return;
    }
    if (!draft) return;
    draft.touch(at);
    if (kind === 'say:text' || kind === 'say:completion_result') draft.addResponse(text);
    if (kind === 'ask:tool' || kind === 'say:tool') {
      const tool = parseJsonText(text);
      const name = str(tool?.tool) ?? 'tool';
      draft.addToolCall({ name });
      const editKind = EDIT_UI_TOOLS[name];
      const path = str(tool?.path);
      if (editKind && path && message.type === 'ask') draft.applyEdit({ path, kind: editKind, tool: name, at, key: `ui:${index}` });
    } else if (kind === 'ask:command') {
      draft.addToolCall({ name: 'execute_command' });
    } else if (kind === 'ask:use_mcp_server') {
      draft.addToolCall({ name: 'use_mcp_tool' });
    }
    applySignal(draft, message, at, index, false);
  });
  return drafts;
}
