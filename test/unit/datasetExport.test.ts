import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { openAnalysedStore, REPO, sessionEvents, type TurnSpec } from './analysisTestKit';
import { tempDir } from './storeTestKit';

const worked = [{ kind: 'vote' as const, value: 1 }, { kind: 'test_passed' as const }];

async function storeWithWork(): Promise<string> {
  const { store, dir } = await openAnalysedStore();
  for (let s = 0; s < 10; s++) {
    const turns: TurnSpec[] = [
      { request: `Fix the off-by-one in pagination of list ${s}`, response: `Changed < to <= in list ${s}.` },
      { request: 'still failing on the last page', response: `Also clamp the offset for list ${s}.`, outcomes: worked },
      { request: `Write the README usage section for tool ${s * 11}`, response: `## Usage\nRun tool ${s * 11} --help.`, outcomes: worked },
    ];
    await store.capture(sessionEvents(`ex${s}`, turns));
  }
  await store.close();
  return dir;
}

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'extension/server/cli.ts'), ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const readJsonl = (file: string): Array<Record<string, unknown>> =>
  fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

test('export writes train, eval and a dataset_info.json LLaMA-Factory reads, in all three formats, and records the hash', async () => {
  const db = await storeWithWork();
  const out = tempDir('export-');
  for (const format of ['openai', 'sharegpt', 'alpaca']) {
    const file = path.join(out, `${format}.jsonl`);
    const r = cli('export', '--db', db, '--format', format, '-o', file, '--json');
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { sha256: string; evalFile: string; recorded: boolean; stats: { train: number; eval: number; byKind: Record<string, number> } };
    assert.equal(result.sha256, createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
    assert.equal(result.recorded, true);
    assert.ok(result.stats.train > 0 && result.stats.eval > 0, JSON.stringify(result.stats));
    assert.ok(result.stats.byKind.improvement > 0);
    const rows = [...readJsonl(file), ...readJsonl(result.evalFile)];
    assert.equal(rows.length, result.stats.train + result.stats.eval);
    for (const row of rows) {
      if (format === 'openai') {
        const messages = row.messages as Array<{ role: string; content: string }>;
        assert.deepEqual(messages.filter((m) => m.role !== 'system').map((m) => m.role), ['user', 'assistant']);
      } else if (format === 'sharegpt') {
        const conversation = row.conversations as Array<{ from: string; value: string }>;
        conversation.forEach((m, i) => assert.equal(m.from, i % 2 === 0 ? 'human' : 'gpt', 'human at odd positions, gpt at even'));
      } else {
        assert.equal(typeof row.instruction, 'string');
        assert.equal(typeof row.output, 'string');
        assert.equal(row.input, '');
      }
    }
  }
  const info = JSON.parse(fs.readFileSync(path.join(out, 'dataset_info.json'), 'utf8')) as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(info).sort(), ['alpaca', 'alpaca_eval', 'openai', 'openai_eval', 'sharegpt', 'sharegpt_eval']);
  assert.deepEqual(info.openai, {
    file_name: 'openai.jsonl', formatting: 'sharegpt', columns: { messages: 'messages' },
    tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
  });
  assert.equal(info.sharegpt_eval.file_name, 'sharegpt.eval.jsonl');
  assert.equal(info.alpaca.formatting, 'alpaca');

  const store = await AutodidactStore.open(db);
  const recorded = store.query<{ sha256: string; format: string; examples: number }>('SELECT sha256, format, examples FROM datasets ORDER BY format');
  assert.deepEqual(recorded.map((r) => r.format), ['alpaca', 'alpaca:eval', 'openai', 'openai:eval', 'sharegpt', 'sharegpt:eval']);
  assert.ok(recorded.some((r) => r.sha256 === createHash('sha256').update(fs.readFileSync(path.join(out, 'openai.jsonl'))).digest('hex')));
  await store.close();
});

test('an existing dataset_info.json keeps its entries; a broken one stops the export with nothing written', async () => {
  const db = await storeWithWork();
  const out = tempDir('export-merge-');
  fs.writeFileSync(path.join(out, 'dataset_info.json'), JSON.stringify({ alpaca_en_demo: { file_name: 'alpaca_en_demo.json' } }));
  assert.equal(cli('export', '--db', db, '-o', path.join(out, 'mine.jsonl')).status, 0);
  const info = JSON.parse(fs.readFileSync(path.join(out, 'dataset_info.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(info).sort(), ['alpaca_en_demo', 'mine', 'mine_eval']);

  const broken = tempDir('export-broken-');
  fs.writeFileSync(path.join(broken, 'dataset_info.json'), '{ not json');
  const r = cli('export', '--db', db, '-o', path.join(broken, 'x.jsonl'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not valid JSON.*nothing was written/);
  assert.deepEqual(fs.readdirSync(broken), ['dataset_info.json']);
  assert.equal(fs.readFileSync(path.join(broken, 'dataset_info.json'), 'utf8'), '{ not json');
});

test('bad flags get a usage error; a threshold nobody reaches is explained', async () => {
  const db = await storeWithWork();
  const out = tempDir('export-bad-');
  assert.match(cli('export', '--db', db, '--format', 'csv', '-o', path.join(out, 'a.jsonl')).stderr, /--format must be one of openai, sharegpt, alpaca/);
  assert.equal(cli('export', '--db', db).status, 2);
  const high = cli('export', '--db', db, '-o', path.join(out, 'a.jsonl'), '--min-effectiveness', '1.5');
  assert.equal(high.status, 2);
  assert.match(high.stderr, /--min-effectiveness must be between 0 and 1/);
  const empty = tempDir('export-empty-db-');
  const none = cli('export', '--db', empty, '-o', path.join(out, 'b.jsonl'));
  assert.equal(none.status, 1);
  assert.match(none.stderr, /Nothing to train on: no interaction has been scored yet/);
  assert.equal(fs.existsSync(path.join(out, 'b.jsonl')), false);
});
