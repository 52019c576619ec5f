// A gateway exchange as the extension's store records it: a session (one per conversation, keyed by
// its opening messages, since the OpenAI API is stateless) and an interaction with source 'gateway'
// and the version that answered, so effectiveness can be compared per version. Secrets are redacted
// here, before anything is written to the trainer's disk.
import { createHash, randomUUID } from 'node:crypto';
import type { CaptureEvent, InteractionRecord } from '../../../extension/protocol/records';
import type { CapturedExchange } from '../../../extension/protocol/trainerProtocol';
import { redactCaptureEvent } from '../../../extension/shared/redaction/redactCaptureEvent';
import { RedactionTally } from '../../../extension/shared/redaction/redactText';

export interface GatewayExchange {
  messages: Array<{ role: string; content: string }>;
  response: string;
  /** The gateway model name of the version that answered (autodidact-v1.2). */
  model: string;
  startedAt: number;
  endedAt: number;
  finishReason: string;
  /** The trainer-server's own token: it has no shape a rule could find, so it is replaced by value. */
  serverToken?: string;
  /** Ids of the lessons recall put in the request's context. */
  recalledLessons?: string[];
  /** Names of the functions the answer called (gateway/toolCalls.ts), in order. */
  toolsUsed?: string[];
}

const SERVER_TOKEN_PLACEHOLDER = '[TRAINER_TOKEN]';

/** Replaces the server's token wherever a user pasted it; counted like any other redaction. */
function withoutServerToken(exchange: GatewayExchange, tally: RedactionTally): GatewayExchange {
  const token = exchange.serverToken;
  if (!token) return exchange;
  const scrub = (text: string): string => {
    if (!text.includes(token)) return text;
    tally.add('TRAINER_TOKEN', token);
    return text.split(token).join(SERVER_TOKEN_PLACEHOLDER);
  };
  return { ...exchange, messages: exchange.messages.map((m) => ({ ...m, content: scrub(m.content) })), response: scrub(exchange.response) };
}

/**
 * How the answer ended, for a reader of the record: an exchange whose client disconnected ('cancelled')
 * holds only what was sent before it left and says it was not delivered, never that it was cut off at max_tokens.
 */
function issuesOf(exchange: GatewayExchange): string[] {
  if (exchange.finishReason === 'cancelled') {
    return [exchange.response === '' ? 'not delivered: the client disconnected before any of the answer was sent'
      : 'not delivered in full: the client disconnected; only this part of the answer was sent'];
  }
  return exchange.finishReason === 'length' ? ['response cut off at max_tokens'] : [];
}

export function conversationId(messages: GatewayExchange['messages']): string {
  const opening = messages.filter((m) => m.role === 'system').slice(0, 1).concat(messages.filter((m) => m.role === 'user').slice(0, 1));
  return `gateway-${createHash('sha256').update(JSON.stringify(opening)).digest('hex').slice(0, 20)}`;
}

export function capturedExchange(original: GatewayExchange, tally = new RedactionTally()): CapturedExchange {
  const exchange = withoutServerToken(original, tally);
  const sessionId = conversationId(exchange.messages);
  const lastUser = [...exchange.messages].reverse().find((m) => m.role === 'user');
  const interaction: InteractionRecord = {
    id: `gateway-${randomUUID()}`,
    sessionId,
    source: 'gateway',
    model: exchange.model,
    startedAt: exchange.startedAt,
    endedAt: exchange.endedAt,
    user_request: lastUser?.content ?? '',
    assistant_response: exchange.response,
    tools_used: exchange.toolsUsed ?? [],
    files_modified: [],
    issues_encountered: issuesOf(exchange),
    solutions_applied: [],
    effectiveness: null,
    ...(exchange.recalledLessons?.length ? { recalledLessons: exchange.recalledLessons } : {}),
  };
  const events: CaptureEvent[] = [
    { type: 'session', session: { id: sessionId, source: 'gateway', title: (lastUser?.content ?? '').slice(0, 80), model: exchange.model, startedAt: exchange.startedAt, endedAt: exchange.endedAt } },
    { type: 'interaction', interaction },
  ];
  return { id: interaction.id, events: events.map((event) => redactCaptureEvent(event, tally)) };
}
