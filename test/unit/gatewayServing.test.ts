// The gateway serves soundly through the real trainer-server and Python engine (tiny model): a
// streaming client that disconnects has its generation cancelled in the engine (which is then free at
// once), a stop sequence ends generation in the engine (fewer tokens generated, not only trimmed), and
// concurrent streams are batched (every stream gets text before the first one ends) rather than queued.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startServer, tempDir, type StartedServer } from './trainerTestKit';

const LONG_PROMPT = [{ role: 'user' as const, content: 'Tell me a story about a long road and a small dog.' }];

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('gateway serving on the engine', { timeout: 180_000 }, () => {
  let started: StartedServer;
  let openai: OpenAI;
  let home: string;

  before(async () => {
    home = tempDir();
    started = await startServer(home);
    await started.server.core.booted;
    openai = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0, timeout: 120_000 });
  });
  after(async () => { await started?.server.stop(); });

  test('a streaming client that disconnects cancels its generation; the engine is free at once', async () => {
    const aborter = new AbortController();
    const response = await fetch(`${started.server.httpUrl}/v1/chat/completions`, {
      method: 'POST', signal: aborter.signal,
      headers: { authorization: `Bearer ${started.server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'autodidact', messages: LONG_PROMPT, max_tokens: 1800, temperature: 0, stream: true }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    while (!/"content":"[^"]/.test(seen)) seen += new TextDecoder().decode((await reader.read()).value); // some answer text arrived
    const disconnectedAt = Date.now();
    aborter.abort();
    await until(() => started.logs.some((line) => line.includes('the engine cancelled a generation')), 'the engine to report the cancellation', 20_000);
    const cancelMs = Date.now() - disconnectedAt;
    const report = started.logs.find((line) => line.includes('the engine cancelled a generation')) as string;
    const tokens = Number(/after (\d+) tokens/.exec(report)?.[1]);
    assert.ok(tokens > 0 && tokens < 1800, report);

    const askedAt = Date.now();
    const quick = await openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4, temperature: 0 });
    const quickMs = Date.now() - askedAt;
    assert.ok(quick.usage && quick.usage.completion_tokens >= 1);
    assert.ok(quickMs < 10_000, `a request after the cancel took ${quickMs} ms`);
    process.stderr.write(`# disconnect -> engine stopped in ${cancelMs} ms after ${tokens} of 1800 tokens; next request answered in ${quickMs} ms\n`);

    // The capture outbox on disk holds the exchange as not delivered, with what the client was sent:
    // at least the text it read before leaving, and not a full answer "cut off at max_tokens".
    const received = seen.split('\n').filter((line) => line.startsWith('data: {')).map((line) => (JSON.parse(line.slice(6)) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta?.content ?? '').join('');
    assert.ok(received.length > 0);
    const captured = fs.readFileSync(path.join(home, 'capture', 'gateway-exchanges.jsonl'), 'utf8').split('\n').filter(Boolean)
      .map((line) => JSON.parse(line) as { exchange?: { events: Array<{ type: string; interaction?: { user_request: string; assistant_response: string; issues_encountered: string[] } }> } })
      .flatMap((line) => line.exchange?.events ?? []).map((event) => event.interaction).filter((i) => i?.user_request === LONG_PROMPT[0].content);
    assert.equal(captured.length, 1, 'the cancelled exchange is captured once');
    const record = captured[0] as { assistant_response: string; issues_encountered: string[] };
    assert.ok(record.assistant_response.startsWith(received), `captured ${JSON.stringify(record.assistant_response.slice(0, 80))}; the client read ${JSON.stringify(received)}`);
    assert.deepEqual(record.issues_encountered, ['not delivered in full: the client disconnected; only this part of the answer was sent']);
  });

  test('a stop sequence ends the generation inside the engine', async () => {
    const full = await openai.chat.completions.create({ model: 'autodidact', messages: LONG_PROMPT, max_tokens: 40, temperature: 0 });
    const text = full.choices[0].message.content ?? '';
    const stop = text.slice(12, 15);
    const stopped = await openai.chat.completions.create({ model: 'autodidact', messages: LONG_PROMPT, max_tokens: 40, temperature: 0, stop: [stop] });
    assert.equal(stopped.choices[0].message.content, text.slice(0, text.indexOf(stop)));
    assert.equal(stopped.choices[0].finish_reason, 'stop');
    assert.ok((stopped.usage?.completion_tokens ?? 99) < (full.usage?.completion_tokens ?? 0), `stopped after ${stopped.usage?.completion_tokens} of ${full.usage?.completion_tokens} tokens`);
  });

  test('concurrent streams are batched: each has text before the first one ends', async () => {
    const firstTextAt: number[] = [];
    const endedAt: number[] = [];
    await Promise.all(Array.from({ length: 4 }, async (_, i) => {
      const stream = await openai.chat.completions.create({ model: 'autodidact', messages: LONG_PROMPT, max_tokens: 60, temperature: 0, stream: true });
      for await (const chunk of stream) if (chunk.choices[0]?.delta?.content && firstTextAt[i] === undefined) firstTextAt[i] = Date.now();
      endedAt[i] = Date.now();
    }));
    assert.equal(firstTextAt.filter((t) => t !== undefined).length, 4);
    assert.ok(Math.max(...firstTextAt) < Math.min(...endedAt), `first text at ${firstTextAt.map((t) => t - Math.min(...firstTextAt))} ms; ends at ${endedAt.map((t) => t - Math.min(...firstTextAt))} ms`);
  });
});
