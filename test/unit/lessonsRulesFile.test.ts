// Where an export may write (rulesExport.ts rulesFilePath): inside the workspace only. A cloned
// repository can ship AGENTS.md, or the .cursor/rules folder, as a link to a file outside it (the
// user's ~/.bashrc); an export, from the CLI or the editor, refuses it and writes nothing anywhere.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { LessonRecord } from '../../extension/protocol/records';
import { exportLessons, readLessonBlock, rulesFilePath, rulesFileText } from '../../extension/server/lessons/rulesExport';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-rules-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const lesson = { id: 'lesson-1', text: 'Use `dayjs` instead of `moment`.', trigger: 'format timestamp', tags: [], confidence: 0.6, advantage: 0.4, samples: 12, retired: false, disabled: false, evidence: [], recalls: 0, createdAt: 1, lastUsedAt: 1 } satisfies LessonRecord;

test('a rules file that is, or sits under, a link leading out of the workspace is refused', () => {
  const outside = path.join(root, 'home');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, '.bashrc'), 'export PATH=$PATH\n');
  const ws = path.join(root, 'cloned');
  fs.mkdirSync(path.join(ws, '.cursor'), { recursive: true });
  fs.symlinkSync(path.join(outside, '.bashrc'), path.join(ws, 'AGENTS.md'));
  fs.symlinkSync(outside, path.join(ws, '.cursor', 'rules'));
  fs.symlinkSync(path.join(outside, 'nothing-yet.md'), path.join(ws, 'CLAUDE.md'));

  assert.throws(() => exportLessons(ws, 'agents', [lesson]), /AGENTS\.md leads outside the workspace/);
  assert.throws(() => rulesFilePath(ws, 'cursor'), /\.cursor\/rules\/autodidact\.mdc leads outside the workspace/);
  assert.throws(() => rulesFilePath(ws, 'claude'), /CLAUDE\.md is a link to nothing/);
  assert.equal(fs.readFileSync(path.join(outside, '.bashrc'), 'utf8'), 'export PATH=$PATH\n', 'the file outside is untouched');
  assert.deepEqual(fs.readdirSync(outside).sort(), ['.bashrc']);

  // A link that stays inside the workspace is fine (some projects link CLAUDE.md to AGENTS.md).
  const ok = path.join(root, 'linked-inside');
  fs.mkdirSync(ok);
  fs.writeFileSync(path.join(ok, 'AGENTS.md'), '# Our rules\n');
  fs.symlinkSync(path.join(ok, 'AGENTS.md'), path.join(ok, 'CLAUDE.md'));
  const result = exportLessons(ok, 'claude', [lesson]);
  assert.equal(result.changed, true);
  assert.deepEqual(readLessonBlock(fs.readFileSync(path.join(ok, 'AGENTS.md'), 'utf8')), ['Use `dayjs` instead of `moment`.']);
  assert.ok(fs.lstatSync(path.join(ok, 'CLAUDE.md')).isSymbolicLink(), 'the link stays a link');
});

test('the proposed text keeps the user text and gives a new Cursor rule its front matter', () => {
  assert.match(rulesFileText(undefined, 'cursor', [lesson]), /^---\ndescription: [^\n]+\nalwaysApply: true\n---\n\n<!-- autodidact:lessons:begin/);
  const mine = '# House rules\n\nTabs, not spaces.\n';
  const next = rulesFileText(mine, 'agents', [lesson]);
  assert.ok(next.startsWith(mine));
  assert.equal(rulesFileText(next, 'agents', [lesson]), next, 'the same lessons again change nothing');
});
