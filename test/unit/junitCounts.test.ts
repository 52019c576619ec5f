// Issue 14 item 8: test/run-all.sh's engine count. A real pytest run with a pass, a failure, an error
// and two skips: the skips are not passes (the old count, tests - failures - errors, said 3 passed).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const REPO = resolve(__dirname, '..', '..');
const PYTHON = join(REPO, '.venv', 'bin', 'python');

test('pytest skips are counted as failed, never as passed', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'autodidact-junit-'));
  try {
    writeFileSync(join(dir, 'test_mixed.py'), [
      'import pytest',
      'def test_passes(): assert 1 + 1 == 2',
      'def test_fails(): assert 1 + 1 == 3',
      '@pytest.fixture',
      'def broken(): raise RuntimeError("fixture error")',
      'def test_errors(broken): pass',
      '@pytest.mark.skip(reason="not run")',
      'def test_skipped(): pass',
      'def test_skips_itself(): pytest.skip("no GPU")',
      '',
    ].join('\n'));
    const xml = join(dir, 'engine.xml');
    const run = spawnSync(PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', dir, `--junitxml=${xml}`], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    const [passed, failed, skipped] = execFileSync(PYTHON, [join(REPO, 'test', 'junit_counts.py'), xml], { encoding: 'utf8' }).trim().split(' ').map(Number);
    assert.deepEqual({ passed, failed, skipped }, { passed: 1, failed: 2, skipped: 2 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const runAll = readFileSync(join(REPO, 'test', 'run-all.sh'), 'utf8');
  assert.match(runAll, /test\/junit_counts\.py "\$OUT\/engine\.xml"/, 'run-all.sh counts with it');
  assert.match(runAll, /FAILED=\$\(\(FAILED \+ failed \+ skipped\)\)/, 'and adds the skips to the failures');
});
