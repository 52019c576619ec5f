// Turns what is known about one interaction (its outcome events, its answer, the user's next
// message) into the named features of scoringFeatures.ts, and lists every outcome event it read so
// that a score can show its evidence, including events that deliberately count for nothing.
import type { OutcomeKind } from '../../protocol/records';
import { followUpReaction } from './followUpReaction';
import { responseAdmission } from './responseAdmissions';
import type { FeatureName } from './scoringFeatures';

export interface OutcomeRow {
  kind: OutcomeKind | string;
  value: number | null;
  detail: string | null;
}

export interface ScoringInput {
  /** The request this answer answers (its start is enough): a follow-up repeating it is a repeat. */
  userRequest?: string;
  assistantResponse: string;
  solutionsApplied: readonly string[];
  issuesEncountered: readonly string[];
  /** In the order they happened. */
  outcomes: readonly OutcomeRow[];
  /** The user's next request in the same session, if any: read as a reaction to this answer. */
  nextRequest?: string;
}

export interface FeatureValue { name: FeatureName; value: number; detail?: string }

/** Outcome events of one kind, as the breakdown lists them. */
export interface EvidenceEvent {
  kind: string;
  count: number;
  /** Up to three of the events' details. */
  details: string[];
  /** Why an event kind that was read adds nothing, e.g. the assistant's own "task completed". */
  ignored?: string;
}

/** Kinds read but never counted, with the reason shown to the user. */
const IGNORED: Record<string, string> = {
  task_completed: "the assistant's own claim that it finished is not evidence",
};

const INDICATOR_KINDS: ReadonlySet<string> = new Set([
  'patch_applied', 'patch_failed', 'suggestion_accepted', 'suggestion_rejected', 'edit_kept', 'edit_undone',
  'diagnostic_fixed', 'diagnostic_introduced', 'api_error', 'user_interrupt',
]);

function evidenceOf(outcomes: readonly OutcomeRow[]): EvidenceEvent[] {
  const byKind = new Map<string, EvidenceEvent>();
  for (const o of outcomes) {
    const kind = o.kind === 'exit_code' ? `exit_code ${o.value === null ? 'unknown' : o.value === 0 ? '0' : 'non-zero'}`
      : o.kind === 'vote' ? (o.value !== null && o.value > 0 ? 'vote_up' : o.value !== null && o.value < 0 ? 'vote_down' : 'vote 0') : o.kind;
    const entry = byKind.get(kind) ?? { kind, count: 0, details: [], ...(IGNORED[o.kind] ? { ignored: IGNORED[o.kind] } : {}) };
    entry.count++;
    if (o.detail && entry.details.length < 3) entry.details.push(o.detail.slice(0, 160));
    byKind.set(kind, entry);
  }
  return [...byKind.values()];
}

export function evidenceFeatures(input: ScoringInput): { features: FeatureValue[]; evidence: EvidenceEvent[] } {
  const features = new Map<FeatureName, FeatureValue>();
  const set = (name: FeatureName, value: number, detail?: string): void => {
    if (value !== 0 && !features.has(name)) features.set(name, { name, value: Math.round(value * 10000) / 10000, ...(detail ? { detail } : {}) });
  };
  const o = input.outcomes;
  const count = (kind: string): number => o.filter((r) => r.kind === kind).length;
  const firstDetail = (kind: string): string | undefined => o.find((r) => r.kind === kind && r.detail)?.detail?.slice(0, 160) ?? undefined;

  // The user's reaction. A correction the importer already recorded (Roo's feedback, for instance) is the same evidence.
  const recorded = o.find((r) => r.kind === 'user_correction');
  const reaction = followUpReaction(input.nextRequest, input.userRequest);
  if (recorded) set('reaction_correction', 1, recorded.detail?.slice(0, 160) ?? 'recorded as a correction');
  else if (reaction) set(`reaction_${reaction.kind}`, 1, reaction.lang ? `"${reaction.phrase}" (${reaction.lang})` : reaction.phrase);

  if (input.assistantResponse.trim() === '') set('empty_response', 1);
  const admission = responseAdmission(input.assistantResponse);
  if (admission) set('admission', 1, `"${admission.phrase}" (${admission.lang})`);
  if (input.solutionsApplied.length > 0) set('edits_made', 1, input.solutionsApplied.slice(0, 2).join('; ').slice(0, 160));

  const tests = o.filter((r) => r.kind === 'test_passed' || r.kind === 'test_failed');
  const lastTest = tests[tests.length - 1];
  if (lastTest) set(lastTest.kind === 'test_passed' ? 'tests_passed_last' : 'tests_failed_last', 1, lastTest.detail?.slice(0, 160) ?? undefined);

  const exits = o.filter((r) => r.kind === 'exit_code' && r.value !== null && Number.isFinite(r.value));
  const failedExits = exits.filter((r) => r.value !== 0);
  if (exits.length > 0) set('command_failure_share', failedExits.length / exits.length, `${failedExits.length} of ${exits.length} commands exited non-zero`);

  const toolErrors = count('tool_error');
  const toolCalls = toolErrors + count('tool_ok');
  if (toolCalls > 0) set('tool_error_share', toolErrors / toolCalls, `${toolErrors} of ${toolCalls} tool calls failed`);

  const votes = o.filter((r) => r.kind === 'vote' && r.value !== null && r.value !== 0);
  const lastVote = votes[votes.length - 1];
  if (lastVote) set(lastVote.value! > 0 ? 'vote_up' : 'vote_down', 1, lastVote.detail ?? undefined);

  for (const kind of INDICATOR_KINDS) if (count(kind) > 0) set(kind as FeatureName, 1, firstDetail(kind));
  return { features: [...features.values()], evidence: evidenceOf(o) };
}
