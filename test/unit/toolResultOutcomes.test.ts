// Outcomes mined from tool-result text: runner outputs written as the runners print them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outcomesFromToolResult, userInterruptFromText, type MinedOutcome } from '../../extension/server/importers/toolResultOutcomes';

function kinds(outcomes: MinedOutcome[]): string[] {
  return outcomes.map((o) => `${o.kind}${o.value === undefined ? '' : `=${o.value}`}`);
}

test('pytest: failures in the closing summary are a failed test run, passes a passed one', () => {
  const failed = [
    '============================= test session starts ==============================',
    'platform linux -- Python 3.11.4, pytest-7.4.0, pluggy-1.2.0',
    'collected 12 items',
    '',
    'tests/test_parser.py ..F.........                                        [100%]',
    '',
    '=================================== FAILURES ===================================',
    '___________________________ test_parses_empty_input ____________________________',
    'E       AssertionError: assert None == []',
    '=========================== short test summary info ============================',
    'FAILED tests/test_parser.py::test_parses_empty_input - AssertionError: assert None == []',
    '========================= 1 failed, 11 passed in 0.42s =========================',
  ].join('\n');
  const out = outcomesFromToolResult({ command: 'pytest -q', output: failed, exitCode: 1 });
  assert.deepEqual(kinds(out), ['exit_code=1', 'test_failed=1']);
  assert.equal(out[1].detail, '1 failed, 11 passed in 0.42s');
  const passed = outcomesFromToolResult({ command: 'python -m pytest', output: '............\n12 passed, 1 warning in 0.31s\n' });
  assert.deepEqual(kinds(passed), ['test_passed=12']);
  const errors = outcomesFromToolResult({ command: 'pytest', output: '==== 2 errors in 0.10s ====' });
  assert.deepEqual(kinds(errors), ['test_failed=2']);
});

test('jest and vitest summaries', () => {
  const jest = [
    'FAIL src/sum.test.js',
    '  ● sum › adds negatives',
    'Test Suites: 1 failed, 3 passed, 4 total',
    'Tests:       2 failed, 1 skipped, 20 passed, 23 total',
    'Snapshots:   0 total',
    'Time:        1.873 s',
    'Ran all test suites.',
  ].join('\n');
  const j = outcomesFromToolResult({ command: 'npx jest', output: jest });
  assert.deepEqual(kinds(j), ['test_failed=2']);
  assert.equal(j[0].detail, 'Tests: 2 failed, 1 skipped, 20 passed, 23 total');
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'npx jest', output: 'Tests:       5 passed, 5 total\nTime: 0.8 s' })), ['test_passed=5']);
  // The Codex fixture's vitest run, as printed (then Codex's own "Process exited with code 1").
  const vitest = [
    'Exit code: 1', 'Output:',
    ' ❯ src/agents/plugins/__tests__/codemie-code-reasoning.test.ts:253:33',
    '',
    ' Test Files  1 failed (1)',
    '      Tests  1 failed | 15 skipped (16)',
    '   Start at  11:42:09',
    '   Duration  2.91s (transform 1.18s, setup 0ms, import 794ms, tests 1.32s, environment 0ms)',
  ].join('\n');
  const v = outcomesFromToolResult({ command: 'npx vitest run src/agents', output: vitest });
  assert.deepEqual(kinds(v), ['exit_code=1', 'test_failed=1']);
  assert.equal(v[1].detail, 'Tests 1 failed | 15 skipped (16)');
  assert.deepEqual(kinds(outcomesFromToolResult({ output: ' Test Files  3 passed (3)\n      Tests  16 passed (16)\n', exitCode: 0 })), ['exit_code=0', 'test_passed=16']);
});

