// Finds where any rule's trigger occurs in one pass over the text. Thirty-odd indexOf scans cost
// thirty passes; here each character costs one table lookup on the pair it starts, and only
// positions whose pair begins some trigger are compared in full.
import type { RedactionRule } from './rules';

export interface TriggerHit {
  at: number;
  /** Rules with a trigger starting here, in table order. */
  rules: readonly RedactionRule[];
}

interface Candidate { trigger: string; rule: RedactionRule }

export class TriggerIndex {
  private readonly pairs = new Uint8Array(65536);
  private readonly byPair = new Map<number, Candidate[]>();

  constructor(private readonly rules: readonly RedactionRule[]) {
    for (const rule of rules) {
      for (const trigger of rule.triggers) {
        const key = pairKey(trigger.charCodeAt(0), trigger.charCodeAt(1));
        this.pairs[key] = 1;
        const list = this.byPair.get(key) ?? [];
        list.push({ trigger, rule });
        this.byPair.set(key, list);
      }
    }
  }

  scan(text: string): TriggerHit[] {
    const hits: TriggerHit[] = [];
    const pairs = this.pairs;
    const last = text.length - 1;
    let previous = text.charCodeAt(0);
    for (let i = 0; i < last; i++) {
      const next = text.charCodeAt(i + 1);
      const key = pairKey(previous, next);
      previous = next;
      if (pairs[key] === 0) continue;
      let rules: RedactionRule[] | undefined;
      for (const candidate of this.byPair.get(key) ?? []) {
        if (!text.startsWith(candidate.trigger, i)) continue;
        if (!rules) rules = [];
        if (!rules.includes(candidate.rule)) rules.push(candidate.rule);
      }
      if (rules) hits.push({ at: i, rules: rules.length > 1 ? this.inTableOrder(rules) : rules });
    }
    return hits;
  }

  private inTableOrder(rules: RedactionRule[]): RedactionRule[] {
    return this.rules.filter((rule) => rules.includes(rule));
  }
}

/** Low bytes of two char codes: collisions between non-ASCII characters only cost a compare. */
function pairKey(a: number, b: number): number {
  return ((a & 0xff) << 8) | (b & 0xff);
}
