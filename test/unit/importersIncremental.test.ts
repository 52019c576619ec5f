// Importing again adds only what is new: JSONL files resume at their cursor (re-reading only the
// interaction that was still open), unchanged files are skipped, rewritten files start over, and
// ids never change, so the union of everything emitted has no duplicates.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ClaudeRecordFactory, claudeTurn } from './claudeRecordFactory';
import { ArrayCaptureSink, importInto } from './importersSupport';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'autodidact-incremental-'));
}

describe('importers: incremental', () => {
  it('Claude Code: append, import again, only new interactions are added', async () => {
    const path = join(tmp(), 'session.jsonl');
    const f = new ClaudeRecordFactory();
    const turn2 = claudeTurn(f, 2, ' — naïve café 🙂'); // multi-byte text: offsets are in bytes
    writeFileSync(path, `${[...claudeTurn(f, 1), ...turn2.slice(0, 3)].join('\n')}\n`);
    const sink = new ArrayCaptureSink();
    const first = await importInto([path], { sink });
    assert.deepEqual([first.report.files[0].interactions, first.report.files[0].edits], [2, 1]);
    const openTurnId = sink.interactions()[1].id;

    appendFileSync(path, `${[...turn2.slice(3), ...claudeTurn(f, 3), ...claudeTurn(f, 4)].join('\n')}\n`);
    const before = sink.events.length;
    const second = await importInto([path], { sink });
    // Turn 2 was still open (no answer yet): it is read again with the same id, plus turns 3 and 4.
    assert.deepEqual([second.report.files[0].interactions, second.report.files[0].edits], [3, 3]);
    const emitted = sink.events.slice(before).flatMap((e) => (e.type === 'interaction' ? [e.interaction.id] : []));
    assert.equal(emitted[0], openTurnId);
    const latest = sink.latestInteractions();
    assert.equal(latest.size, 4, 'four distinct interactions in all');
    assert.match(latest.get(openTurnId)?.assistant_response ?? '', /Fixed module2\.ts/);
    // Per turn: Read ok, Edit ok, Bash error + its exit code 1 + the failed `npm test` mined from its
    // output; none duplicated by the re-read.
    assert.equal(new Set(sink.outcomes().map((o) => o.id)).size, 4 * 5);
    assert.equal(sink.sessions().at(-1)?.workspace, '/home/dev/project', 'session facts recovered from the head on resume');

    const third = await importInto([path], { sink });
    assert.deepEqual([third.report.files[0].status, third.report.files[0].interactions], ['unchanged', 0]);
  });

  it('writes to the store in batches of at most 500 events, the cursor last', async () => {
    const path = join(tmp(), 'session.jsonl');
    const f = new ClaudeRecordFactory();
    writeFileSync(path, `${Array.from({ length: 120 }, (_, n) => claudeTurn(f, n).join('\n')).join('\n')}\n`);
    const sink = new ArrayCaptureSink();
    const { report } = await importInto([path], { sink });
    assert.equal(report.files[0].interactions, 120);
    assert.ok(sink.batchSizes.length > 1 && sink.batchSizes.every((size) => size <= 500), String(sink.batchSizes));
    assert.equal(sink.events.at(-1)?.type, 'importCursor');
  });

  it('a truncated last line is read once it is complete', async () => {
    const path = join(tmp(), 'session.jsonl');
    const f = new ClaudeRecordFactory();
    const lines = [...claudeTurn(f, 1), ...claudeTurn(f, 2)];
    const last = lines.pop() ?? '';
    writeFileSync(path, `${lines.join('\n')}\n${last.slice(0, 25)}`);
    const sink = new ArrayCaptureSink();
    const first = await importInto([path], { sink });
    assert.equal(first.report.files[0].truncated, 1);
    appendFileSync(path, `${last.slice(25)}\n`);
    const second = await importInto([path], { sink });
    assert.equal(second.report.files[0].truncated, 0);
    assert.match(sink.latestInteractions().get(sink.interactions()[1].id)?.assistant_response ?? '', /Fixed module2\.ts; one test still fails\.$/);
    assert.equal(sink.latestInteractions().size, 2);
  });

  it('a rewritten file (different head) is read from the start', async () => {
    const path = join(tmp(), 'session.jsonl');
    const sink = new ArrayCaptureSink();
    writeFileSync(path, `${claudeTurn(new ClaudeRecordFactory({ sessionId: 'first-session' }), 1).join('\n')}\n`);
    await importInto([path], { sink });
    writeFileSync(path, `${[...claudeTurn(new ClaudeRecordFactory({ sessionId: 'other-session' }), 1), ...claudeTurn(new ClaudeRecordFactory({ sessionId: 'other-session' }), 2)].join('\n')}\n`);
    const second = await importInto([path], { sink });
    assert.deepEqual([second.report.files[0].status, second.report.files[0].interactions], ['imported', 2]);
  });

  it('Codex: the resumed import keeps the session id from the head', async () => {
    const path = join(tmp(), 'rollout-2025-05-01T10-00-00-11111111-2222-4333-8444-555555555555.jsonl');
    const line = (type: string, payload: Record<string, unknown>, at: string): string => JSON.stringify({ timestamp: at, type, payload });
    const turn = (n: number): string[] => [
      line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: `task ${n}` }] }, `2025-05-01T10:0${n}:00Z`),
      line('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `done ${n}` }] }, `2025-05-01T10:0${n}:30Z`),
    ];
    writeFileSync(path, `${[line('session_meta', { id: 'codex-session-1', cwd: '/repo' }, '2025-05-01T10:00:00Z'), ...turn(1)].join('\n')}\n`);
    const sink = new ArrayCaptureSink();
    await importInto([path], { sink });
    appendFileSync(path, `${turn(2).join('\n')}\n`);
    const second = await importInto([path], { sink });
    assert.equal(second.report.files[0].interactions, 2);
    assert.equal(new Set(sink.interactions().map((i) => i.sessionId)).size, 1);
    assert.equal(sink.latestInteractions().size, 2);
    assert.equal(sink.sessions().at(-1)?.workspace, '/repo');
  });

  it('Continue dev_data: appended events only', async () => {
    const path = join(tmp(), 'autocomplete.jsonl');
    const event = (n: number): string => JSON.stringify({ eventName: 'autocomplete', schema: '0.2.0', timestamp: `2025-04-0${n}T10:00:00.000Z`, completionId: `c${n}`, prefix: 'const x = ', suffix: ';', completion: String(n), accepted: n % 2 === 0, modelName: 'm', filepath: 'file:///w/a.ts' });
    writeFileSync(path, `${[event(1), event(2)].join('\n')}\n`);
    const sink = new ArrayCaptureSink();
    await importInto([path], { sink });
    appendFileSync(path, `${event(3)}\n`);
    const second = await importInto([path], { sink });
    // Suggestions are outcomes, not chat interactions (issue 11): the appended one is one new outcome.
    assert.deepEqual([second.report.files[0].interactions, second.report.files[0].outcomes], [0, 1]);
    assert.deepEqual(sink.outcomes().map((o) => o.kind), ['suggestion_rejected', 'suggestion_accepted', 'suggestion_rejected']);
    assert.equal(new Set(sink.outcomes().map((o) => o.id)).size, 3);
  });

  it('Aider: a new run appended re-reads only the last run', async () => {
    const path = join(tmp(), '.aider.chat.history.md');
    const run = (n: number): string => `\n# aider chat started at 2025-07-1${n} 10:00:00\n\n> Main model: gpt-4o with diff edit format\n\n#### question ${n}\n\nanswer ${n}\n\n> Tokens: 1k sent, 10 received.\n`;
    writeFileSync(path, run(1) + run(2));
    const sink = new ArrayCaptureSink();
    const first = await importInto([path], { sink });
    assert.deepEqual([first.report.files[0].sessions, first.report.files[0].interactions], [2, 2]);
    appendFileSync(path, run(3));
    const second = await importInto([path], { sink });
    assert.deepEqual([second.report.files[0].sessions, second.report.files[0].interactions], [2, 2], 'run 2 (still open) and run 3');
    assert.equal(sink.latestInteractions().size, 3);
  });

  it('whole-file JSON changed: read again, same ids, the new request added', async () => {
    const path = join(tmp(), 'chat.json');
    const request = (n: number): Record<string, unknown> => ({ requestId: `r${n}`, message: { text: `q${n}` }, response: [{ value: `a${n}` }], timestamp: 1_700_000_000_000 + n });
    writeFileSync(path, JSON.stringify({ version: 3, sessionId: 's', creationDate: 1_700_000_000_000, requests: [request(1)] }));
    const sink = new ArrayCaptureSink();
    await importInto([path], { sink });
    writeFileSync(path, JSON.stringify({ version: 3, sessionId: 's', creationDate: 1_700_000_000_000, requests: [request(1), request(2)] }));
    const second = await importInto([path], { sink });
    assert.equal(second.report.files[0].interactions, 2);
    assert.equal(sink.latestInteractions().size, 2);
  });
});