test('mocha, go test and cargo test', () => {
  const mocha = outcomesFromToolResult({ command: 'npx mocha', output: '  Array\n    ✓ indexOf\n\n  14 passing (38ms)\n  2 failing\n\n  1) Array #push:\n' });
  assert.deepEqual(kinds(mocha), ['test_failed=2']);
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'npx mocha', output: '\n  7 passing (12ms)\n' })), ['test_passed=7']);

  const goFail = '=== RUN   TestParse\n--- FAIL: TestParse (0.00s)\n    parse_test.go:12: got 1 want 2\nFAIL\nFAIL\texample.com/parse\t0.004s\nok  \texample.com/util\t0.002s\n';
  const g = outcomesFromToolResult({ command: 'go test ./...', output: goFail, exitCode: 1 });
  assert.deepEqual(kinds(g), ['exit_code=1', 'test_failed=1']);
  assert.equal(g[1].detail, '--- FAIL: TestParse (0.00s)');
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'go test ./...', output: 'ok  \texample.com/parse\t0.004s\nok  \texample.com/util\t(cached)\n' })), ['test_passed=2']);

  const cargo = 'running 4 tests\ntest tests::adds ... ok\ntest tests::subtracts ... FAILED\n\nfailures:\n\ntest result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\nerror: test failed, to rerun pass `--lib`\n';
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'cargo test', output: cargo, exitCode: 101 })), ['exit_code=101', 'test_failed=1']);
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'cargo test', output: 'test result: ok. 9 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s' })), ['test_passed=9']);
});

test('package-manager test scripts: their failure lines, else the exit code of a test command', () => {
  const npm = '> app@1.0.0 test\n> node test.js\n\nassertion failed\nnpm ERR! Test failed.  See above for more details.\n';
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'npm test', output: npm })), ['test_failed']);
  const yarn = 'yarn run v1.22.19\n$ node test.js\nerror Command failed with exit code 1.\ninfo Visit https://yarnpkg.com/en/docs/cli/run\n';
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'yarn test', output: yarn })), ['exit_code=1', 'test_failed']);
  const pnpm = outcomesFromToolResult({ command: 'pnpm test', output: ' ELIFECYCLE  Test failed. See above for more details.' });
  assert.deepEqual(kinds(pnpm), ['test_failed']);
  // No summary the miner knows, but a test command with a known exit code.
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'make test', output: 'all good', exitCode: 0 })), ['exit_code=0', 'test_passed']);
  // A non-test command's exit code is only an exit code.
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'ls -la', output: 'total 0', exitCode: 0 })), ['exit_code=0']);
  // Passes printed, but the run still exited non-zero (a coverage gate): not a pass.
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'npm test', output: 'Tests:       4 passed, 4 total\nERROR: Coverage for lines (60%) does not meet global threshold (80%)', exitCode: 1 })), ['exit_code=1', 'test_failed']);
});

test('tsc and eslint: errors fail the check, a clean run passes it', () => {
  const tsc = "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\nsrc/b.ts(9,1): error TS2304: Cannot find name 'foo'.\n";
  const t = outcomesFromToolResult({ command: 'npx tsc --noEmit', output: tsc, exitCode: 2 });
  assert.deepEqual(kinds(t), ['exit_code=2', 'test_failed=2']);
  assert.match(t[1].detail, /^tsc: src\/a\.ts\(3,7\): error TS2322/);
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'npx tsc --noEmit', output: "src/a.ts:3:7 - error TS2322: Type 'string'...\n\nFound 3 errors in 2 files.\n" })), ['test_failed=3']);
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'npx tsc -p . --noEmit', output: '', exitCode: 0 })), ['exit_code=0', 'test_passed']);
  const eslint = '/repo/src/a.js\n  1:10  error  \'x\' is defined but never used  no-unused-vars\n\n✖ 3 problems (2 errors, 1 warning)\n';
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'npx eslint src', output: eslint, exitCode: 1 })), ['exit_code=1', 'test_failed=2']);
  // Warnings only are not a failed check.
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'npx eslint src', output: '✖ 1 problem (0 errors, 1 warning)' })), []);
});

