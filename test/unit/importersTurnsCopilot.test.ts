// Copilot Chat turns on the real chatSessions file in ../shared: each request paired with its
// answer, and the edit the answer made extracted (its code in the answer, the file, the tool and
// the size of the change), not an empty code fence.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, importInto, whenFixtures } from './importersSupport';

const SESSION = 'copilot/gitai_chatSessions_v3_legacy.json';

whenFixtures('Copilot turns on the real session', () => {
  describe('chatSessions v3 (git-ai capture)', () => {
    it('turn 2 ("Change Bonjour World to hello world") carries the edit it made', async () => {
      const { sink } = await importInto([fixture(SESSION)]);
      const turns = sink.interactions();
      assert.deepEqual(turns.map((t) => t.user_request), ['What can you help me with?', 'Change Bonjour World to hello world', 'Search for any other mentions of Bonjour']);
      const edit = turns[1];
      // The textEditGroup's text sits inside the fence the answer opened for it.
      assert.equal(edit.assistant_response, [
        'I\'ll change "Bonjour World" to "hello world" in your selected text. ',
        '```',
        '// Print numbers 1 through 10',
        'for (let i = 1; i <= 10; i++) {',
        '\tconsole.log(i);',
        '}',
        '',
        "console.log('hello world');",
        '```',
        'Done! I\'ve changed "Bonjour World" to "hello world" in line 10 of your `index.ts` file.',
      ].join('\n'));
      assert.deepEqual(edit.files_modified, ['/Users/svarlamov/projects/testing-git/index.ts']);
      assert.deepEqual(edit.solutions_applied, ['replace_string_in_file edited /Users/svarlamov/projects/testing-git/index.ts']);
      // Six lines written over the range 5-10.
      assert.deepEqual(sink.files().map((f) => [f.interactionId, f.linesAdded, f.linesRemoved]), [[edit.id, 6, 6]]);
      assert.ok(turns[2].assistant_response.startsWith('I\'ll search for any other mentions of "Bonjour" in your workspace.'));
    });
  });
});
