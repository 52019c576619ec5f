// Turns one @autodidact chat turn into capture events (a session row and an interaction in seed
// 000's schema), and a vote into an outcome event. The ids live in the turn's result metadata, so
// the next turn finds its session and a vote finds its interaction.
import type { CaptureEvent, OutcomeEvent } from '../../protocol/records';
import { redactText } from '../../shared/redaction/redactText';

export interface ChatToolCall {
  name: string;
  ok: boolean;
  /** Short: the input or the error, already cut. */
  detail?: string;
}

export interface ChatTurn {
  interactionId: string;
  sessionId: string;
  /** First turn of the conversation: the session row gets its title and start. */
  newSession: boolean;
  prompt: string;
  references: string[];
  response: string;
  model?: string;
  toolCalls: ChatToolCall[];
  issues: string[];
  startedAt: number;
  endedAt: number;
  workspace?: string;
}

/** What a turn's ChatResult.metadata carries. */
export interface ChatResultMetadata {
  interactionId: string;
  sessionId: string;
}

const TITLE_CHARS = 100;

export function chatTurnEvents(turn: ChatTurn, newId: () => string): CaptureEvent[] {
  const outcomes: OutcomeEvent[] = turn.toolCalls.map((call) => ({
    id: newId(), interactionId: turn.interactionId, sessionId: turn.sessionId,
    kind: call.ok ? 'tool_ok' : 'tool_error', detail: call.detail ? `${call.name}: ${call.detail}` : call.name, at: turn.endedAt,
  }));
  return [
    {
      type: 'session',
      session: {
        id: turn.sessionId, source: 'chat-participant', model: turn.model, workspace: turn.workspace, startedAt: turn.startedAt, endedAt: turn.endedAt,
        ...(turn.newSession ? { title: turn.prompt.replace(/\s+/g, ' ').trim().slice(0, TITLE_CHARS) } : {}),
      },
    },
    {
      type: 'interaction',
      interaction: {
        id: turn.interactionId, sessionId: turn.sessionId, source: 'chat-participant', model: turn.model,
        startedAt: turn.startedAt, endedAt: turn.endedAt,
        user_request: turn.prompt, assistant_response: turn.response,
        tools_used: [...new Set(turn.toolCalls.map((c) => c.name))],
        files_modified: [], // edits come later, as file touches linked to this interaction
        issues_encountered: [...turn.issues, ...turn.toolCalls.filter((c) => !c.ok).map((c) => `tool ${c.name} failed${c.detail ? `: ${c.detail}` : ''}`)],
        solutions_applied: [],
        effectiveness: null,
        outcomes,
        // Redacted here and again by redactCaptureEvent on capture: the turn's events never hold a secret.
        references: turn.references.map((label) => redactText(label)),
      },
    },
  ];
}

/** One vote per interaction: the id is fixed, so changing the vote replaces it (the store upserts). */
export function voteOutcome(meta: ChatResultMetadata, helpful: boolean, at: number): OutcomeEvent {
  return { id: `vote-${meta.interactionId}`, interactionId: meta.interactionId, sessionId: meta.sessionId, kind: 'vote', value: helpful ? 1 : -1, at };
}

export function readChatMetadata(metadata: unknown): ChatResultMetadata | undefined {
  const m = metadata as Partial<ChatResultMetadata> | undefined;
  return typeof m?.interactionId === 'string' && typeof m.sessionId === 'string' ? { interactionId: m.interactionId, sessionId: m.sessionId } : undefined;
}

/** The session of the latest earlier turn of this conversation, if any. */
export function sessionFromHistory(metadatas: readonly unknown[]): string | undefined {
  for (let i = metadatas.length - 1; i >= 0; i--) {
    const meta = readChatMetadata(metadatas[i]);
    if (meta) return meta.sessionId;
  }
  return undefined;
}
