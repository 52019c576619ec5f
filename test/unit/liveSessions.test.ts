// Live sessions: Claude Code session files grow on disk in a temporary home (found through
// CLAUDE_CONFIG_DIR, as discovery finds them for real), and the watcher imports each new turn into a
// real store within a fraction of a second, incrementally, by fs.watch and by the polling fallback.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LiveInteraction } from '../../extension/server/attribution/liveInteractions';
import { discoverSources } from '../../extension/server/importers/discoverSources';
import { readLiveOverview } from '../../extension/server/live/liveOverview';
import { LiveSessionWatcher, type LiveWatcherOptions } from '../../extension/server/live/liveSessionWatcher';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { ClaudeRecordFactory, claudeTurn } from './claudeRecordFactory';

const SESSION = 'bbbbbbbb-1111-4222-8333-444444444444';

async function until<T>(what: string, read: () => T | undefined, timeoutMs = 8_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function setUp(options: Partial<LiveWatcherOptions> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'autodidact-live-'));
  const claudeHome = join(root, 'claude');
  const project = join(claudeHome, 'projects', '-work-app');
  mkdirSync(project, { recursive: true });
  const env = { CLAUDE_CONFIG_DIR: claudeHome, CODEX_HOME: join(root, 'codex') };
  const store = await AutodidactStore.open(join(root, 'store'), { persistDelayMs: 10 });
  const received: LiveInteraction[] = [];
  const logs: string[] = [];
  const watcher = new LiveSessionWatcher({
    sink: store, discover: () => discoverSources(env, join(root, 'home'), 'linux', []),
    onInteractions: (list) => received.push(...list), log: (m) => logs.push(m), debounceMs: 50, ...options,
  });
  const interactionCount = (): number => store.query<{ n: number }>('SELECT COUNT(*) AS n FROM interactions')[0].n;
  const close = async (): Promise<void> => { await watcher.stop(); await store.close(); };
  return { root, claudeHome, project, store, watcher, received, logs, interactionCount, close };
}

test('a growing Claude Code session is imported turn by turn within a second, from where the last import stopped', async () => {
  const t = await setUp();
  try {
    const f = new ClaudeRecordFactory({ sessionId: SESSION, cwd: '/work/app' });
    const file = join(t.project, `${SESSION}.jsonl`);
    writeFileSync(file, `${claudeTurn(f, 1).join('\n')}\n`); // history from before the editor started
    await t.watcher.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(t.interactionCount(), 0, 'history is the import command\'s job, not the watcher\'s');

    const written = Date.now();
    appendFileSync(file, `${claudeTurn(f, 2).join('\n')}\n`);
    await until('the appended turn', () => (t.interactionCount() >= 2 ? true : undefined));
    const delay = Date.now() - written;
    assert.ok(delay < 2_000, `imported ${delay} ms after the write`);
    // The first change of a file imports it whole (no cursor yet): turn 1 arrives with turn 2.
    const cursor = t.store.importCursor(file)!;
    assert.ok(cursor.offset > 0, 'a cursor records where the import stopped');

    // The next turn: an Edit whose record is the evidence the editor attributes edits by.
    const sizeBefore = cursor.size;
    appendFileSync(file, `${claudeTurn(f, 3).join('\n')}\n`);
    const live = await until('turn 3 sent to the editor', () => t.received.find((i) => i.writes.some((w) => w.path.endsWith('module3.ts'))));
    assert.equal(live.source, 'claude-code');
    assert.deepEqual(live.writes.map((w) => [w.path, w.linesAdded, w.linesRemoved]), [['/home/dev/project/src/module3.ts', 1, 1]]);
    assert.equal(t.interactionCount(), 3);
    const after = t.store.importCursor(file)!;
    assert.ok(after.size > sizeBefore && after.offset >= sizeBefore - 1, 'resumed: the cursor moved past the old content');

    const status = t.watcher.status();
    assert.equal(status.locations[0]?.mode, 'watch');
    assert.deepEqual(status.sessions.map((s) => [s.format, s.path, s.interactions]), [['claude-code', file, 3]]);
    console.log(`  live import delay: ${delay} ms from append to store (fs.watch)`);

    // The panel's overview: sessions watched per assistant, and the editor's outcomes for their edits.
    await t.store.capture([
      { type: 'outcome', outcome: { id: 'ed-abc-1', interactionId: live.id, sessionId: live.sessionId, kind: 'diagnostic_fixed', value: 1, detail: 'module3.ts: error x', at: Date.now() } },
      { type: 'outcome', outcome: { id: 'not-from-the-editor', interactionId: live.id, kind: 'tool_ok', at: Date.now() + 1 } },
    ]);
    const overview = readLiveOverview(t.store, t.watcher.status());
    assert.deepEqual(overview.assistants, [{ assistant: 'claude-code', sessions: 1, interactions: 3 }]);
    assert.deepEqual(overview.lastOutcomes.map((o) => [o.kind, o.assistant, o.detail]), [['diagnostic_fixed', 'claude-code', 'module3.ts: error x']]);
  } finally {
    await t.close();
  }
});

test('a session started after the watch began, in a new project folder, is found', async () => {
  const t = await setUp({ sweepMs: 2_000 }); // the recursive watch adds the folder; the sweep is the safety net
  try {
    await t.watcher.start();
    const project = join(t.claudeHome, 'projects', '-work-other');
    mkdirSync(project);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const f = new ClaudeRecordFactory({ sessionId: SESSION, cwd: '/work/other' });
    appendFileSync(join(project, `${SESSION}.jsonl`), `${claudeTurn(f, 7).join('\n')}\n`);
    await until('the new session', () => (t.interactionCount() === 1 ? true : undefined));
  } finally {
    await t.close();
  }
});

test('the polling fallback imports appended turns too, and a broken file is reported once without stopping others', async () => {
  const t = await setUp({ usePolling: true, pollMs: 100 });
  try {
    await t.watcher.start();
    assert.equal(t.watcher.status().locations[0]?.mode, 'poll');
    const broken = join(t.project, 'broken.jsonl');
    writeFileSync(broken, '{"not": "a transcript"}\n');
    const f = new ClaudeRecordFactory({ sessionId: SESSION, cwd: '/work/app' });
    const file = join(t.project, `${SESSION}.jsonl`);
    const written = Date.now();
    appendFileSync(file, `${claudeTurn(f, 1).join('\n')}\n`);
    await until('the polled turn', () => (t.interactionCount() === 1 ? true : undefined));
    console.log(`  live import delay: ${Date.now() - written} ms from append to store (polling every 100 ms)`);
    appendFileSync(broken, '{"still": "not"}\n');
    appendFileSync(file, `${claudeTurn(f, 2).join('\n')}\n`);
    await until('the second polled turn', () => (t.interactionCount() === 2 ? true : undefined));
    await t.watcher.idle();
    assert.equal(t.logs.filter((l) => l.includes('broken.jsonl')).length, 1, t.logs.join('\n'));
  } finally {
    await t.close();
  }
});

test('stopping the watch stops the imports', async () => {
  const t = await setUp();
  try {
    await t.watcher.start();
    await t.watcher.stop();
    const f = new ClaudeRecordFactory({ sessionId: SESSION });
    appendFileSync(join(t.project, `${SESSION}.jsonl`), `${claudeTurn(f, 1).join('\n')}\n`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(t.interactionCount(), 0);
    assert.equal(t.watcher.status().watching, false);
  } finally {
    await t.close();
  }
});
