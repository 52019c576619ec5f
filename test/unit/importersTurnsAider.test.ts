// Aider turns: each answer paired with the request it answers, on the real history in ../shared
// (turns named by their line in the file) and on hand-written logs in Aider's own layout for what
// that history does not contain (/ask echoes, API errors and re-typed requests, /undo, /help, ^C).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixture, importInto, whenFixtures } from './importersSupport';

const AIDER = 'aider/afi-core/.aider.chat.history.md';

function history(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'autodidact-aider-turns-')), '.aider.chat.history.md');
  writeFileSync(path, ['', '# aider chat started at 2025-09-01 08:00:00', '', '> Main model: gpt-4o with diff edit format  ', '', ...lines, ''].join('\n'));
  return path;
}

whenFixtures('Aider turns on the real history', () => {
  describe('afi-core .aider.chat.history.md', () => {
    it('named turns pair the request with the answer that follows it, in file order', async () => {
      const { sink } = await importInto([fixture(AIDER)]);
      const turns = sink.interactions();
      const byRequest = (start: string) => {
        const found = turns.filter((t) => t.user_request.startsWith(start));
        assert.equal(found.length, 1, start);
        return found[0];
      };
      // Line 18, then the answer on line 20.
      const first = byRequest('add a comment at the top of schemas/pipeline_config_schema.ts');
      assert.equal(first.assistant_response, 'Please add `schemas/pipeline_config_schema.ts` to the chat so I can make the necessary changes.');
      // Lines 65-66: two `####` lines with no answer between them are one request.
      assert.ok(byRequest('sync-afi\naider-afi').assistant_response.startsWith('Please add the following files to the chat if you want to make changes related to the `sync-afi`'));
      // Line 161 ("sync-afi" alone, run of 15:18:04), answered on line 163.
      const syncAlone = turns.filter((t) => t.user_request === 'sync-afi');
      assert.equal(syncAlone.length, 1);
      assert.ok(syncAlone[0].assistant_response.startsWith('To implement a "sync-afi" feature, the files most likely to need changes are:'));
      // Line 1018: a pasted import line; its answer (line 1024) replaces the import, then a SEARCH block fails to match.
      const importTurn = byRequest("import { PoIValidator } from './PoIValidator';");
      assert.ok(importTurn.assistant_response.startsWith('To update the import statement from `PoIValidator` to `SignalScorer`'));
      assert.ok(importTurn.issues_encountered.includes('# 1 SEARCH/REPLACE block failed to match!'));
      // Line 2025: the last request; the answer says nothing needed converting.
      const last = turns.at(-1)!;
      assert.ok(last.user_request.startsWith('Please scan all files under dist/ for any CommonJS usage'));
      assert.ok(last.assistant_response.startsWith('After scanning all provided files under `dist/`, **no CommonJS usage**'));
      // Requests appear in file order: their first lines, as in the file.
      const order = ['add a comment at the top', 'chmod +x', 'sync-afi\naider-afi', 'for dir in', 'sync-afi'];
      assert.deepEqual(turns.slice(0, 5).map((t, i) => t.user_request.startsWith(order[i])), [true, true, true, true, true]);
      // Slash commands (/add, /ls, /grep, /view, /mv, /find, /edit, /bye, /exit) are never requests.
      assert.equal(turns.filter((t) => /^\/[a-z]/.test(t.user_request)).length, 0);
    });
  });
});

