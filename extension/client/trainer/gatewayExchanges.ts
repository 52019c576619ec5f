// What the extension takes from a trainer-server's "capture" events: gateway exchanges of exactly
// the shape the gateway makes (exchangeRecord.ts), a session row and an unscored interaction, both
// with source 'gateway' and gateway- ids. Everything is rebuilt field by field from what is checked
// (no unknown field rides along) and redacted again here, so a server that is not ours, or one that
// missed a secret, cannot put deletes, scores, outcomes, rows of other sources or secrets in the store.
// No 'vscode' import: unit tests run it.
import type { CaptureEvent, InteractionRecord, SessionRecord } from '../../protocol/records';
import { redactCaptureEvent } from '../../shared/redaction/redactCaptureEvent';
import { RedactionTally } from '../../shared/redaction/redactText';

export interface ReceivedExchanges {
  /** Checked, rebuilt and redacted: safe to store. */
  accepted: Array<{ id: string; events: CaptureEvent[] }>;
  /** Refused, with the reason; the trainer-server keeps them (they are not acknowledged). */
  rejected: Array<{ id: string; reason: string }>;
}

const MAX_ID = 200;
const MAX_TEXT = 1_000_000;
const MAX_TITLE = 1_000;
const MAX_ISSUES = 10;

class Refused extends Error {}

export function receiveGatewayExchanges(payload: unknown, tally = new RedactionTally()): ReceivedExchanges {
  const result: ReceivedExchanges = { accepted: [], rejected: [] };
  if (!Array.isArray(payload)) {
    result.rejected.push({ id: '?', reason: 'the capture event carries no list of exchanges' });
    return result;
  }
  for (const item of payload) {
    const id = isRecord(item) && typeof item.id === 'string' ? item.id.slice(0, MAX_ID) : '?';
    try {
      const events = exchangeEvents(item).map((event) => redactCaptureEvent(event, tally));
      result.accepted.push({ id, events });
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      result.rejected.push({ id, reason: error.message });
    }
  }
  return result;
}

function exchangeEvents(item: unknown): CaptureEvent[] {
  if (!isRecord(item)) throw new Refused('an exchange is not an object');
  const id = gatewayId(item.id, 'exchange id');
  if (!Array.isArray(item.events) || item.events.length !== 2) throw new Refused('an exchange must hold one session and one interaction');
  const [first, second] = item.events as unknown[];
  if (!isRecord(first) || first.type !== 'session') throw new Refused(`event 1 is ${describeType(first)}, not a session`);
  if (!isRecord(second) || second.type !== 'interaction') throw new Refused(`event 2 is ${describeType(second)}, not an interaction`);
  const session = sessionOf(first.session);
  const interaction = interactionOf(second.interaction);
  if (interaction.id !== id) throw new Refused('the interaction id is not the exchange id');
  if (interaction.sessionId !== session.id) throw new Refused('the interaction belongs to another session');
  return [{ type: 'session', session }, { type: 'interaction', interaction }];
}

function sessionOf(value: unknown): SessionRecord {
  if (!isRecord(value)) throw new Refused('the session is not an object');
  if (value.source !== 'gateway') throw new Refused(`a session of source ${String(value.source)} (only gateway sessions are taken)`);
  return {
    id: gatewayId(value.id, 'session id'),
    source: 'gateway',
    title: optionalText(value.title, 'session title', MAX_TITLE),
    model: optionalText(value.model, 'model', MAX_ID),
    startedAt: time(value.startedAt, 'session start'),
    endedAt: value.endedAt === undefined ? undefined : time(value.endedAt, 'session end'),
  };
}

function interactionOf(value: unknown): InteractionRecord {
  if (!isRecord(value)) throw new Refused('the interaction is not an object');
  if (value.source !== 'gateway') throw new Refused(`an interaction of source ${String(value.source)} (only gateway interactions are taken)`);
  if (value.effectiveness !== null) throw new Refused('a pre-scored interaction (the extension scores interactions itself)');
  if (value.outcomes !== undefined) throw new Refused('an interaction carrying outcome events');
  for (const field of ['tools_used', 'files_modified', 'solutions_applied'] as const) {
    if (!Array.isArray(value[field]) || (value[field] as unknown[]).length > 0) throw new Refused(`${field} must be an empty list for a gateway exchange`);
  }
  const issues = value.issues_encountered;
  if (!Array.isArray(issues) || issues.length > MAX_ISSUES) throw new Refused('issues_encountered is not a short list');
  return {
    id: gatewayId(value.id, 'interaction id'),
    sessionId: gatewayId(value.sessionId, 'interaction session id'),
    source: 'gateway',
    model: optionalText(value.model, 'model', MAX_ID),
    startedAt: time(value.startedAt, 'interaction start'),
    endedAt: value.endedAt === undefined ? undefined : time(value.endedAt, 'interaction end'),
    user_request: text(value.user_request, 'user_request', MAX_TEXT),
    assistant_response: text(value.assistant_response, 'assistant_response', MAX_TEXT),
    tools_used: [],
    files_modified: [],
    issues_encountered: issues.map((issue) => text(issue, 'issue', MAX_TITLE)),
    solutions_applied: [],
    effectiveness: null,
  };
}

/** Gateway rows have ids of their own (gateway-…), so an exchange can never overwrite an imported or captured row. */
function gatewayId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^gateway-[A-Za-z0-9-]{1,100}$/.test(value)) throw new Refused(`${what} ${JSON.stringify(String(value).slice(0, 60))} is not a gateway id`);
  return value;
}

function text(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string') throw new Refused(`${what} is not text`);
  if (value.length > max) throw new Refused(`${what} is longer than ${max} characters`);
  return value;
}

function optionalText(value: unknown, what: string, max: number): string | undefined {
  return value === undefined ? undefined : text(value, what, max);
}

function time(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Refused(`${what} is not a time`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  return isRecord(value) && typeof value.type === 'string' ? `a ${value.type.slice(0, 30)} event` : 'not an event';
}
