// Rules users state when they correct an answer ("use X instead of Y", "never ...", "always ...",
// "we use ..."), turned into a short imperative. Read from the user's words only.

const TOKEN = '`?[\\w@./:-]+(?:\\(\\))?`?';
/** "use the shared `parse_iso` helper": words before the name that are not the name. */
const DETERMINERS = "(?:(?:the|our|a|an|shared|existing|common|project'?s?|own)\\s+){0,3}";
/** Rules users state when they correct, most specific first. Each returns the imperative. */
const STATED_RULES: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [new RegExp(`\\buse\\s+${DETERMINERS}(${TOKEN})(?:\\s+(helper|function|module|library|package|method|api|flag|option))?\\s*,?\\s+(?:instead of|not|rather than)\\s+${DETERMINERS}(${TOKEN})`, 'i'),
    (m) => `Use ${code(m[1])}${m[2] ? ` ${m[2]}` : ''}, not ${code(m[3])}.`],
  [new RegExp(`\\b(?:instead of|not)\\s+(${TOKEN})\\s*,?\\s+use\\s+(?:the\\s+)?(${TOKEN})`, 'i'),
    (m) => `Use ${code(m[2])}, not ${code(m[1])}.`],
  [/\b(?:don'?t|do not|never|stop)\s+((?:use|using|call|calling|import|importing|add|adding|put|putting|write|writing|return|returning|mutate|mutating|log|logging)\b(?:[^.;!?\n]|\.(?=\w)){2,90})/i,
    (m) => `Never ${baseVerb(m[1].trim())}.`],
  [/\balways\s+((?:[^.;!\n]|\.(?=\w)){3,100})/i, (m) => `Always ${m[1].trim().replace(/\?$/, '')}.`],
  [/\b(?:we|this project|the project|our code(?:base)?)\s+(?:always\s+)?(?:uses?|prefers?)\s+((?:[^.;!?\n]|\.(?=\w)){2,90})/i, (m) => `Use ${m[1].trim()}.`],
  [/\bshould\s+(?:be\s+)?(?:use|using|call|calling)\s+((?:[^.;!?\n]|\.(?=\w)){2,90})/i, (m) => `Use ${m[1].trim()}.`],
  [/\bmust\s+((?:[^.;!\n]|\.(?=\w)){3,100})/i, (m) => `Always ${m[1].trim().replace(/\?$/, '')}.`],
];

const GERUNDS: Record<string, string> = { using: 'use', calling: 'call', importing: 'import', adding: 'add', putting: 'put', writing: 'write', returning: 'return', mutating: 'mutate', logging: 'log' };

/** "using print" -> "use print": the rule reads as an order. */
function baseVerb(phrase: string): string {
  const [verb, ...rest] = phrase.split(/\s+/);
  return [GERUNDS[verb.toLowerCase()] ?? verb, ...rest].join(' ');
}

function code(token: string): string {
  const bare = token.replace(/`/g, '');
  return /[._()/@:]|[a-z][A-Z]/.test(bare) || bare.includes('_') ? `\`${bare}\`` : bare;
}

/** The correction's leading "no," / "that's wrong." carries no rule. */
export function withoutReaction(text: string): string {
  return text.replace(/^\s*(?:no|nope|wrong|that(?:'s| is) (?:wrong|not right|incorrect))\b[\s,.!:-]*/i, '').trim();
}

export function statedRule(correction: string): string | undefined {
  for (const line of correction.split('\n')) {
    const head = withoutReaction(line);
    for (const [pattern, build] of STATED_RULES) {
      const m = head.match(pattern);
      if (m) return build(m);
    }
  }
  return undefined;
}

