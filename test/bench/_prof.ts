import { readFileSync } from 'node:fs';
import { REDACTION_RULES } from '../../extension/server/redaction/rules';
import { findEmails } from '../../extension/server/redaction/emailScanner';
import { fixture, fixtureFiles } from '../unit/importersSupport';
const text = fixtureFiles().map((f) => readFileSync(fixture(f), 'utf8')).join('\n');
const t = (label: string, fn: () => unknown): void => { const s = performance.now(); for (let i = 0; i < 5; i++) fn(); console.log(label.padEnd(24), ((performance.now() - s) / 5).toFixed(1), 'ms'); };
for (const rule of REDACTION_RULES) {
  t(rule.type + ' trig', () => rule.triggers.some((x) => text.includes(x)));
  t(rule.type + ' re', () => { rule.pattern.lastIndex = 0; return text.replace(rule.pattern, 'X'); });
}
t('emails', () => findEmails(text));
console.log(text.length);
