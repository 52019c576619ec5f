// Recall through the real gateway on loopback (tiny model): lessons handed over in the trainer home's
// lessons.json reach the model's context for a related request (more prompt tokens, the ids in the
// x-autodidact-lessons header and in the captured interaction), not for an unrelated one, and not
// when the client asks for no recall.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { LessonRecord } from '../../extension/protocol/records';
import type { CapturedExchange } from '../../extension/protocol/trainerProtocol';
import { writeLessonsFile } from '../../extension/server/lessons/lessonsFile';
import { connect, startServer, tempDir, type StartedServer } from './trainerTestKit';

const lesson = (id: string, text: string, trigger: string, extra: Partial<LessonRecord> = {}): LessonRecord => ({
  id, text, trigger, tags: [], confidence: 0.6, advantage: null, samples: 0, retired: false, disabled: false, approved: true, evidence: ['a', 'b'], recalls: 0, createdAt: 1, lastUsedAt: 1, ...extra,
});

describe('gateway recall', { timeout: 240_000 }, () => {
  const home = tempDir();
  let started: StartedServer | undefined;
  after(async () => { await started?.server.stop(); fs.rmSync(home, { recursive: true, force: true }); });

  test('related requests get the lesson in context and record it; unrelated ones and recall-off ones do not', async () => {
    writeLessonsFile(home, [
      lesson('lesson-dates', 'Use `parse_iso`, not strptime.', 'pars dat str api respons datetim strptim', { example: { request: 'Parse the created date', answer: '```python\nparse_iso(payload["created_example_marker"])\n```' } }),
      lesson('lesson-http', 'Use httpx in this project.', 'fetch list open order http api request'),
      lesson('lesson-off', 'Never use print in job code.', 'report progress import job process batch', { disabled: true }),
      lesson('lesson-pending', 'Never use print in job code.', 'report progress import job process batch', { approved: undefined }),
    ]);
    started = await startServer(home);
    const received: CapturedExchange[] = [];
    const client = await connect(started.server, true, (event) => { if (event.event === 'capture') received.push(...event.exchanges); });
    const ask = async (content: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${started!.server.httpUrl}/v1/chat/completions`, {
        method: 'POST', headers: { authorization: `Bearer ${started!.server.token}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model: 'autodidact', messages: [{ role: 'user', content }], max_tokens: 2 }),
      });
      assert.equal(res.status, 200);
      const body = await res.json() as { usage: { prompt_tokens: number } };
      return { lessons: res.headers.get('x-autodidact-lessons'), promptTokens: body.usage.prompt_tokens };
    };
    const related = await ask('Parse the expiry date string from the API response');
    assert.equal(related.lessons, 'lesson-dates');
    const off = await ask('Parse the expiry date string from the API response', { 'x-autodidact-recall': 'off' });
    assert.equal(off.lessons, null);
    assert.ok(related.promptTokens > off.promptTokens + 10, `the lesson is in the model's context (${related.promptTokens} vs ${off.promptTokens} prompt tokens)`);
    assert.equal((await ask('Explain what the CSS property justify-content does')).lessons, null);
    assert.equal((await ask('Report progress while the import job processes each batch')).lessons, null, 'a disabled or pending lesson is not handed over');

    const deadline = Date.now() + 20_000;
    while (received.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const recalledBy = new Map(received.map((e) => {
      const i = e.events.find((x) => x.type === 'interaction');
      assert.ok(i && i.type === 'interaction');
      return [i.interaction.user_request + (i.interaction.recalledLessons ? ' [recall]' : ''), i.interaction.recalledLessons];
    }));
    assert.deepEqual(recalledBy.get('Parse the expiry date string from the API response [recall]'), ['lesson-dates']);
    assert.ok(recalledBy.has('Parse the expiry date string from the API response'), 'the recall-off request is captured without lessons');
    assert.ok(received.every((e) => !JSON.stringify(e).includes('<recall>')), 'the captured request is what the user sent, not the recall block');
    assert.ok(received.every((e) => !JSON.stringify(e).includes('created_example_marker')), "nor the lesson's worked example");

    // A new lessons.json is picked up without a restart.
    writeLessonsFile(home, [lesson('lesson-css', 'Prefer CSS grid for page layout.', 'css property justify content layout')]);
    const later = Date.now() + 1000; // mtime granularity
    while (Date.now() < later) await new Promise((r) => setTimeout(r, 100));
    fs.utimesSync(path.join(home, 'lessons.json'), new Date(), new Date());
    assert.equal((await ask('Explain what the CSS property justify-content does')).lessons, 'lesson-css');
    client.close();
  });
});
