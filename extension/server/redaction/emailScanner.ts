// Emails are found by walking out from each '@' instead of with a regex: '@' is common in code
// (decorators, npm scopes, `pkg@1.2.3`), and a regex that starts with a character class would
// retry at every letter of long words. A match needs a local part and a dotted domain whose last
// label is 2+ letters, so `lodash@4.17.21`, `@types/node` and `user@localhost` stay as they are.

const LOCAL = /[A-Za-z0-9._%+-]/;
const DOMAIN = /[A-Za-z0-9-]/;

/** SSH remotes (`git@github.com:org/repo`) are addresses of a service, not of a person. */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;

const SERVICE_USERS = new Set(['git']);

export interface EmailSpan { start: number; end: number }

export function findEmails(text: string): EmailSpan[] {
  const spans: EmailSpan[] = [];
  let at = text.indexOf('@');
  let minStart = 0;
  while (at !== -1) {
    let start = at;
    const floor = Math.max(minStart, at - MAX_LOCAL);
    while (start > floor && LOCAL.test(text[start - 1])) start--;
    const tooLong = start === at - MAX_LOCAL && start > minStart && LOCAL.test(text[start - 1] ?? '');
    while (start < at && text[start] === '.') start++;
    let end = at + 1;
    let lastDot = -1;
    while (end < text.length && end - at <= MAX_DOMAIN && (DOMAIN.test(text[end]) || (text[end] === '.' && end + 1 < text.length && DOMAIN.test(text[end + 1])))) {
      if (text[end] === '.') lastDot = end;
      end++;
    }
    const local = text.slice(start, at);
    const tld = lastDot === -1 ? '' : text.slice(lastDot + 1, end);
    if (!tooLong && local.length > 0 && lastDot > at + 1 && /^[A-Za-z]{2,24}$/.test(tld) && !SERVICE_USERS.has(local)) {
      spans.push({ start, end });
      minStart = end;
      at = text.indexOf('@', end);
    } else {
      at = text.indexOf('@', at + 1);
    }
  }
  return spans;
}
