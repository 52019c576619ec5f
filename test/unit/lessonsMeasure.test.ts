// `autodidact lessons measure` through the real CLI and a real gateway on loopback (tiny model):
// held-out requests of the lesson's kind come from the store (not the ones it was learned from), the
// advantage and sample size are stored, a lesson with no advantage beyond noise stops being active,
// and the measurement's samples are not captured as the user's interactions.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { LessonJson } from '../../extension/server/cli/lessonsCommand';
import type { MeasureRow } from '../../extension/server/cli/lessonsMeasure';
import { KINDS, allSessions, writeAiderSessions } from '../bench/lessons/correctionSessions';
import { REPO_ROOT, startServer, tempDir, type StartedServer } from './trainerTestKit';

describe('lessons measure', { timeout: 300_000 }, () => {
  const root = tempDir('autodidact-lessons-measure-');
  let started: StartedServer | undefined;
  after(async () => { await started?.server.stop(); fs.rmSync(root, { recursive: true, force: true }); });

  test('stores the advantage measured through the gateway; no advantage beyond noise: not active', async () => {
    const db = path.join(root, 'store');
    const cli = (...args: string[]): string => execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'extension/server/cli.ts'), ...args, '--db', db, '--no-embeddings'],
      { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const moment = KINDS.find((k) => k.name === 'moment')!;
    // The correction sessions, and later requests of the same kind answered without a correction.
    const later = moment.heldOut.map((request) => [{ request, answer: 'Sure.' }]);
    cli('import', ...writeAiderSessions(path.join(root, 'projects'), [...allSessions(), ...later]), '--format', 'aider');
    const lesson = (JSON.parse(cli('lessons', '--json')) as LessonJson[]).find((l) => l.text.includes('dayjs'))!;

    started = await startServer(path.join(root, 'home'));
    const buffered = started.server.core.status().captureBuffered;
    // Asynchronously: the server runs in this process, so a synchronous child would block it.
    const cliAsync = async (...args: string[]): Promise<string> => (await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'extension/server/cli.ts'), ...args, '--db', db, '--no-embeddings'], { cwd: REPO_ROOT, encoding: 'utf8' })).stdout;
    const rows = JSON.parse(await cliAsync('lessons', 'measure', lesson.id, '--trainer', started.server.httpUrl, '--token', started.server.token, '--rollouts', '1', '--max-tokens', '4', '--json')) as MeasureRow[];
    assert.equal(rows.length, 1);
    assert.equal(rows[0].heldOut, 2, 'the two later requests of its kind, not the one it was learned from');
    assert.equal(rows[0].samples, 2);
    const after = (JSON.parse(cli('lessons', '--json')) as LessonJson[]).find((l) => l.id === lesson.id)!;
    assert.equal(after.samples, 2);
    assert.equal(after.advantage, rows[0].advantage);
    assert.equal(after.active, rows[0].beyondNoise, 'active only with an advantage beyond noise');
    assert.equal(started.server.core.status().captureBuffered, buffered, 'measurement samples are not captured');
  });
});