describe('Aider turns in Aider\'s own log layout', () => {
  it('/ask X is logged twice (the command, then X as sent): one request "X"', async () => {
    const { sink } = await importInto([history([
      '#### /ask what does util.py do?  ', '', '#### what does util.py do?  ', '', 'It formats dates.', '', '> Tokens: 2k sent, 50 received.  ', '',
      '#### make it use ISO 8601  ', '', 'Done.', '', '> Tokens: 2k sent, 20 received.  ',
    ])]);
    const turns = sink.interactions();
    assert.deepEqual(turns.map((t) => [t.user_request, t.assistant_response]), [
      ['what does util.py do?', 'It formats dates.'],
      ['make it use ISO 8601', 'Done.'],
    ]);
  });

  it('a request re-typed after an API error: each attempt is its own interaction, the failed ones carry the error', async () => {
    const { sink } = await importInto([history([
      '#### fix the off-by-one in parser.py  ', '',
      '> litellm.APIConnectionError: APIConnectionError: OpenAIException - Connection error.  ',
      '> Retrying in 0.2 seconds...  ',
      '> litellm.APIConnectionError: APIConnectionError: OpenAIException - Connection error.  ', '',
      '#### fix the off-by-one in parser.py  ', '',
      '> litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached for gpt-4o  ',
      '> The API provider has rate limited you. Try again later or check your quotas.  ', '',
      '#### fix the off-by-one in parser.py  ', '',
      'parser.py', '```python', '<<<<<<< SEARCH', 'for i in range(n + 1):', '=======', 'for i in range(n):', '>>>>>>> REPLACE', '```', '',
      '> Tokens: 3k sent, 60 received.  ', '> Applied edit to parser.py  ',
    ])]);
    const turns = sink.interactions();
    assert.deepEqual(turns.map((t) => t.user_request), ['fix the off-by-one in parser.py', 'fix the off-by-one in parser.py', 'fix the off-by-one in parser.py']);
    assert.deepEqual(turns.map((t) => t.assistant_response === ''), [true, true, false]);
    assert.deepEqual(turns[0].issues_encountered, ['litellm.APIConnectionError: APIConnectionError: OpenAIException - Connection error.']);
    assert.deepEqual(turns[1].issues_encountered, [
      'litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached for gpt-4o',
      'The API provider has rate limited you. Try again later or check your quotas.',
    ]);
    const apiErrors = sink.outcomes().filter((o) => o.kind === 'api_error');
    assert.deepEqual(apiErrors.map((o) => o.interactionId), [turns[0].id, turns[1].id]);
    assert.match(apiErrors[0].detail!, /^litellm\.APIConnectionError/);
    assert.deepEqual(turns[2].files_modified, ['parser.py']);
    assert.equal(new Set(turns.map((t) => t.id)).size, 3);
  });

  it('/undo right after an answer marks that answer undone, even one already followed by other commands', async () => {
    const { sink } = await importInto([history([
      '#### rename fmt to format_date  ', '', 'util.py', '```python', '<<<<<<< SEARCH', 'def fmt(d):', '=======', 'def format_date(d):', '>>>>>>> REPLACE', '```', '',
      '> Tokens: 2k sent, 80 received.  ', '> Applied edit to util.py  ', '> Commit abc1234 refactor: rename fmt  ', '',
      '#### add a docstring to format_date  ', '', 'util.py', '```python', '<<<<<<< SEARCH', 'def format_date(d):', '=======', 'def format_date(d):\n    """ISO date."""', '>>>>>>> REPLACE', '```', '',
      '> Tokens: 2k sent, 40 received.  ', '> Applied edit to util.py  ', '> Commit def5678 docs: docstring  ', '',
      '#### /diff  ', '', '#### /undo  ', '> Removed: def5678 docs: docstring  ', '',
      '#### explain util.py  ', '', 'It formats dates.', '', '> Tokens: 1k sent, 10 received.  ', '',
      '#### /undo  ', '> Removed: abc1234 refactor: rename fmt  ',
    ])]);
    const turns = sink.interactions();
    assert.deepEqual(turns.map((t) => t.user_request), ['rename fmt to format_date', 'add a docstring to format_date', 'explain util.py']);
    const undone = sink.outcomes().filter((o) => o.kind === 'edit_undone');
    // The first /undo removes the docstring commit; the second, after an answer with no commit,
    // rejects that answer (Aider itself reverts the older commit, but the user's verdict is on the latest answer).
    assert.deepEqual(undone.map((o) => [o.interactionId, o.detail]), [[turns[1].id, 'aider /undo'], [turns[2].id, 'aider /undo']]);
  });

  it('/help and /clear are commands: the help question, its echo and its answer are no interaction', async () => {
    const { sink } = await importInto([history([
      '#### /help how do I add a file?  ', '', '#### how do I add a file?  ', '', 'Use /add <file>.', '', '> Tokens: 1k sent, 10 received.  ', '',
      '#### /clear  ', '', '#### /help  ', '> /add  Add files to the chat  ', '',
      '#### write a test for util.py  ', '', 'Here is a test.', '', '> Tokens: 1k sent, 20 received.  ',
    ])]);
    assert.deepEqual(sink.interactions().map((t) => [t.user_request, t.assistant_response]), [['write a test for util.py', 'Here is a test.']]);
  });

  it('^C while the model is answering is a user interrupt; ^C at the prompt afterwards is not', async () => {
    const { sink } = await importInto([history([
      '#### refactor the whole engine  ', '', 'Sure, first we', '', '> ^C KeyboardInterrupt  ', '',
      '#### just rename run() to start()  ', '', 'Done.', '', '> Tokens: 1k sent, 5 received.  ', '>  ', '>  ', '> ^C again to exit  ', '> ^C KeyboardInterrupt  ',
    ])]);
    const turns = sink.interactions();
    const interrupts = sink.outcomes().filter((o) => o.kind === 'user_interrupt');
    assert.deepEqual(interrupts.map((o) => [o.interactionId, o.detail]), [[turns[0].id, '^C KeyboardInterrupt']]);
  });

  it('architect mode: the hand-over to the editor, logged as `####`, continues the same interaction', async () => {
    const { sink } = await importInto([history([
      '#### add a --verbose flag  ', '', 'Add a verbose option to cli.py and pass it to run().', '', '> Tokens: 2k sent, 30 received.  ', '',
      '#### Add a verbose option to cli.py and pass it to run().  ', '', 'cli.py', '```python', '<<<<<<< SEARCH', 'def main():', '=======', 'def main(verbose=False):', '>>>>>>> REPLACE', '```', '',
      '> Tokens: 2k sent, 50 received.  ', '> Applied edit to cli.py  ',
    ])]);
    const turns = sink.interactions();
    assert.equal(turns.length, 1);
    assert.equal(turns[0].user_request, 'add a --verbose flag');
    assert.deepEqual(turns[0].files_modified, ['cli.py']);
  });
});
