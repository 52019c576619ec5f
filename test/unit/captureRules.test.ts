// The rules capture decides by: exclude globs, change origin, the capture gate, test commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureState, shouldAskOptIn } from '../../extension/client/capture/captureGate';
import { classifyChange, type ChangeInput, type TextChangeShape } from '../../extension/client/capture/changeClassifier';
import { ExcludeMatcher, globToRegExp } from '../../extension/client/capture/globMatcher';
import { isTestCommand } from '../../extension/client/capture/terminalOutcomes';

test('exclude globs follow VS Code glob syntax, on absolute and workspace-relative paths', () => {
  const matcher = new ExcludeMatcher(['**/.env', '**/*.pem', '**/secrets/**', 'config/*.{json,yaml}', 'id_rsa?'], (p) => p.replace('/home/u/proj/', ''));
  const excluded = ['/home/u/proj/.env', '/home/u/proj/deep/er/.env', '/home/u/proj/key.pem', '/home/u/proj/a/secrets/x/y.ts',
    '/home/u/proj/config/app.json', '/home/u/proj/config/app.yaml', '/home/u/proj/x/id_rsa2'];
  const kept = ['/home/u/proj/.env.example', '/home/u/proj/src/env.ts', '/home/u/proj/pem.ts', '/home/u/proj/secretsauce/x.ts',
    '/home/u/proj/config/deep/app.json', '/home/u/proj/config/app.toml', '/home/u/proj/id_rsa'];
  for (const p of excluded) assert.equal(matcher.isExcluded(p), true, p);
  for (const p of kept) assert.equal(matcher.isExcluded(p), false, p);
  assert.equal(new ExcludeMatcher(['**/.env']).isExcluded('C:\\work\\app\\.env'), true, 'Windows separators');
  assert.ok(globToRegExp('src/[ab].ts').test('src/a.ts') && !globToRegExp('src/[ab].ts').test('src/c.ts'));
  assert.ok(globToRegExp('a.b+c(d)').test('x/a.b+c(d)'), 'regex characters are literal');
});

test('changing the exclude list takes effect at once (the per-path cache is cleared)', () => {
  const matcher = new ExcludeMatcher([]);
  assert.equal(matcher.isExcluded('/p/notes.md'), false);
  matcher.update(['**/*.md']);
  assert.equal(matcher.isExcluded('/p/notes.md'), true);
});

const at = (line: number, endLine = line): TextChangeShape['range'] => ({ start: { line }, end: { line: endLine } });
const change = (text: string, rangeLength = 0, line = 0, endLine = line, rangeOffset = 0): TextChangeShape => ({ text, rangeLength, rangeOffset, range: at(line, endLine) });
const input = (changes: TextChangeShape[], o: Partial<ChangeInput> = {}): ChangeInput => ({ changes, reason: undefined, inActiveEditor: true, ...o });
const BLOCK = 'function add(a: number, b: number): number {\n  return a + b;\n}\n\nexport const total = add(1, 2);\n';

test('origin: keystrokes are typing; everything else is unknown until evidence says whose it is; large insertions are kept for the code-block match', () => {
  assert.equal(classifyChange(input([change('x')])).origin, 'typing');
  assert.equal(classifyChange(input([change('()')])).origin, 'typing', 'auto-closed pair');
  assert.equal(classifyChange(input([change('\n    ')])).origin, 'typing', 'Enter with indentation');
  assert.equal(classifyChange(input([change('', 40, 3, 5)])).origin, 'typing', 'a deletion in the active editor');
  assert.equal(classifyChange(input([change('a', 0, 1), change('a', 0, 2), change('a', 0, 3)])).origin, 'typing', 'multi-cursor');
  const large = classifyChange(input([change(BLOCK)]));
  assert.equal(large.origin, 'unknown', 'a large insertion alone is no evidence: it may be a paste');
  assert.equal(large.linesAdded, 5);
  assert.equal(large.largeInsertions.length, 1);
  assert.equal(classifyChange(input([change('const x = 1;\n')])).largeInsertions.length, 0, 'one line is too small to compare');
  assert.equal(classifyChange(input([change('a\nb\nc\n')])).largeInsertions.length, 0, 'three short lines are under the character threshold');
  assert.equal(classifyChange(input([change('x')], { inActiveEditor: false })).origin, 'unknown', 'keystrokes land only in the active editor');
  const undo = classifyChange(input([change('', BLOCK.length, 0, 5)], { reason: 1 }));
  assert.deepEqual([undo.origin, undo.undoOrRedo, undo.linesRemoved, undo.largeInsertions.length], ['typing', true, 5, 0]);
  const patch = classifyChange(input([change(BLOCK, 0, 10), change('y', 0, 2)], { inActiveEditor: false }));
  assert.deepEqual([patch.origin, patch.largeInsertions.length], ['unknown', 1], 'a multi-hunk patch with one large hunk');
});

test('capture is active only when enabled, not paused and trusted; the opt-in is asked once', () => {
  assert.equal(captureState({ enabled: true, paused: false, trusted: true }), 'active');
  assert.equal(captureState({ enabled: true, paused: true, trusted: true }), 'paused');
  assert.equal(captureState({ enabled: false, paused: false, trusted: true }), 'disabled');
  assert.equal(captureState({ enabled: true, paused: false, trusted: false }), 'untrusted');
  assert.equal(shouldAskOptIn({ enabled: false, paused: false, trusted: true, alreadyAsked: false }), true);
  assert.equal(shouldAskOptIn({ enabled: false, paused: false, trusted: true, alreadyAsked: true }), false);
  assert.equal(shouldAskOptIn({ enabled: false, paused: false, trusted: false, alreadyAsked: false }), false);
  assert.equal(shouldAskOptIn({ enabled: true, paused: false, trusted: true, alreadyAsked: false }), false);
});

test('test commands are recognised through wrappers, env prefixes and chains', () => {
  const tests = ['npm test', 'npm t', 'npm run test:unit', 'pnpm test -- --watch=false', 'yarn jest src', 'npx jest', 'npx vitest run',
    'pytest -q tests/', 'python -m pytest', 'python3 -m unittest discover', 'uv run pytest', 'poetry run pytest -x', 'go test ./...',
    'cargo test --release', 'cargo nextest run', 'dotnet test', './gradlew test', 'mvn test', 'make test', 'bundle exec rspec',
    'CI=1 npm test', 'cd web && npm test', 'npm run build && npm test', 'npm test 2>&1 | tee out.log', 'deno test', 'sudo -E go test ./x'];
  const others = ['npm install', 'npm run build', 'npm run lint', 'git commit -m "add test"', 'ls tests', 'cat pytest.ini', 'go build ./...',
    'cargo build', 'echo npm test', 'vim test.py', 'npm tsc', 'make', ''];
  for (const c of tests) assert.equal(isTestCommand(c), true, c);
  for (const c of others) assert.equal(isTestCommand(c), false, c);
});
