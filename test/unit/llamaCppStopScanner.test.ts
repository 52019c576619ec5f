// StopScanner decides which decoded text llama.cpp's backend may stream: never any part of a stop sequence,
// never half a UTF-8 character, everything else as soon as it is certain.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StopScanner } from '../../trainer-server/src/serving/llamaCpp/stopScanner';

/** Feeds the answer growing piece by piece, as tokens decode, and collects what is sent. */
function feed(stops: string[], pieces: string[]): { sent: string[]; scanner: StopScanner } {
  const scanner = new StopScanner(stops);
  const sent: string[] = [];
  let text = '';
  for (const piece of pieces) {
    text += piece;
    sent.push(scanner.update(text));
    if (scanner.stopped) break;
  }
  sent.push(scanner.finish());
  return { sent, scanner };
}

test('text that may start a stop sequence is held until it cannot', () => {
  const { sent, scanner } = feed(['</end>'], ['Hello', ' </', 'b> world']);
  assert.deepEqual(sent, ['Hello', ' ', '</b> world', '']);
  assert.equal(scanner.stopped, false);
  assert.equal(scanner.sent, 'Hello </b> world');
});

test('the answer ends before the first stop sequence, across pieces, and none of it is sent', () => {
  const { sent, scanner } = feed(['STOP', '\n\n'], ['one ST', 'OP two']);
  assert.deepEqual(sent, ['one ', '', '']);
  assert.equal(scanner.stopped, true);
  assert.equal(scanner.sent, 'one ');
  assert.equal(feed(['STOP', '\n\n'], ['a\n', '\nb STOP']).scanner.sent, 'a', 'the earliest stop wins');
});

test('a trailing incomplete character (U+FFFD while its bytes arrive) is not sent until complete', () => {
  const { sent } = feed([], ['caf\uFFFD']);
  assert.deepEqual(sent, ['caf', '\uFFFD'], 'held while decoding, sent as is if the answer ends there');
  const scanner = new StopScanner([]);
  assert.equal(scanner.update('caf\uFFFD'), 'caf');
  assert.equal(scanner.update('café'), 'é');
});
