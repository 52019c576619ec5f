// Copilot CLI sessions of 2025 builds (`~/.copilot/history-session-state/<id>.json`): one JSON
// object `{sessionId, startTime, chatMessages, timeline}`. The timeline has the conversation as
// the user saw it (`user`, `copilot`, `tool_call_completed` with its arguments and result, `info`);
// `chatMessages` (OpenAI-style messages) is read only when there is no timeline, as it is often empty.
import type { CaptureSink } from '../captureSink';
import type { ImportEmitter } from '../importEmitter';
import { InteractionDraft } from '../interactionDraft';
import { addMinedOutcomes } from '../minedToolOutcomes';
import { asJsonObject, contentText, isObject, SessionAccumulator, str, titleFrom, toEpochMs, type JsonObject } from '../readerSupport';
import { emitStoredSession } from '../sessionTurnCursor';
import { stableId } from '../stableId';
import { diffLines, editOf, isShellTool } from './copilotCliTools';

interface Step { id: string; role: 'user' | 'assistant' | 'tool'; at?: number; text: string; tool?: JsonObject }

function timelineSteps(timeline: unknown[]): Step[] {
  return timeline.filter(isObject).flatMap((item, index): Step[] => {
    const id = str(item.id) ?? `timeline:${index}`;
    const at = toEpochMs(item.timestamp);
    if (item.type === 'user') return [{ id, role: 'user', at, text: str(item.text) ?? '' }];
    if (item.type === 'copilot') return [{ id, role: 'assistant', at, text: str(item.text) ?? '' }];
    if (item.type === 'tool_call_completed') return [{ id, role: 'tool', at, text: '', tool: item }];
    return [];
  });
}

function chatSteps(messages: unknown[]): Step[] {
  const steps: Step[] = [];
  messages.filter(isObject).forEach((message, index) => {
    const id = `chat:${index}`;
    if (message.role === 'user') steps.push({ id, role: 'user', text: contentText(message.content) });
    if (message.role !== 'assistant') return;
    steps.push({ id, role: 'assistant', text: contentText(message.content) });
    for (const call of Array.isArray(message.tool_calls) ? message.tool_calls.filter(isObject) : []) {
      const fn = isObject(call.function) ? call.function : {};
      steps.push({ id: `${id}:${str(call.id) ?? ''}`, role: 'tool', text: '', tool: { callId: call.id, name: fn.name, arguments: fn.arguments } });
    }
  });
  return steps;
}

function toolStep(draft: InteractionDraft, tool: JsonObject, stepId: string, at: number): void {
  const name = str(tool.name) ?? 'tool';
  const callId = str(tool.callId) ?? stepId;
  const args = asJsonObject(tool.arguments);
  const edit = editOf(name, args);
  draft.addToolCall({ callId, name, editPath: edit?.path, editKind: edit?.kind });
  if (!isObject(tool.result)) return; // a call from chatMessages: its result is a separate message, not read
  const type = str(tool.result.type) ?? 'success';
  const log = str(tool.result.log) ?? '';
  const ok = type === 'success';
  draft.resolveTool(callId, { ok, detail: ok ? undefined : log || type, at, ...diffLines(log) });
  if (type === 'rejected' || type === 'denied') draft.addOutcome('user_interrupt', undefined, `${name} ${type}`, at, `reject:${callId}`);
  if (isShellTool(name) || edit) addMinedOutcomes(draft, { command: str(args.command), output: log, isError: !ok }, at, callId);
}

export function readCopilotCliLegacy(document: JsonObject, path: string, fallbackKey: string, fallbackAt: number, emitter: ImportEmitter, sink: CaptureSink | undefined): void {
  const session = new SessionAccumulator('copilot-cli', str(document.sessionId) ?? fallbackKey);
  session.seen(toEpochMs(document.startTime));
  const timeline = Array.isArray(document.timeline) ? document.timeline : [];
  const steps = timeline.length > 0 ? timelineSteps(timeline) : chatSteps(Array.isArray(document.chatMessages) ? document.chatMessages : []);
  const drafts: InteractionDraft[] = [];
  /** Per turn, the steps behind it: a rewritten file re-emits only the turns that changed or are new. */
  const signatures = new Map<InteractionDraft, string[]>();
  let draft: InteractionDraft | undefined;
  let lastAt = session.startedAt ?? fallbackAt;
  for (const step of steps) {
    // chatMessages carry no times: a turn without one starts 1 ms after what came before (order kept).
    const opensTurn = step.role === 'user' && (!draft || draft.hasAssistantActivity);
    const at = step.at ?? (opensTurn && draft ? lastAt + 1 : lastAt);
    lastAt = at;
    if (step.role === 'user') {
      if (step.text.trim() === '') continue;
      if (!draft || draft.hasAssistantActivity) {
        draft = new InteractionDraft(stableId('copilot-cli', session.nativeKey, 'step', step.id), session.id, 'copilot-cli', at);
        drafts.push(draft);
        signatures.set(draft, []);
      }
      signatures.get(draft)?.push(JSON.stringify(step));
      draft.addRequest(step.text);
      session.title ??= titleFrom(step.text);
      continue;
    }
    if (!draft) {
      draft = new InteractionDraft(stableId('copilot-cli', session.nativeKey, 'step', step.id), session.id, 'copilot-cli', at);
      drafts.push(draft);
      signatures.set(draft, []);
    }
    signatures.get(draft)?.push(JSON.stringify(step));
    draft.touch(at);
    if (step.role === 'assistant') draft.addResponse(step.text);
    else if (step.tool) toolStep(draft, step.tool, step.id, at);
  }
  for (const turn of drafts) session.seen(turn.endedAt);
  if (drafts.length === 0) return;
  const turns = drafts.map((turn) => ({ draft: turn, signature: stableId(...(signatures.get(turn) ?? [])) }));
  emitStoredSession({ key: session.nativeKey, session: session.record(fallbackAt), turns }, path, 'copilot-cli', emitter, sink);
}
