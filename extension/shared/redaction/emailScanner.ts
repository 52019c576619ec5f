// Emails are found by walking out from each '@' instead of with a regex: '@' is common in code
// (decorators, npm scopes, `pkg@1.2.3`), and a regex that starts with a character class would
// retry at every letter of long words. A match needs a local part and a dotted domain whose last
// label is 2+ letters, so `lodash@4.17.21`, `@types/node` and `user@localhost` stay as they are,
// and one followed by '/' is a package or URL path, not an address.

function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** [A-Za-z0-9._%+-], by char code: this runs on every '@' of every string. */
function isLocal(code: number): boolean {
  return isAlnum(code) || code === 46 || code === 95 || code === 37 || code === 43 || code === 45;
}

/** [A-Za-z0-9-] */
function isDomain(code: number): boolean {
  return isAlnum(code) || code === 45;
}

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
    while (start > floor && isLocal(text.charCodeAt(start - 1))) start--;
    const tooLong = start === at - MAX_LOCAL && start > minStart && isLocal(text.charCodeAt(start - 1));
    while (start < at && text[start] === '.') start++;
    let end = at + 1;
    let lastDot = -1;
    while (end < text.length && end - at <= MAX_DOMAIN && (isDomain(text.charCodeAt(end)) || (text[end] === '.' && end + 1 < text.length && isDomain(text.charCodeAt(end + 1))))) {
      if (text[end] === '.') lastDot = end;
      end++;
    }
    const local = text.slice(start, at);
    const tld = lastDot === -1 ? '' : text.slice(lastDot + 1, end);
    // Not an address: a local part ending in '.', or a "domain" that continues as a path
    // (`pkg@scope.io/name`, npm scopes and URLs glued together in dumps).
    const plausible = !local.endsWith('.') && !local.includes('..') && text[end] !== '/';
    if (!tooLong && plausible && local.length > 0 && lastDot > at + 1 && /^[A-Za-z]{2,24}$/.test(tld) && !SERVICE_USERS.has(local)) {
      spans.push({ start, end });
      minStart = end;
      at = text.indexOf('@', end);
    } else {
      at = text.indexOf('@', at + 1);
    }
  }
  return spans;
}
