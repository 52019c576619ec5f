// Distillation with a model (issue 13): the prompt carries the user's words and the answers' code,
// never the assistant's prose; a model's answer becomes a lesson only when it is one short rule about
// this exchange (not self-praise, not garbled, not about something else). Then the engine path for real:
// the trainer-server on loopback with the tiny model answers through the gateway, its garbled text is
// refused, and every lesson falls back to the extractor, the exchange uncaptured; an unreachable
// gateway falls back too, and is not asked again in the same pass.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import type { LessonJson } from '../../extension/server/cli/lessonsCommand';
import type { CorrectionExchange } from '../../extension/server/lessons/correctionExchanges';
import { distilLesson } from '../../extension/server/lessons/lessonExtractor';
import { distillationPrompt, gatewayPromptModel, modelDistiller, parseDistilled } from '../../extension/server/lessons/modelDistillation';
import { allSessions, writeAiderSessions } from '../bench/lessons/correctionSessions';
import { REPO_ROOT, startServer, tempDir, type StartedServer } from './trainerTestKit';

const fence = (lang: string, code: string): string => `\`\`\`${lang}\n${code}\n\`\`\``;
const turn = (id: string, request: string, response: string) => ({ id, sessionId: 's', request, response, startedAt: 1 });
const exchange: CorrectionExchange = {
  attempt: turn('a1', 'Write a function that parses the created date string from the API response',
    `Here it is.\n\n${fence('python', 'from datetime import datetime\n\ndef created_at(p):\n    return datetime.strptime(p["created"], "%Y-%m-%d")')}\n\nThis is correct and robust.`),
  correction: 'No, use the shared `parse_iso` helper instead of `strptime`, dates here are ISO 8601.',
  fix: turn('f1', 'No, use the shared `parse_iso` helper instead of `strptime`, dates here are ISO 8601.',
    `Understood, now it is perfect.\n\n${fence('python', 'from app.dates import parse_iso\n\ndef created_at(p):\n    return parse_iso(p["created"])')}`),
  signal: 'user_correction',
};

describe('distilling with a model: prompt and answer', () => {
  test('the prompt has the user\'s words and both answers\' code, not the assistant\'s prose', () => {
    const prompt = distillationPrompt(exchange);
    assert.match(prompt, /use the shared `parse_iso` helper instead of `strptime`/);
    assert.match(prompt, /datetime\.strptime/);
    assert.match(prompt, /return parse_iso\(p\["created"\]\)/);
    assert.doesNotMatch(prompt, /correct and robust|now it is perfect|Here it is|Understood/);
  });

  test('a short grounded rule is kept, with the request\'s trigger and the evidence', () => {
    const draft = parseDistilled('LESSON: Parse dates with the shared `parse_iso` helper, never with `strptime`\nWHEN: parsing date strings from API payloads', exchange)!;
    assert.equal(draft.text, 'Parse dates with the shared `parse_iso` helper, never with `strptime`.');
    assert.deepEqual(draft.evidence, ['a1', 'f1']);
    assert.ok(draft.trigger.split(' ').includes('pars') && draft.trigger.split(' ').includes('dat'), draft.trigger);
    assert.deepEqual(draft.tags, distilLesson(exchange)!.tags);
  });

  test('self-praise, ungrounded, garbled or shapeless answers are refused', () => {
    for (const answer of [
      'LESSON: My answer is now perfectly correct and follows best practices.',
      'LESSON: <one short imperative rule about the `parse_iso` helper and created dates>', // a template echoed (SmolLM2-135M did)
      'LESSON: Build file paths with `path.join`, never by adding strings.\nWHEN: building file paths', // the prompt's example copied
      'LESSON: Always write clean readable code with meaningful variable names.',
      'LESSON: the the the the the the date date date date',
      'Sure! Here is a lesson about dates: use parse_iso.',
      'LESSON: ok',
      '</s><s> LESSON LESSON ## 7 7 7',
      `LESSON: ${'use parse_iso for created dates '.repeat(8)}`,
    ]) assert.equal(parseDistilled(answer, exchange), undefined, answer);
  });

  test('a model that fails is not asked again in the pass; each lesson falls back', async () => {
    let calls = 0;
    const distil = modelDistiller(async () => { calls++; throw new Error('connect ECONNREFUSED'); });
    assert.equal(await distil(exchange), undefined);
    assert.equal(await distil(exchange), undefined);
    assert.equal(calls, 1);
  });
});

describe('distilling through the real gateway (tiny model)', { timeout: 300_000 }, () => {
  const root = tempDir('autodidact-lessons-distil-');
  let started: StartedServer | undefined;
  after(async () => { await started?.server.stop(); fs.rmSync(root, { recursive: true, force: true }); });

  test('the engine answers, its garbled text is refused, the extractor\'s lessons stand, nothing is captured', async () => {
    started = await startServer(path.join(root, 'home'));
    const { server } = started;
    // The engine path itself: a real answer comes back from the tiny model through the gateway.
    const raw = await gatewayPromptModel(server.httpUrl, server.token, 24)(distillationPrompt(exchange));
    assert.ok(raw.length > 0, 'the gateway answered');
    assert.equal(parseDistilled(raw, exchange), undefined, `the tiny model's text is not a usable rule: ${JSON.stringify(raw.slice(0, 120))}`);

    const files = writeAiderSessions(path.join(root, 'projects'), allSessions());
    const run = async (db: string, ...args: string[]) => promisify(execFile)(process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'extension/server/cli.ts'), ...args, '--db', db, '--no-embeddings'], { cwd: REPO_ROOT, encoding: 'utf8' });
    const withModel = path.join(root, 'with-model');
    const plain = path.join(root, 'plain');
    for (const db of [withModel, plain]) await run(db, 'import', ...files, '--format', 'aider');
    const buffered = server.core.status().captureBuffered;
    const viaGateway = await run(withModel, 'lessons', '--json', '--trainer', server.httpUrl, '--token', server.token);
    const extractorOnly = await run(plain, 'lessons', '--json');
    const texts = (out: string) => (JSON.parse(out) as LessonJson[]).map((l) => l.text).sort();
    assert.deepEqual(texts(viaGateway.stdout), texts(extractorOnly.stdout), 'every garbled answer fell back to the extractor');
    assert.equal((viaGateway.stderr.match(/was not a usable rule; the extractor distils it/g) ?? []).length, 6, `one refusal per correction exchange:\n${viaGateway.stderr}`);
    assert.equal(server.core.status().captureBuffered, buffered, 'distillation prompts are not captured as the user\'s work');

    // No gateway at all: the same lessons; the model is tried once, then the extractor distils the rest at once.
    const offline = path.join(root, 'offline');
    await run(offline, 'import', ...files, '--format', 'aider');
    const down = await run(offline, 'lessons', '--json', '--trainer', 'http://127.0.0.1:9', '--token', 'x');
    assert.deepEqual(texts(down.stdout), texts(extractorOnly.stdout));
    assert.equal((down.stderr.match(/distilling with the model failed/g) ?? []).length, 1, down.stderr);
  });
});
