// Issue 13 over real HTTP on loopback: a version trained on recall examples opens its answer with
// `<recall>\n- lesson\n</recall>\n`. Clients of the gateway (chat completions and the Responses API,
// whole and streamed) get the answer without that block; the captured interaction keeps it (the
// training set tells the live version's own recall apart by it). An answer that merely mentions
// `<recall>` later is unchanged, and one that does not open with `<` is streamed without delay. The
// backend writes the pieces the test gives it, split where a tokenizer might split them.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { CaptureBuffer } from '../../trainer-server/src/capture/captureBuffer';
import { RecallBlockFilter, withoutRecallBlock } from '../../trainer-server/src/gateway/recallBlockFilter';
import type { GenerationBackend, GenerationRequest } from '../../trainer-server/src/serving/generationBackend';
import { startGatewayOverBackend, type GatewayOverBackend } from './gatewayOverBackend';

const TOKEN = 'gateway-recall-block-test-token';
const BLOCK = '<recall>\n- Use `dayjs` instead of `moment`.\n</recall>\n';
const ANSWER = "import dayjs from 'dayjs';\nexport const due = (d: string) => dayjs(d).format('D MMM YYYY');";
/** The block and the answer as a tokenizer might cut them: through the tags and the newline after the block. */
const RECALL_PIECES = ['<', 'rec', 'all>\n- Use `dayjs` instead', ' of `moment`.\n</re', 'call>', '\nimport dayjs', " from 'dayjs';\nexport const due = (d: string) => dayjs(d).format('D MMM YYYY');"];
const MENTION = 'The training set marks recalled lessons with a <recall> block, like:\n<recall>\n- a lesson\n</recall>\n';

let buffer: CaptureBuffer;
let gateway: GatewayOverBackend;
let port: number;
/** What the backend writes next, piece by piece; `gate` (when set) is awaited after the first piece. */
let script: { pieces: string[]; gate?: Promise<void> } = { pieces: [] };

const scripted: GenerationBackend = {
  label: 'engine',
  generate: async (request: GenerationRequest) => {
    const { pieces, gate } = script;
    for (const [i, piece] of pieces.entries()) {
      request.onText?.(piece);
      if (i === 0 && gate) await gate;
      await new Promise((resolve) => setImmediate(resolve)); // each piece its own write, as a real backend's
    }
    return { text: pieces.join(''), promptTokens: 5, completionTokens: pieces.length, finishReason: 'stop' };
  },
};

before(async () => {
  gateway = await startGatewayOverBackend(scripted, TOKEN, 'autodidact-recall-block-');
  ({ port, buffer } = gateway);
});
after(() => gateway.close());

/** Posts a request; `onData` sees the body as it arrives. */
function post(route: string, body: Record<string, unknown>, onData: (soFar: string) => void = () => undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request({ port, host: '127.0.0.1', method: 'POST', path: route, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } }, (response) => {
      let read = '';
      response.on('data', (chunk: Buffer) => { read += chunk.toString(); onData(read); });
      response.on('end', () => (response.statusCode === 200 ? resolve(read) : reject(new Error(`${response.statusCode}: ${read}`))));
    });
    request.on('error', reject);
    request.end(JSON.stringify({ model: 'autodidact', ...body }));
  });
}

/** The `data:` payloads of an SSE body. */
function events(body: string): Array<Record<string, unknown>> {
  return body.split('\n').filter((line) => line.startsWith('data: {')).map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
}

/** The content deltas the client was sent, in order, from either route's stream. */
function deltas(body: string): string[] {
  return events(body).flatMap((e) => {
    if (e.type === 'response.output_text.delta') return [e.delta as string];
    const delta = (e.choices as Array<{ delta?: { content?: string } }> | undefined)?.[0]?.delta?.content;
    return delta ? [delta] : [];
  });
}

