// `autodidact import`: the JSON report, the table, discovery when no path is given, bad flags.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../extension/server/cli/importCommand';
import type { ImportReport } from '../../extension/server/importers/importReport';
import { ClaudeRecordFactory, claudeTurn } from './claudeRecordFactory';
import { ArrayCaptureSink } from './importersSupport';

type RunArgs = Parameters<typeof run>[0];

/** Runs the command with its output collected instead of printed. */
async function capture(args: Omit<RunArgs, 'print' | 'printError'>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run({ ...args, print: (text) => { out += text; }, printError: (text) => { err += text; } });
  return { code, out, err };
}

function transcript(): string {
  const dir = mkdtempSync(join(tmpdir(), 'autodidact-cli-'));
  const path = join(dir, 'session.jsonl');
  writeFileSync(path, `${[...claudeTurn(new ClaudeRecordFactory(), 1), ...claudeTurn(new ClaudeRecordFactory(), 2)].join('\n')}\n`);
  return path;
}

describe('autodidact import', () => {
  it('--json prints the report with per-file rows and totals; events reach the store', async () => {
    let closed = 0;
    const sink = Object.assign(new ArrayCaptureSink(), { close: async (): Promise<void> => { closed++; } });
    const { code, out } = await capture({ positional: [transcript()], flags: { json: true }, json: true, openStore: async () => sink });
    assert.equal(code, 0);
    const report = JSON.parse(out) as ImportReport;
    assert.deepEqual(Object.keys(report.files[0]).slice(0, 8), ['path', 'format', 'status', 'sessions', 'interactions', 'toolCalls', 'edits', 'errors']);
    assert.deepEqual([report.files[0].format, report.totals.interactions, report.totals.toolCalls, report.totals.edits], ['claude-code', 2, 6, 2]);
    assert.equal(sink.interactions().length, 2);
    assert.equal(closed, 1, 'the store is closed');
  });

  it('prints a readable table without --json, and --dry-run opens no store', async () => {
    let opened = false;
    const { code, out } = await capture({
      positional: [], flags: { 'dry-run': transcript() }, json: false,
      openStore: async () => { opened = true; return Object.assign(new ArrayCaptureSink(), { close: async () => undefined }); },
    });
    assert.equal(code, 0);
    assert.equal(opened, false);
    assert.match(out, /^file\s+format\s+status\s+sessions\s+interactions\s+toolCalls\s+edits\s+errors\s+skipped\n/);
    assert.match(out, /session\.jsonl\s+claude-code\s+imported\s+1\s+2\s+6\s+2\s+2\s+0/);
    assert.match(out, /\ntotal\s+1\s+2\s+6\s+2\s+2\s+0\n/);
  });

  it('with no paths, imports what discovery finds under the home folder', async () => {
    const home = mkdtempSync(join(tmpdir(), 'autodidact-cli-home-'));
    const project = join(home, '.claude', 'projects', '-home-dev-app');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'dddddddd-1111-4222-8333-444444444444.jsonl'), `${claudeTurn(new ClaudeRecordFactory(), 1).join('\n')}\n`);
    const saved = { HOME: process.env.HOME, CLAUDE_CONFIG_DIR: process.env.CLAUDE_CONFIG_DIR, cwd: process.cwd() };
    process.env.HOME = home;
    delete process.env.CLAUDE_CONFIG_DIR;
    process.chdir(home);
    try {
      const sink = Object.assign(new ArrayCaptureSink(), { close: async () => undefined });
      const { code, out } = await capture({ positional: [], flags: {}, json: true, openStore: async () => sink });
      assert.equal(code, 0);
      const report = JSON.parse(out) as ImportReport;
      assert.deepEqual(report.files.map((f) => [f.format, f.interactions]), [['claude-code', 1]]);
    } finally {
      process.chdir(saved.cwd);
      process.env.HOME = saved.HOME;
      if (saved.CLAUDE_CONFIG_DIR !== undefined) process.env.CLAUDE_CONFIG_DIR = saved.CLAUDE_CONFIG_DIR;
    }
  });

  it('rejects an unknown --format with exit code 2; all files failing gives 1', async () => {
    const bad = await capture({ positional: ['x'], flags: { format: 'notepad' }, json: false, openStore: async () => { throw new Error('not opened'); } });
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown --format notepad/);
    const sink = Object.assign(new ArrayCaptureSink(), { close: async () => undefined });
    const missing = await capture({ positional: ['/nonexistent/a.jsonl'], flags: {}, json: false, openStore: async () => sink });
    assert.equal(missing.code, 1);
    assert.match(missing.out, /! \/nonexistent\/a\.jsonl: cannot read: ENOENT/);
  });
});
