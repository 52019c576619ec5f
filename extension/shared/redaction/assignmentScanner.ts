// Secrets with no recognisable shape of their own, found by the name they are assigned to: a .env
// line (`DB_PASSWORD=...`), YAML (`password: ...`), JSON (`"api_key": "..."`), TOML/INI/code
// (`api_key = "..."`, `password := "..."`, `'token' => '...'`), HTTP headers (`X-Api-Key: ...`) and
// connection strings (`...;AccountKey=...;`). Modelled on gitleaks' generic-api-key rule (a
// secret-like key name, an assignment, a value that looks random), which is not published as data
// on npm; see rules.ts for the choice.
//
// The scanner starts from the few places a secret-like word occurs (pass, token, key...), takes the
// key name around it, and looks for an operator and a value after it: JSON has a `:` after every key,
// so starting from the operators would cost a look at each of them.
// Values are only redacted when they are literals: `password = get_password()`,
// `token: req.headers.token`, `password: string` (a type) and `${PASSWORD}` stay as they are.

export interface AssignmentSpan { start: number; end: number; type: 'PASSWORD' | 'SECRET' }

const MAX_KEY = 80;
const MAX_VALUE = 4096;
/** Bare values (env, YAML, INI) are single short tokens; a longer run is not one value (and skipping it keeps hostile text linear). */
const MAX_BARE_VALUE = 256;
const MAX_GAP = 8;

/** [A-Za-z0-9_.-] */
function isKeyChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45 || code === 46;
}

function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

const QUOTES = new Set(['"', "'", '`']);

export function findSecretAssignments(text: string): AssignmentSpan[] {
  const spans: AssignmentSpan[] = [];
  const hints = HINTS;
  hints.lastIndex = 0;
  for (let hint = hints.exec(text); hint; hint = hints.exec(text)) {
    const key = keyAround(text, hint.index);
    hints.lastIndex = Math.max(hints.lastIndex, key.end);
    const at = operatorAfter(text, key.end);
    if (at === -1) continue;
    const type = cachedKeyType(key.name);
    if (!type) continue;
    const op = operatorAt(text, at);
    if (op === 0) continue;
    const value = valueAfter(text, at + op);
    if (!value) continue;
    const literal = text.slice(value.start, value.end);
    const envStyle = op === 1 && text[at] === '=' && !key.quoted && /^[A-Z][A-Z0-9_]*$/.test(key.name) && !isBlank(text[at - 1]) && !isBlank(text[at + 1]);
    if (!isSecretValue(literal, type, value.quoted, envStyle)) continue;
    spans.push({ start: value.start, end: value.end, type });
    hints.lastIndex = value.end;
  }
  return spans;
}

/**
 * Every secret key name contains one of these (lower, upper or capitalised: pass, pwd, secret, sig,
 * token, key, auth, cred); the scan starts from them, not from every `:` of a JSON file. Spelled out
 * with character classes because that runs about twice as fast as the same words with the `i` flag.
 */
const SECRET_HINT = /[Pp](?:ass|ASS|wd|WD)|[Ss](?:ecret|ECRET|ig|IG)|[Tt](?:oken|OKEN)|[Kk](?:ey|EY)|[Aa](?:uth|UTH)|[Cc](?:red|RED)/;
/** One global instance, reset per call: a scan never calls itself, and compiling one per string costs more than the scan of a short one. */
const HINTS = new RegExp(SECRET_HINT.source, 'g');

/** The key-name characters around a hint: `DB_PASSWORD`, `api_key`; `quoted` when a quote closes it. */
function keyAround(text: string, at: number): { name: string; end: number; quoted: boolean } {
  // Both walks are bounded, so a long run of key characters (base64, minified code) costs linear time.
  let start = at;
  while (start > 0 && at - start < MAX_KEY && isKeyChar(text.charCodeAt(start - 1))) start--;
  let end = at;
  while (end < text.length && end - at < MAX_KEY && isKeyChar(text.charCodeAt(end))) end++;
  if ((start > 0 && isKeyChar(text.charCodeAt(start - 1))) || (end < text.length && isKeyChar(text.charCodeAt(end)))) {
    return { name: '', end, quoted: false }; // longer than any key name
  }
  const name = text.slice(start, end).replace(/^[-.]+/, '');
  const next = text[end] === '\\' ? text[end + 1] : text[end];
  return { name: /^[A-Za-z_]/.test(name) ? name : '', end, quoted: next !== undefined && QUOTES.has(next) };
}

