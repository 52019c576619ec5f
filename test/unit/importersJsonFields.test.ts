// The two tolerant JSON helpers the format readers share (readerSupport.ts): a JSON text that may not be
// an object, and tool arguments or results written as an object or as a JSON string of one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asJsonObject, parseJsonObject } from '../../extension/server/importers/readerSupport';

describe('parseJsonObject', () => {
  it('returns the object a JSON text holds', () => {
    assert.deepEqual(parseJsonObject('{"type":"user","n":1}'), { type: 'user', n: 1 });
  });
  it('returns undefined for text that is not JSON or not an object, without throwing', () => {
    for (const text of ['', '{"cut', 'null', '[1,2]', '"a string"', '42']) assert.equal(parseJsonObject(text), undefined, text);
  });
});

describe('asJsonObject', () => {
  it('keeps an object as it is and parses a JSON string of one', () => {
    const args = { path: 'a.ts' };
    assert.equal(asJsonObject(args), args);
    assert.deepEqual(asJsonObject('{"command":"npm test"}'), { command: 'npm test' });
  });
  it('gives an empty object for anything else', () => {
    for (const value of [undefined, null, '', 'not json', '[1]', 7, true, ['a']]) assert.deepEqual(asJsonObject(value), {}, String(value));
  });
});
