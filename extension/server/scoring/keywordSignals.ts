// Seed 000's heuristic: a solution count plus keyword indicators in the assistant's answer.
// Kept because it is all an imported transcript without outcomes can offer; its weight is small.
import type { ScoreSignal } from './scoreBreakdown';
import { round4 } from './scoreBreakdown';
import {
  ISSUE_CAP, ISSUE_WEIGHT, NEGATIVE_KEYWORDS, NEGATORS, POSITIVE_KEYWORDS, SOLUTION_CAP, SOLUTION_WEIGHT,
  type KeywordIndicator,
} from './scoringWeights';

export interface KeywordInput {
  assistantResponse: string;
  solutionsApplied: readonly string[];
  issuesEncountered: readonly string[];
  /** Tool errors are counted as outcomes; the issues they produced are not counted twice. */
  toolErrors: number;
}

/** Long answers are scanned at their start and end, where conclusions ("fixed", "failed") live. */
const SCAN_HEAD = 6000;
const SCAN_TAIL = 4000;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(indicator: KeywordIndicator): RegExp {
  return new RegExp(`\\b(?:${indicator.words.map(escape).join('|')})\\b`, 'gi');
}

const NEGATOR_BEFORE = new RegExp(`\\b(?:${NEGATORS.map(escape).join('|')})\\s+(?:\\S+\\s+)?$`, 'i');
const COMPILED = new Map<KeywordIndicator, RegExp>(
  [...POSITIVE_KEYWORDS, ...NEGATIVE_KEYWORDS].map((k) => [k, compile(k)]),
);

function scanWindow(text: string): string {
  return text.length <= SCAN_HEAD + SCAN_TAIL ? text : `${text.slice(0, SCAN_HEAD)}\n${text.slice(-SCAN_TAIL)}`;
}

/** First un-negated match of the indicator, or undefined. */
function findIndicator(text: string, indicator: KeywordIndicator, negatable: boolean): string | undefined {
  const pattern = COMPILED.get(indicator)!;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const before = text.slice(Math.max(0, m.index - 24), m.index);
    if (negatable && NEGATOR_BEFORE.test(before)) continue;
    return m[0];
  }
  return undefined;
}

export function keywordSignals(input: KeywordInput): ScoreSignal[] {
  const signals: ScoreSignal[] = [];
  const solutions = input.solutionsApplied.length;
  if (solutions > 0) {
    signals.push({
      name: 'solutions applied', part: 'heuristic', weight: SOLUTION_WEIGHT, value: solutions,
      contribution: round4(Math.min(SOLUTION_CAP, SOLUTION_WEIGHT * solutions)),
    });
  }
  const ownIssues = Math.max(0, input.issuesEncountered.length - input.toolErrors);
  if (ownIssues > 0) {
    signals.push({
      name: 'issues encountered', part: 'heuristic', weight: ISSUE_WEIGHT, value: ownIssues,
      contribution: round4(Math.max(ISSUE_CAP, ISSUE_WEIGHT * ownIssues)),
    });
  }
  const text = scanWindow(input.assistantResponse);
  for (const indicator of POSITIVE_KEYWORDS) {
    const hit = findIndicator(text, indicator, true);
    if (hit) signals.push({ name: indicator.name, part: 'heuristic', weight: indicator.weight, value: 1, contribution: indicator.weight, detail: hit });
  }
  for (const indicator of NEGATIVE_KEYWORDS) {
    const hit = findIndicator(text, indicator, true);
    if (hit) signals.push({ name: indicator.name, part: 'heuristic', weight: indicator.weight, value: 1, contribution: indicator.weight, detail: hit });
  }
  return signals;
}