/** Where the operator after a key is: past a closing quote (maybe escaped) and a few blanks; -1 if none. */
function operatorAfter(text: string, end: number): number {
  let i = end;
  if (text[i] === '\\' && QUOTES.has(text[i + 1])) i += 2;
  else if (QUOTES.has(text[i])) i++;
  let gap = 0;
  while (isBlank(text[i]) && gap++ < MAX_GAP) i++;
  return text[i] === '=' || text[i] === ':' ? i : -1;
}

/** The operator's length at `i` (`=`, `:`, `:=`, `=>`), or 0 where `i` is no assignment (`==`, `::`, `://`, `<=`). */
function operatorAt(text: string, i: number): number {
  const ch = text[i];
  const next = text[i + 1];
  const prev = text[i - 1];
  if (ch === ':') {
    if (next === ':' || prev === ':' || next === '/') return 0;
    return next === '=' ? 2 : 1;
  }
  if (next === '=' || prev === '=' || prev === '!' || prev === '<' || prev === '>') return 0;
  return next === '>' ? 2 : 1;
}

/** The literal right of the operator, without its quotes; undefined when there is none on this line. */
function valueAfter(text: string, at: number): { start: number; end: number; quoted: boolean } | undefined {
  let i = at;
  let gap = 0;
  while (isBlank(text[i]) && gap++ < MAX_GAP) i++;
  let quote = '';
  if (text[i] === '\\' && QUOTES.has(text[i + 1])) quote = `\\${text[i + 1]}`;
  else if (QUOTES.has(text[i])) quote = text[i];
  if (quote) {
    const start = i + quote.length;
    // The closing quote on the same line, within MAX_VALUE: a bounded walk, not indexOf to the end of a long text.
    const limit = Math.min(text.length, start + MAX_VALUE);
    for (let close = start; close < limit; close++) {
      const ch = text[close];
      if (ch === '\n') return undefined;
      if (text.startsWith(quote, close)) return close > start ? { start, end: close, quoted: true } : undefined;
    }
    return undefined;
  }
  const start = i;
  while (i < text.length && i - start < MAX_BARE_VALUE && !endsBareValue(text.charCodeAt(i)) && !startsAnotherAssignment(text, i)) i++;
  if (i - start >= MAX_BARE_VALUE) return undefined;
  // A literal `\n` (a newline escaped inside a JSON string) ends the value too.
  const escaped = text.slice(start, i).search(/\\[nrt"']/);
  const end = escaped === -1 ? i : start + escaped;
  return end > start ? { start, end, quoted: false } : undefined;
}

/** An `=` inside a bare value that is not base64 padding (`==;`, `=` at the end) starts the next `key=value`. */
function startsAnotherAssignment(text: string, i: number): boolean {
  if (text.charCodeAt(i) !== 61) return false;
  const next = text.charCodeAt(i + 1);
  return !Number.isNaN(next) && next !== 61 && !endsBareValue(next);
}

/** Characters that end a bare value, as a table by char code (this runs on every character of a value). */
const BARE_VALUE_END = new Uint8Array(128);
for (const ch of ' \t\n\r,;&"\'`)}]<>|') BARE_VALUE_END[ch.charCodeAt(0)] = 1;

function endsBareValue(code: number): boolean {
  return code < 128 && BARE_VALUE_END[code] === 1;
}

/** Splits `DB_PASSWORD`, `clientSecret`, `x-api-key`, `AccountKey` into lower-case words. */
function keyWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode']);
const SECRET_WORDS = new Set(['secret', 'token', 'apikey', 'credential', 'credentials', 'creds', 'auth', 'sig', 'accountkey', 'accesskey', 'secretkey', 'privatekey', 'masterkey']);
/** `<word> key` names a secret key: api key, access key, account key (Azure), shared access key... */
const KEY_QUALIFIERS = new Set(['api', 'access', 'secret', 'private', 'account', 'client', 'auth', 'encryption', 'signing', 'master', 'app', 'sas', 'subscription', 'session']);

/** Key names repeat (`"token":` in every line of a log): their verdicts are kept, up to a bound. */
const keyTypes = new Map<string, AssignmentSpan['type'] | null>();
const KEY_TYPE_CACHE = 4096;

function cachedKeyType(name: string): AssignmentSpan['type'] | undefined {
  let type = keyTypes.get(name);
  if (type === undefined) {
    if (keyTypes.size >= KEY_TYPE_CACHE) keyTypes.clear();
    type = secretKeyType(name) ?? null;
    keyTypes.set(name, type);
  }
  return type ?? undefined;
}

/** Whether a key names a secret, judged by its last word(s): `password_min_length` does not, `db_password` does. */
export function secretKeyType(name: string): AssignmentSpan['type'] | undefined {
  const words = keyWords(name);
  const last = words[words.length - 1];
  if (!last) return undefined;
  if (PASSWORD_WORDS.has(last) || last.endsWith('password') || last.endsWith('passwd')) return 'PASSWORD';
  if (SECRET_WORDS.has(last) || last.endsWith('secret') || last.endsWith('token')) return 'SECRET';
  if (last === 'key' && words.length > 1 && KEY_QUALIFIERS.has(words[words.length - 2])) return 'SECRET';
  return undefined;
}

/** Words a value takes when it is no secret: literals of languages, types, and form-field names. */
const NOT_SECRETS = new Set([
  'true', 'false', 'null', 'none', 'nil', 'undefined', 'string', 'str', 'number', 'int', 'bool', 'boolean', 'bytes', 'optional', 'required',
  'password', 'new-password', 'current-password', 'secret', 'token', 'hidden', 'text', 'env', 'redacted', 'changeme', 'empty',
]);

/** Placeholders and references, not values: `${DB_PASSWORD}`, `<your-token>`, `{{ secret }}`, `****`, `YOUR_API_KEY`, `$1`. */
export function isPlaceholder(value: string): boolean {
  if (/^[$%{<*[(\\]/.test(value) || /^[x*.•_-]+$/i.test(value)) return true;
  if (/^[A-Z][A-Z0-9_]*$/.test(value) && !/\d/.test(value)) return true; // an environment variable's name
  if (/(your|example|placeholder|dummy|sample|replace|redacted|xxxx|\.\.\.|…|\{\{|\$\{)/i.test(value)) return true;
  return NOT_SECRETS.has(value.toLowerCase());
}

/** Code, not a literal: a call, an index, a member path (`self.password`, `process.env.TOKEN`). */
function isCode(value: string): boolean {
  return /[()[\]{}]/.test(value) || /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(value) || /^[~.]{0,2}\/[\w./-]*$/.test(value) || /^https?:\/\//.test(value);
}

function shannon(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/** Random-looking, as keys and tokens are: letters and digits mixed, or high entropy (gitleaks uses 3.5 for generic keys). */
function looksRandom(value: string): boolean {
  if (value.length < 8) return false;
  if (/\d/.test(value) && /[A-Za-z]/.test(value)) return true;
  if (value.length >= 12 && /[a-z]/.test(value) && /[A-Z]/.test(value) && !/^[A-Z]?[a-z]+(?:[A-Z][a-z]+)+$/.test(value)) return true; // not a CamelCase word
  return value.length >= 16 && shannon(value) >= 3.5;
}

function isSecretValue(value: string, type: AssignmentSpan['type'], quoted: boolean, envStyle: boolean): boolean {
  if (value.length < 4 || /\s/.test(value) || isPlaceholder(value) || isCode(value)) return false;
  if (type === 'PASSWORD') {
    // A quoted or .env password is a password whatever it looks like; a bare word after a colon may be a type or a variable.
    if (quoted || envStyle) return true;
    return /\d|[^\w]/.test(value);
  }
  if (envStyle && value.length >= 8) return true;
  return looksRandom(value);
}
