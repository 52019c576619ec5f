// The code-shaped words of an answer: imported modules, called functions, and `inline code`. A fix
// that worked and the attempt it replaced differ in these; the difference is what the user taught.
// Only code is read here, never the assistant's prose, so self-praise ("this is now correct") never
// becomes a lesson.

export interface CodeTokens {
  imports: Set<string>;
  calls: Set<string>;
  /** Identifiers written in backticks or in code (dotted names kept whole: `path.join`). */
  names: Set<string>;
}

const FENCE = /```([^\n]*)\n([\s\S]*?)```/g;
const INLINE = /`([^`\n]{1,80})`/g;
const IMPORTS = [
  /\bimport\s+(?:[\w*{}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g, // ES modules
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  /^\s*from\s+([\w.]+)\s+import\b/gm, // Python
  /^\s*import\s+([\w.]+)(?:\s+as\s+\w+)?\s*$/gm,
  /^\s*use\s+([\w:]+)/gm, // Rust
];
const CALL = /\b([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)\s*\(/g;
/** Keywords and calls that say nothing about a project's conventions. */
const NOISE = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'print', 'console.log', 'def', 'class',
  'super', 'constructor', 'main', 'len', 'str', 'int', 'range', 'await', 'async', 'typeof', 'new', 'require', 'import', 'assert']);

/** An answer's closed fenced blocks, each with the language its fence names ('' when none). */
export function fencedBlocks(answer: string): Array<{ lang: string; code: string }> {
  return [...answer.matchAll(FENCE)].map((m) => ({ lang: m[1].trim(), code: m[2] }));
}

/** The code parts of an answer: its fenced blocks. */
export function codeOf(answer: string): string {
  return fencedBlocks(answer).map((b) => b.code).join('\n');
}

export function codeTokens(answer: string): CodeTokens {
  const code = codeOf(answer);
  const imports = new Set<string>();
  for (const pattern of IMPORTS) for (const m of code.matchAll(pattern)) imports.add(m[1]);
  const calls = new Set<string>();
  for (const m of code.matchAll(CALL)) if (!NOISE.has(m[1])) calls.add(m[1]);
  const names = new Set<string>();
  for (const m of answer.replace(FENCE, ' ').matchAll(INLINE)) {
    const name = m[1].trim().replace(/\(\)$/, '');
    if (/^[A-Za-z_][\w.:/-]*$/.test(name) && !NOISE.has(name)) names.add(name);
  }
  return { imports, calls, names };
}

/** Every code-shaped word, for set differences. */
export function allTokens(tokens: CodeTokens): Set<string> {
  return new Set([...tokens.imports, ...tokens.calls, ...tokens.names]);
}

/** Tokens of `fix` missing from `attempt`, and the other way round, most telling first (imports, then calls, then names). */
export function tokenDifference(attempt: CodeTokens, fix: CodeTokens): { added: string[]; removed: string[] } {
  const attemptAll = allTokens(attempt);
  const fixAll = allTokens(fix);
  const ordered = (t: CodeTokens): string[] => [...new Set([...t.imports, ...t.calls, ...t.names])];
  return {
    added: ordered(fix).filter((token) => !attemptAll.has(token)),
    removed: ordered(attempt).filter((token) => !fixAll.has(token)),
  };
}
