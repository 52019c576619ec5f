// Replaces secrets with typed placeholders (`[GITHUB_TOKEN]`, `[EMAIL]`) and leaves every other
// character exactly as it was, so code and paths survive byte for byte. Placeholders match no rule,
// so redacting twice changes nothing.
import { createHash } from 'node:crypto';
import { findSecretAssignments } from './assignmentScanner';
import { findEmails } from './emailScanner';
import { replaceKnownSecrets } from './knownSecrets';
import { REDACTION_RULES, type RedactionRule } from './rules';
import { TriggerIndex, type TriggerHit } from './triggerScan';

/**
 * What was redacted, by placeholder type; the panel shows it. Counts distinct secrets, not
 * replacements: the same key repeated in a request, its session title and a tool error is one key.
 * Only a short hash of each secret is kept.
 */
export class RedactionTally {
  private readonly seen = new Map<string, Set<string>>();

  add(type: string, secret: string): void {
    let hashes = this.seen.get(type);
    if (!hashes) this.seen.set(type, (hashes = new Set()));
    hashes.add(createHash('sha256').update(secret).digest('base64').slice(0, 16));
  }

  merge(other: RedactionTally): void {
    for (const [type, hashes] of other.seen) {
      let mine = this.seen.get(type);
      if (!mine) this.seen.set(type, (mine = new Set()));
      for (const hash of hashes) mine.add(hash);
    }
  }

  get counts(): Map<string, number> {
    return new Map([...this.seen].map(([type, hashes]) => [type, hashes.size]));
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

const TRIGGERS = new TriggerIndex(REDACTION_RULES);

export function redactText(text: string, tally?: RedactionTally): string {
  if (text.length < MIN_SECRET_LENGTH) return text;
  const plain = replaceKnownSecrets(text, (hit) => tally?.add(hit.type, hit.secret));
  const hits = TRIGGERS.scan(plain);
  let out = hits.length === 0 ? plain : applyHits(plain, hits, tally);
  out = redactAssignments(out, tally);
  if (out.includes('@')) out = redactEmails(out, tally);
  return out;
}

/** Values of secret-named keys (`DB_PASSWORD=...`, `"api_key": "..."`); see assignmentScanner. */
function redactAssignments(text: string, tally: RedactionTally | undefined): string {
  return replaceSpans(text, findSecretAssignments(text), (span) => span.type, tally);
}

/** `text` with each span (in order, none overlapping) replaced by its `[TYPE]` placeholder and counted in the tally. */
function replaceSpans<S extends { start: number; end: number }>(text: string, spans: readonly S[], typeOf: (span: S) => string, tally: RedactionTally | undefined): string {
  if (spans.length === 0) return text;
  let out = '';
  let from = 0;
  for (const span of spans) {
    const type = typeOf(span);
    out += text.slice(from, span.start) + `[${type}]`;
    tally?.add(type, text.slice(span.start, span.end));
    from = span.end;
  }
  return out + text.slice(from);
}

/** A character that continues a token: a match right after one is part of a longer word. */
function isTokenChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45;
}

const anchored = new Map<RedactionRule, RegExp>();

/** The rule's pattern as a sticky regex: tried exactly at a trigger position. */
function anchoredPattern(rule: RedactionRule): RegExp {
  let regex = anchored.get(rule);
  if (!regex) {
    regex = new RegExp(rule.pattern.source, `${rule.pattern.flags.replace(/[gy]/g, '')}y`);
    anchored.set(rule, regex);
  }
  return regex;
}

/**
 * Left to right over the trigger hits; at one position the rules are tried in table order and the
 * first match wins. A hit inside a span already replaced is skipped (a token inside a key block).
 */
function applyHits(text: string, hits: readonly TriggerHit[], tally: RedactionTally | undefined): string {
  const parts: string[] = [];
  let copied = 0;
  for (const hit of hits) {
    if (hit.at < copied) continue;
    for (const rule of hit.rules) {
      if (rule.tokenStart && hit.at > 0 && isTokenChar(text.charCodeAt(hit.at - 1))) continue;
      const regex = anchoredPattern(rule);
      regex.lastIndex = hit.at;
      const match = regex.exec(text);
      if (!match) continue;
      const hasContext = match.length >= 3 && match[2] !== undefined;
      const secret = hasContext ? match[2] : match[0];
      if (rule.keep?.(secret)) continue;
      const start = hasContext ? hit.at + match[1].length : hit.at;
      parts.push(text.slice(copied, start), `[${rule.type}]`);
      copied = start + secret.length;
      tally?.add(rule.type, secret);
      break;
    }
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

function redactEmails(text: string, tally: RedactionTally | undefined): string {
  return replaceSpans(text, findEmails(text), () => 'EMAIL', tally);
}