test('exit codes printed by the assistants\' tool wrappers', () => {
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'ls', output: 'Exit code: 0\nWall time: 0.1 seconds\nOutput:\nok' })), ['exit_code=0']);
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'ls missing', output: 'Chunk ID: 1\nProcess exited with code 2\nOutput:\nls: cannot access' })), ['exit_code=2']);
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'frob', output: '{"output":"x","metadata":{"exit_code":127,"duration_seconds":0.1}}' })), ['exit_code=127']);
  // The caller's exit code wins over a printed one.
  assert.deepEqual(kinds(outcomesFromToolResult({ output: 'Exit code: 1', exitCode: 0 })), ['exit_code=0']);
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'echo hi', output: 'plain output with no status' })), []);
  // No command, no error, no exit code: a file read or a search. Nothing is mined, even from text that looks like a run.
  assert.deepEqual(kinds(outcomesFromToolResult({ output: '# notes\nExit code: 1\n==== 2 failed, 3 passed in 0.1s ====' })), []);
});

test('failed tool calls, failed patches and tool calls the user rejected', () => {
  const err = outcomesFromToolResult({ output: '<tool_use_error>File does not exist.</tool_use_error>', isError: true });
  assert.deepEqual(kinds(err), ['tool_error']);
  assert.equal(err[0].detail, '<tool_use_error>File does not exist.</tool_use_error>');
  const codexPatch = outcomesFromToolResult({ output: 'apply_patch verification failed: Failed to find expected lines in src/a.ts:\n  const x = 1;', isError: true });
  assert.deepEqual(kinds(codexPatch), ['patch_failed', 'tool_error']);
  assert.match(codexPatch[0].detail, /^apply_patch verification failed/);
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'patch -p1 < fix.diff', output: 'checking file a.c\nHunk #1 FAILED at 12.\n1 out of 1 hunk FAILED', exitCode: 1 })), ['exit_code=1', 'patch_failed']);
  assert.deepEqual(kinds(outcomesFromToolResult({ output: 'error: patch failed: src/a.ts:10\nerror: src/a.ts: patch does not apply', exitCode: 1 })), ['exit_code=1', 'patch_failed']);
  assert.deepEqual(kinds(outcomesFromToolResult({ output: '<tool_use_error>String to replace not found in file.\nString: foo</tool_use_error>', isError: true })), ['patch_failed', 'tool_error']);
  const rejected = outcomesFromToolResult({
    output: "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.",
    isError: true,
  });
  assert.deepEqual(kinds(rejected), ['user_interrupt']);
  assert.deepEqual(kinds(outcomesFromToolResult({ output: '[Request interrupted by user for tool use]', isError: true })), ['user_interrupt']);
  // The marker printed inside a file's source (Codex fixture: `sed` of a plugin listing such markers) is not a denial.
  assert.deepEqual(kinds(outcomesFromToolResult({ command: "sed -n '1,80p' src/patterns.ts", output: "const PATTERNS = [\n  '[Request interrupted by user]',\n];", exitCode: 0 })), ['exit_code=0']);
});

test('user interrupts are the marker itself, not the same words inside pasted code', () => {
  assert.equal(userInterruptFromText('[Request interrupted by user]'), '[Request interrupted by user]');
  assert.equal(userInterruptFromText('  [Request interrupted by user for tool use]\n'), '[Request interrupted by user for tool use]');
  assert.equal(userInterruptFromText("const PATTERNS = [\n  '[Request interrupted by user]',\n];"), undefined);
  assert.equal(userInterruptFromText('[Response interrupted by a tool use result. Only one tool may be used at a time]'), undefined);
});

test('only the head and tail of a huge output are read, so a long log costs little', () => {
  const big = `${'x'.repeat(2_000_000)}\n========= 3 passed in 9.1s =========\n`;
  const started = process.hrtime.bigint();
  assert.deepEqual(kinds(outcomesFromToolResult({ command: 'pytest', output: big })), ['test_passed=3']);
  // One 2 MB line with no newline: a pattern that scans backwards per position would take seconds here.
  assert.deepEqual(kinds(outcomesFromToolResult({ output: 'y'.repeat(2_000_000), isError: true })), ['tool_error']);
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 1000);
});
