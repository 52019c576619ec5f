// A lesson's worked example (lessonExample.ts): the corrected request and the accepted fix's code are
// kept with the lesson when it is learnt through the real importer and store, added once to a lesson
// learnt before examples existed, redacted, clipped, handed to the gateway in lessons.json, and placed
// by recall as an earlier exchange after the system messages. Scoring reads what an answer's code does.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { runImport } from '../../extension/server/importService';
import { answerCode, lessonCompliance } from '../../extension/server/lessons/lessonAdvantage';
import { LessonBook } from '../../extension/server/lessons/lessonBook';
import { exampleOf, MAX_EXAMPLE_ANSWER_CHARS } from '../../extension/server/lessons/lessonExample';
import { messagesWithRecall } from '../../extension/server/lessons/lessonRecall';
import { LessonsFileReader, lessonsFilePath, writeLessonsFile } from '../../extension/server/lessons/lessonsFile';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { allSessions, writeAiderSessions } from '../bench/lessons/correctionSessions';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-lesson-example-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const turn = (id: string, request: string, response: string) => ({ id, sessionId: 's', request, response, startedAt: 1 });

describe('lesson examples', () => {
  test('learnt lessons keep the corrected request and the code of the accepted fix', async () => {
    const files = writeAiderSessions(path.join(root, 'projects'), allSessions());
    const store = await AutodidactStore.open(path.join(root, 'store'), { persistDelayMs: 10 });
    try {
      await runImport(store, { paths: files, format: 'aider' });
      const book = new LessonBook(store);
      await book.learn();
      const http = book.list().find((l) => l.text.includes('httpx'))!;
      assert.equal(http.example?.request, 'Fetch the list of open orders from the billing HTTP API');
      assert.match(http.example!.answer, /^```python\nimport httpx\n[\s\S]*timeout=10\)\.json\(\)\n```$/);
      assert.doesNotMatch(http.example!.answer, /requests/, 'the fix, not the attempt');

      // A lesson learnt before examples existed gets one on the next pass, once, as an undoable change.
      const { example: _dropped, ...withoutExample } = http;
      await store.capture([{ type: 'lesson', change: { id: 'lc-old', lessonId: http.id, kind: 'edited', before: http, after: withoutExample, reason: 'test: as learnt before examples', at: 2 } }]);
      assert.equal(book.get(http.id)!.example, undefined);
      await book.learn();
      assert.deepEqual(book.get(http.id)!.example, http.example);
      await book.undo();
      assert.equal(book.get(http.id)!.example, undefined, 'the added example is one journaled change');
      await book.learn();
      assert.equal(book.get(http.id)!.example, undefined, 'an example the user took back is not added again');

      // lessons.json carries the example to the gateway; a malformed one is dropped, the rule kept.
      const home = path.join(root, 'trainer-home');
      await book.approve(http.id);
      await book.approve(book.list().find((l) => l.text.includes('parse_iso'))!.id);
      writeLessonsFile(home, book.list());
      const handed = new LessonsFileReader(lessonsFilePath(home)).lessons();
      assert.equal(handed.find((l) => l.text.includes('parse_iso'))!.example?.request.length! > 0, true);
      const file = JSON.parse(fs.readFileSync(lessonsFilePath(home), 'utf8'));
      file.lessons[0].example = { request: 3 };
      fs.writeFileSync(lessonsFilePath(home), JSON.stringify(file));
      const reader = new LessonsFileReader(lessonsFilePath(home));
      const reread = reader.lessons();
      assert.equal(reread.length, 2);
      assert.equal(reread[0].example, undefined);
      // A second write within the same timestamp tick (coarse-clock filesystems) is still seen.
      const { mtime } = fs.statSync(lessonsFilePath(home));
      writeLessonsFile(home, book.list().filter((l) => l.id === http.id));
      fs.utimesSync(lessonsFilePath(home), mtime, mtime);
      assert.deepEqual(reader.lessons().map((l) => l.id), [http.id]);
    } finally {
      await store.close();
    }
  });

  test('an example is redacted and clipped at a line; a fix without code gives none', () => {
    const secret = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD';
    const long = Array.from({ length: 80 }, (_, i) => `value_${i} = compute(${i})`).join('\n');
    const example = exampleOf({ attempt: turn('a', `Call the API with key ${secret}`, 'x'), fix: turn('b', 'use the client', `Fixed:\n\`\`\`python\nclient = Client("${secret}")\n${long}\n\`\`\`\nDone.`) })!;
    assert.ok(!JSON.stringify(example).includes(secret), JSON.stringify(example).slice(0, 200));
    assert.ok(example.answer.length <= MAX_EXAMPLE_ANSWER_CHARS + 20);
    assert.match(example.answer, /\n```$/);
    assert.match(example.answer.split('\n').at(-2)!, /^value_\d+ = compute\(\d+\)$/, 'cut between lines');
    assert.equal(exampleOf({ attempt: turn('a', 'Rename it', 'x'), fix: turn('b', 'no, the other one', 'Renamed the variable everywhere.') }), undefined);
  });

  test('recall puts the rule in the system message and the example as an earlier exchange before the user turns', () => {
    const lesson = { text: 'Use `httpx` instead of `requests`.', example: { request: 'Fetch open orders', answer: '```python\nimport httpx\n```' } };
    const plain = { text: 'Never use print in job code.' };
    const conversation = [{ role: 'system' as const, content: 'You are terse.' }, { role: 'user' as const, content: 'hi' }, { role: 'assistant' as const, content: 'hello' }, { role: 'user' as const, content: 'Fetch the profile' }];
    const messages = messagesWithRecall(conversation, [lesson, plain]);
    assert.deepEqual(messages.map((m) => m.role), ['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    assert.match(messages[0].content, /^You are terse\.\n\n[^]*<recall>\n- Use `httpx` instead of `requests`\.\n- Never use print in job code\.\n<\/recall>$/);
    assert.deepEqual(messages.slice(1, 3), [{ role: 'user', content: 'Fetch open orders' }, { role: 'assistant', content: '```python\nimport httpx\n```' }]);
    assert.deepEqual(messages.slice(3), conversation.slice(1));
    const opened = messagesWithRecall([{ role: 'user' as const, content: 'Fetch the profile' }], [lesson]);
    assert.deepEqual(opened.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.deepEqual(messagesWithRecall(conversation, []), conversation);
  });

  test('compliance reads what the code does, not what the prose mentions', () => {
    const check = lessonCompliance({ text: 'Use `parse_iso` instead of `strptime`.' })!;
    assert.equal(check('Use `parse_iso` instead of `strptime`:\n```python\nfrom app.dates import parse_iso\nparse_iso(s)\n```'), true);
    assert.equal(check('Here is parse_iso:\n```python\ndatetime.strptime(s, "%Y")\n```'), false);
    assert.equal(check('```python\nparse_iso(s'), true, 'a block cut off by the token limit counts to the end');
    assert.equal(check('Call parse_iso on the string.'), true, 'an answer with no code is read whole');
    assert.equal(check('Call strptime and then parse_iso.'), false);
    assert.equal(answerCode('a ```ts\nx()\n``` b ```\ny()\n```'), 'x()\n\ny()\n');
  });
});