/** The answer a client reads: chat completions (whole or streamed) or the Responses API (whole or streamed). */
async function ask(route: '/v1/chat/completions' | '/v1/responses', stream: boolean, pieces: string[]): Promise<{ answer: string; deltas: string[]; captured: string }> {
  script = { pieces };
  const before = buffer.list().length;
  const body = await post(route, route === '/v1/responses' ? { input: 'Format the due date', stream } : { messages: [{ role: 'user', content: 'Format the due date' }], stream });
  let answer: string;
  if (stream) answer = deltas(body).join('');
  else if (route === '/v1/responses') answer = ((JSON.parse(body) as { output: Array<{ content: Array<{ text: string }> }> }).output[0].content[0].text);
  else answer = (JSON.parse(body) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content;
  const captured = buffer.list().slice(before).flatMap((e) => e.events).find((e) => e.type === 'interaction') as { interaction: { assistant_response: string } };
  return { answer, deltas: stream ? deltas(body) : [], captured: captured.interaction.assistant_response };
}

for (const route of ['/v1/chat/completions', '/v1/responses'] as const) {
  describe(route, () => {
    test('a whole answer comes without its recall block; the capture keeps it', async () => {
      const { answer, captured } = await ask(route, false, RECALL_PIECES);
      assert.equal(answer, ANSWER);
      assert.equal(captured, BLOCK + ANSWER);
    });

    test('a streamed answer comes without its recall block, in the pieces after it; the capture keeps it', async () => {
      const { answer, deltas: sent, captured } = await ask(route, true, RECALL_PIECES);
      assert.equal(answer, ANSWER);
      assert.ok(sent.every((d) => !d.includes('recall')), `no delta shows the block: ${JSON.stringify(sent)}`);
      assert.equal(sent.length, 2, 'after the block the model\'s pieces pass as they are');
      assert.equal(captured, BLOCK + ANSWER);
    });

    test('an answer that mentions <recall> later, or opens with another tag, is unchanged', async () => {
      const mention = [MENTION.slice(0, 20), MENTION.slice(20, 45), MENTION.slice(45)];
      for (const stream of [false, true]) {
        assert.equal((await ask(route, stream, mention)).answer, MENTION);
        assert.equal((await ask(route, stream, ['<re', 'ply>ok</reply>'])).answer, '<reply>ok</reply>');
        // A block that never closes is not one: nothing the model wrote is lost.
        assert.equal((await ask(route, stream, ['<recall>\n- half', ' a lesson'])).answer, '<recall>\n- half a lesson');
      }
    });

    test('an answer that does not open with "<" streams its first piece before the model goes on', { timeout: 10_000 }, async () => {
      let release!: () => void;
      script = { pieces: ['Use', ' dayjs.'], gate: new Promise<void>((resolve) => { release = resolve; }) };
      let firstSeen = false;
      const body = await post(route, route === '/v1/responses' ? { input: 'Format', stream: true } : { messages: [{ role: 'user', content: 'Format' }], stream: true }, (soFar) => {
        // The backend waits after its first piece until the client has read it.
        if (!firstSeen && deltas(soFar).join('') === 'Use') { firstSeen = true; release(); }
      });
      assert.ok(firstSeen);
      assert.equal(deltas(body).join(''), 'Use dayjs.');
    });
  });
}

test('the filter: leading whitespace, a CRLF after the block, and a block split in one-character pieces', () => {
  assert.equal(withoutRecallBlock(`\n ${BLOCK}answer`), 'answer');
  assert.equal(withoutRecallBlock('<recall>\n- x\n</recall>\r\nanswer'), 'answer');
  assert.equal(withoutRecallBlock('answer <recall>x</recall>\n'), 'answer <recall>x</recall>\n');
  const filter = new RecallBlockFilter();
  const out = [...`${BLOCK}ok`].map((c) => filter.push(c)).join('') + filter.flush();
  assert.equal(out, 'ok');
  assert.equal(filter.dropped, BLOCK, 'what was dropped is kept for a cut-off capture');
});
