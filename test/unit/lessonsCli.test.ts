// `autodidact lessons` end to end through the real CLI: import Aider sessions with corrections, list
// lessons as JSON, disable / delete / undo, hand them to the gateway, and export them into every
// assistant's rules file without touching the user's own text (a round trip per target).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { LessonJson } from '../../extension/server/cli/lessonsCommand';
import { LessonsFileReader, lessonsFilePath } from '../../extension/server/lessons/lessonsFile';
import { BLOCK_BEGIN, BLOCK_END, EXPORT_TARGETS, readLessonBlock, withLessonBlock, lessonBlock, type ExportTarget } from '../../extension/server/lessons/rulesExport';
import { allSessions, writeAiderSessions } from '../bench/lessons/correctionSessions';

const REPO = path.resolve(__dirname, '..', '..');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-lessons-cli-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const db = path.join(root, 'store');
const cli = (...args: string[]): string => execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'extension/server/cli.ts'), ...args, '--db', db, '--no-embeddings'],
  { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('autodidact lessons', { timeout: 180_000 }, () => {
  test('lists, disables, deletes, undoes, pushes and exports', () => {
    const files = writeAiderSessions(path.join(root, 'projects'), allSessions());
    cli('import', ...files, '--format', 'aider');
    const lessons = JSON.parse(cli('lessons', '--json')) as LessonJson[];
    assert.equal(lessons.length, 5);
    for (const l of lessons) {
      assert.deepEqual(Object.keys(l), ['id', 'text', 'trigger', 'tags', 'confidence', 'advantage', 'samples', 'active', 'evidence']);
      assert.equal(l.active, false, 'an unmeasured lesson is pending until measured or approved');
      assert.ok(l.evidence.length >= 2);
    }
    assert.match(cli('lessons'), /\? 0\.60/, 'the listing marks pending lessons');
    for (const l of lessons) cli('lessons', '--approve', l.id);
    assert.ok((JSON.parse(cli('lessons', '--json')) as LessonJson[]).every((l) => l.active), 'approved lessons are active');
    const http = lessons.find((l) => l.text.includes('httpx'))!;
    const sql = lessons.find((l) => l.text.includes('placeholders'))!;
    cli('lessons', '--disable', http.id);
    cli('lessons', '--delete', sql.id);
    let now = JSON.parse(cli('lessons', '--json')) as LessonJson[];
    assert.equal(now.find((l) => l.id === http.id)?.active, false);
    assert.equal(now.some((l) => l.id === sql.id), false);
    cli('lessons', '--undo');
    now = JSON.parse(cli('lessons', '--json')) as LessonJson[];
    assert.equal(now.some((l) => l.id === sql.id), true, 'the delete is undone');
    assert.equal(now.find((l) => l.id === http.id)?.active, false, 'the disable stays until undone too');

    const home = path.join(root, 'trainer-home');
    assert.match(cli('lessons', 'push', '--trainer-home', home), /^4 active lesson\(s\) handed to the gateway/);
    const pushed = new LessonsFileReader(lessonsFilePath(home)).lessons();
    assert.deepEqual(pushed.map((l) => l.id).sort(), now.filter((l) => l.active).map((l) => l.id).sort());

    // Export into every target, around text the user wrote, twice: the second run changes nothing.
    for (const target of Object.keys(EXPORT_TARGETS) as ExportTarget[]) {
      const ws = path.join(root, `ws-${target}`);
      const file = path.join(ws, EXPORT_TARGETS[target]);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const mine = target === 'cursor' ? '---\ndescription: my rules\nglobs: "*.py"\n---\n\n# My rules\nUse tabs.' : '# House rules\n\nKeep functions small.\n';
      fs.writeFileSync(file, mine);
      cli('lessons', 'export', '--target', target, '--dir', ws);
      const first = fs.readFileSync(file, 'utf8');
      assert.ok(first.startsWith(mine), `${target}: the user's text is kept byte for byte`);
      assert.deepEqual(readLessonBlock(first)?.sort(), now.filter((l) => l.active).map((l) => l.text).sort(), `${target}: the block holds the active lessons`);
      fs.appendFileSync(file, '\nMore of my own text after the block.\n');
      const withTail = fs.readFileSync(file, 'utf8');
      assert.match(cli('lessons', 'export', '--target', target, '--dir', ws), /^unchanged:/);
      assert.equal(fs.readFileSync(file, 'utf8'), withTail, `${target}: exporting again changes nothing, the text after the block stays`);
    }
    // A new Cursor rules file gets the front matter Cursor needs.
    cli('lessons', 'export', '--target', 'cursor', '--dir', path.join(root, 'fresh'));
    assert.match(fs.readFileSync(path.join(root, 'fresh', EXPORT_TARGETS.cursor), 'utf8'), /^---\ndescription: .*\nalwaysApply: true\n---\n\n<!-- autodidact:lessons:begin/);
  });

  test('the block is replaced in place; a block without its end is refused, not overwritten', () => {
    const before = `intro\n\n${BLOCK_BEGIN}\n- old lesson\n${BLOCK_END}\n\noutro\n`;
    const after = withLessonBlock(before, lessonBlock([{ text: 'Use `dayjs`.', trigger: 'format timestamp' }]));
    assert.ok(after.startsWith('intro\n\n') && after.endsWith('\n\noutro\n'));
    assert.deepEqual(readLessonBlock(after), ['Use `dayjs`.']);
    assert.throws(() => withLessonBlock(`x\n${BLOCK_BEGIN}\n- half`, 'new'), /not its end/);
  });
});
