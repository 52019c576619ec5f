// Issue 14 item 11: `npm start` stopped with SIGTERM (not only Ctrl-C) stops what it started. npm
// runs a script as `sh -c "<script>"` and sends SIGTERM to that sh; without `exec` the sh dies and
// the bash running start-product.sh never hears of it, so code-server and the trainer-server keep
// running. This runs package.json's real start line the way npm does, with start-product.sh swapped
// for a probe that uses the same helpers (code-server-env.sh: start_group and its traps) to start a
// process group, then sends SIGTERM to the sh and waits for the group to be gone.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { tempDir } from './storeTestKit';

const REPO = path.resolve(__dirname, '..', '..');

function alive(pgid: number): boolean {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

test('SIGTERM to npm start reaches start-product.sh, which stops the process groups it started', { timeout: 60_000 }, async () => {
  const dir = tempDir('autodidact-start-term-');
  const probe = path.join(dir, 'probe.sh');
  fs.writeFileSync(probe, [
    `source ${JSON.stringify(path.join(REPO, 'test', 'real-editor', 'code-server-env.sh'))}`,
    `start_group ${JSON.stringify(path.join(dir, 'group.log'))} sleep 600`,
    `echo "$STARTED_PGID" > ${JSON.stringify(path.join(dir, 'pgid'))}`,
    'while kill -0 "$STARTED_PGID" 2>/dev/null; do sleep 0.2; done',
    '',
  ].join('\n'));
  const start: string = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).scripts.start;
  const command = start.replace('test/real-editor/start-product.sh', probe);
  assert.notEqual(command, start, 'the start script runs test/real-editor/start-product.sh');
  const sh = spawn('sh', ['-c', command], { cwd: REPO, env: { ...process.env, AUTODIDACT_EDITOR_HOME: path.join(dir, 'editor') }, stdio: 'ignore' });
  let pgid = 0;
  try {
    assert.ok(await until(() => fs.existsSync(path.join(dir, 'pgid')) && fs.readFileSync(path.join(dir, 'pgid'), 'utf8').trim() !== '', 20_000), 'the probe started its group');
    pgid = Number(fs.readFileSync(path.join(dir, 'pgid'), 'utf8'));
    assert.ok(alive(pgid));
    sh.kill('SIGTERM'); // what npm does with the SIGTERM it receives
    assert.ok(await until(() => !alive(pgid), 10_000), 'the group start-product.sh started is stopped');
  } finally {
    if (pgid && alive(pgid)) process.kill(-pgid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
