// Writes approved lessons into an assistant's rules file inside a block Autodidact owns, marked by
// begin/end comments. Exporting again replaces only that block; the user's own text before and
// after it is kept byte for byte. A file with no block gets one appended after a blank line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LessonRecord } from '../../protocol/records';

export const EXPORT_TARGETS = {
  agents: 'AGENTS.md',
  claude: 'CLAUDE.md',
  cursor: '.cursor/rules/autodidact.mdc',
  copilot: '.github/copilot-instructions.md',
  cline: '.clinerules/autodidact.md',
  continue: '.continue/rules/autodidact.md',
} as const;
export type ExportTarget = keyof typeof EXPORT_TARGETS;

export const BLOCK_BEGIN = '<!-- autodidact:lessons:begin (written by `autodidact lessons export`; edits inside this block are replaced) -->';
export const BLOCK_END = '<!-- autodidact:lessons:end -->';
const BEGIN_PREFIX = '<!-- autodidact:lessons:begin';

/** Cursor reads .mdc rules only with front matter; a new file gets one that applies it always. */
const CURSOR_FRONT_MATTER = '---\ndescription: Lessons Autodidact learned from your corrections\nalwaysApply: true\n---\n\n';

export function isExportTarget(name: string): name is ExportTarget {
  return Object.hasOwn(EXPORT_TARGETS, name);
}

export function lessonBlock(lessons: readonly Pick<LessonRecord, 'text' | 'trigger'>[]): string {
  const lines = lessons.length === 0
    ? ['_No approved lessons yet._']
    : lessons.map((l) => `- ${l.text.replace(/\s+/g, ' ')} _(when: ${l.trigger})_`);
  return `${BLOCK_BEGIN}\n## Lessons learned (Autodidact)\n\n${lines.join('\n')}\n${BLOCK_END}`;
}

/** The file's text with the block put in place of the old one, or appended. */
export function withLessonBlock(existing: string, block: string): string {
  const begin = existing.indexOf(BEGIN_PREFIX);
  const end = begin < 0 ? -1 : existing.indexOf(BLOCK_END, begin);
  if (begin >= 0 && end >= 0) return existing.slice(0, begin) + block + existing.slice(end + BLOCK_END.length);
  if (begin >= 0) throw new Error('the file has the start of an Autodidact lessons block but not its end; fix or remove it by hand');
  if (existing === '') return `${block}\n`;
  const separator = existing.endsWith('\n\n') ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  return `${existing}${separator}${block}\n`;
}

/** The lesson lines inside a file's block (what an export wrote), for checks and round trips. */
export function readLessonBlock(text: string): string[] | undefined {
  const begin = text.indexOf(BEGIN_PREFIX);
  const end = begin < 0 ? -1 : text.indexOf(BLOCK_END, begin);
  if (begin < 0 || end < 0) return undefined;
  return text.slice(begin, end).split('\n').filter((line) => line.startsWith('- ')).map((line) => line.slice(2).replace(/ _\(when: .*\)_$/, ''));
}

/**
 * The rules file's real path in the workspace, refused when it, or a folder on the way to it, is a
 * link that leads out of the workspace: a cloned repository must not be able to point its AGENTS.md
 * at the user's ~/.bashrc and have an export write there. A link inside the workspace (CLAUDE.md to
 * AGENTS.md) is followed, so the file it names is updated and the link stays a link.
 */
export function rulesFilePath(workspace: string, target: ExportTarget): string {
  const name = EXPORT_TARGETS[target];
  const root = realPathSoFar(workspace, name);
  const file = realPathSoFar(path.join(workspace, name), name);
  const inside = path.relative(root, file);
  if (inside.startsWith('..') || path.isAbsolute(inside)) throw new Error(`${name} leads outside the workspace (to ${file}); not written`);
  return file;
}

/** The real path of the deepest part of `p` that exists, with the rest of `p` after it. */
function realPathSoFar(p: string, name: string): string {
  const rest: string[] = [];
  let existing = p;
  while (!fs.existsSync(existing)) {
    // existsSync follows links: a link to nothing would still be written through.
    if (fs.lstatSync(existing, { throwIfNoEntry: false })?.isSymbolicLink()) throw new Error(`${name} is a link to nothing (${existing}); not written`);
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(fs.realpathSync(existing), ...rest);
}

/** The rules file's next text for these lessons: `existing` undefined means the file is new. */
export function rulesFileText(existing: string | undefined, target: ExportTarget, lessons: readonly Pick<LessonRecord, 'text' | 'trigger'>[]): string {
  const base = existing ?? (target === 'cursor' ? CURSOR_FRONT_MATTER : '');
  return withLessonBlock(base, lessonBlock(lessons));
}

export interface ExportResult { file: string; created: boolean; changed: boolean; lessons: number }

export function exportLessons(workspace: string, target: ExportTarget, lessons: readonly LessonRecord[]): ExportResult {
  const file = rulesFilePath(workspace, target);
  const created = !fs.existsSync(file);
  const existing = created ? undefined : fs.readFileSync(file, 'utf8');
  const next = rulesFileText(existing, target, lessons);
  const changed = next !== existing;
  if (changed) writeRulesFile(file, next);
  return { file, created, changed, lessons: lessons.length };
}

/** Written beside and renamed over: a crash never leaves the user's rules file half written. */
export function writeRulesFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.autodidact-${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}
