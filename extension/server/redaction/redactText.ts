// Replaces secrets with typed placeholders (`[GITHUB_TOKEN]`, `[EMAIL]`) and leaves every other
// character exactly as it was, so code and paths survive byte for byte. Placeholders match no rule,
// so redacting twice changes nothing.
import { findEmails } from './emailScanner';
import { REDACTION_RULES, type RedactionRule } from './rules';

/** Counts of what was redacted, by placeholder type; the panel shows them. */
export class RedactionTally {
  readonly counts = new Map<string, number>();

  add(type: string, n = 1): void {
    this.counts.set(type, (this.counts.get(type) ?? 0) + n);
  }

  merge(other: RedactionTally): void {
    for (const [type, n] of other.counts) this.add(type, n);
  }
}

export interface RedactionSummary {
  total: number;
  byType: Record<string, number>;
}

export function redactionSummary(tally: RedactionTally): RedactionSummary {
  const byType: Record<string, number> = {};
  let total = 0;
  for (const [type, n] of [...tally.counts].sort((a, b) => a[0].localeCompare(b[0]))) {
    byType[type] = n;
    total += n;
  }
  return { total, byType };
}

/** The shortest thing any rule matches is an email like `a@b.co`. */
const MIN_SECRET_LENGTH = 6;

export function redactText(text: string, tally?: RedactionTally): string {
  if (text.length < MIN_SECRET_LENGTH) return text;
  let out = text;
  for (const rule of REDACTION_RULES) {
    if (!hasTrigger(out, rule)) continue;
    out = applyRule(out, rule, tally);
  }
  if (out.includes('@')) out = redactEmails(out, tally);
  return out;
}

function hasTrigger(text: string, rule: RedactionRule): boolean {
  for (const trigger of rule.triggers) if (text.includes(trigger)) return true;
  return false;
}

function applyRule(text: string, rule: RedactionRule, tally: RedactionTally | undefined): string {
  const placeholder = `[${rule.type}]`;
  rule.pattern.lastIndex = 0;
  return text.replace(rule.pattern, (match: string, ...groups: unknown[]) => {
    const hasContext = typeof groups[0] === 'string' && typeof groups[1] === 'string';
    const secret = hasContext ? (groups[1] as string) : match;
    if (rule.keep?.(secret)) return match;
    tally?.add(rule.type);
    return hasContext ? (groups[0] as string) + placeholder + match.slice((groups[0] as string).length + secret.length) : placeholder;
  });
}

function redactEmails(text: string, tally: RedactionTally | undefined): string {
  const spans = findEmails(text);
  if (spans.length === 0) return text;
  let out = '';
  let from = 0;
  for (const span of spans) {
    out += text.slice(from, span.start) + '[EMAIL]';
    from = span.end;
  }
  tally?.add('EMAIL', spans.length);
  return out + text.slice(from);
}
