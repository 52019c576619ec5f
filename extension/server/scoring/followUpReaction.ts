// Reads the next request in a session as the user's reaction to the previous answer. "Still
// failing", "that's wrong" or "revert that" right after an answer is the most common evidence an
// assistant session contains, and no keyword scan of the answer itself can see it.

export type FollowUpReaction = { kind: 'correction' | 'confirmation'; phrase: string };

/** Only the start of the follow-up is read: a reaction comes first, a pasted log after it does not count. */
const READ_CHARS = 280;

const CORRECTION: readonly RegExp[] = [
  /\bstill\s+(?:fail\w*|broken|crash\w*|erroring|wrong|the same|happening|not\s+\w+|doesn'?t\s+\w+|does not\s+\w+|get(?:ting)?\s+(?:the|an?|this)?\s*(?:same\s+)?(?:error|exception|failure|issue))/i,
  /\b(?:that|this|it)(?:'s|\s+is|\s+was)\s+(?:wrong|incorrect|not right|not what)/i,
  /\bnot what i (?:asked|wanted|meant|need)/i,
  // "X doesn't work" alone is often a fresh bug report, so the present tense needs a subject that
  // points back at the answer; the past tense ("didn't work") almost always does.
  /\b(?:it|this|that|still|your (?:fix|change|code|solution|answer|suggestion))\s+(?:doesn'?t|does not|won'?t|will not|isn'?t|is not)\s+(?:work|compile|build|run|help|fix|solve|pass|load|start)\w*/i,
  /\b(?:didn'?t|did not)\s+(?:work|help|fix|solve|change anything)\b/i,
  /\bsame (?:error|problem|issue|exception|failure|result|bug)\b/i,
  /\b(?:you|it|this|that)\s+(?:broke|has broken|just broke)\b/i,
  /\bnow (?:it|this|everything)(?:'s|\s+is)\s+broken\b/i,
  /\b(?:made it|makes it|is) worse\b/i,
  /\b(?:revert|roll\s*back)\b/i,
  /\bundo (?:that|this|it|your|the (?:last )?change)/i,
  /\bput it back\b/i,
  /\b(?:fails|failed|failing|errors?|crash(?:es|ed)?) again\b/i,
  /\byou (?:forgot|missed|ignored|misunderstood|broke)\b/i,
  /^\s*(?:no|nope|wrong)\b[\s,.!]/i,
];

const CONFIRMATION: readonly RegExp[] = [
  /^\s*(?:thanks|thank you|thx|great|perfect|awesome|excellent|nice|cool|lgtm)\b/i,
  /\b(?:that|it|this)\s+(?:works|worked|fixed it|did it|did the trick|solved it)\b/i,
  /\bworks (?:now|perfectly|great|fine)\b/i,
  /\ball (?:the )?tests? (?:pass|passed|passing|are passing|are green)\b/i,
  /\blooks good\b/i,
];

export function followUpReaction(nextRequest: string | undefined): FollowUpReaction | undefined {
  if (!nextRequest) return undefined;
  const head = nextRequest.slice(0, READ_CHARS);
  for (const pattern of CORRECTION) {
    const m = pattern.exec(head);
    if (m) return { kind: 'correction', phrase: m[0].trim() };
  }
  for (const pattern of CONFIRMATION) {
    const m = pattern.exec(head);
    if (m) return { kind: 'confirmation', phrase: m[0].trim() };
  }
  return undefined;
}
