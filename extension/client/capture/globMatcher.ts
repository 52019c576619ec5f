// `autodidact.capture.exclude` globs, matched without VS Code so the rules are unit-tested. The
// syntax is the subset VS Code's own glob settings use: `**` (any number of folders), `*` and `?`
// (within one path segment), `{a,b}` alternatives and `[abc]` classes. A pattern without a slash
// (`*.pem`) matches the file name in any folder, as files.exclude does.

/** Compiles one glob to an anchored RegExp over forward-slash paths. */
export function globToRegExp(glob: string): RegExp {
  let pattern = glob.trim().replace(/\\/g, '/');
  if (!pattern.includes('/')) pattern = `**/${pattern}`;
  let source = '';
  let braceDepth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slashAfter = pattern[i + 2] === '/';
        // `**/` may match nothing, so `**/.env` also matches `.env` at the root.
        source += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '{') {
      braceDepth++;
      source += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      source += ')';
    } else if (c === ',' && braceDepth > 0) {
      source += '|';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) { source += '\\['; continue; }
      const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
      source += `[${body}]`;
      i = end;
    } else {
      source += /[.+^$()|\\]/.test(c) ? `\\${c}` : c;
    }
  }
  return new RegExp(`^${source}$`, process.platform === 'win32' || process.platform === 'darwin' ? 'i' : '');
}

/**
 * Decides whether a file's edits are excluded. Paths are tested both relative to their workspace
 * folder and absolute, so `secrets/**` and `**\/.env` both work. Results are cached per path: the
 * first edit to a file pays for the regexes, every later keystroke is one Map lookup.
 */
export class ExcludeMatcher {
  private regexes: RegExp[] = [];
  private readonly cache = new Map<string, boolean>();

  /** `toRelative` gives the path relative to its workspace folder; called once per new path. */
  constructor(globs: readonly string[], private readonly toRelative?: (absolutePath: string) => string) {
    this.update(globs);
  }

  update(globs: readonly string[]): void {
    this.regexes = globs.filter((g) => g.trim().length > 0).map(globToRegExp);
    this.cache.clear();
  }

  isExcluded(absolutePath: string): boolean {
    const cached = this.cache.get(absolutePath);
    if (cached !== undefined) return cached;
    const candidates = [toSlashes(absolutePath).replace(/^\/+/, ''), toSlashes(absolutePath)];
    if (this.toRelative) candidates.push(toSlashes(this.toRelative(absolutePath)));
    const excluded = this.regexes.some((re) => candidates.some((candidate) => re.test(candidate)));
    if (this.cache.size > 10_000) this.cache.clear(); // a bound, not an LRU: refilling is cheap
    this.cache.set(absolutePath, excluded);
    return excluded;
  }
}

function toSlashes(p: string): string {
  return p.replace(/\\/g, '/');
}
