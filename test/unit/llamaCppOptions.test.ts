// The trainer-server's llama.cpp options: --serve picks the generating backend; its settings need it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerArgs } from '../../trainer-server/src/serverOptions';
import { isGgufFile } from '../../trainer-server/src/baseModel/ggufBaseModel';

test('--serve llama-cpp carries its GGUF, context and parallel settings; the engine is the default', () => {
  assert.equal(parseServerArgs([], {}).llamaCpp, undefined);
  assert.deepEqual(parseServerArgs(['--serve', 'llama-cpp', '--llama-cpp-gguf', '/m/a.gguf', '--llama-cpp-parallel', '8'], {}).llamaCpp, { gguf: '/m/a.gguf', contextSize: undefined, parallel: 8 });
  assert.deepEqual(parseServerArgs(['--serve=llama-cpp', '--base-model', '/m/b.gguf'], {}).llamaCpp, { gguf: undefined, contextSize: undefined, parallel: undefined });
});

test('bad llama.cpp options are refused with the option named', () => {
  assert.throws(() => parseServerArgs(['--serve', 'llama'], {}), /--serve must be engine or llama-cpp/);
  assert.throws(() => parseServerArgs(['--serve', 'llama-cpp', '--llama-cpp-context', '0'], {}), /--llama-cpp-context must be a positive integer/);
  assert.throws(() => parseServerArgs(['--llama-cpp-gguf', '/m/a.gguf'], {}), /need --serve llama-cpp/);
});

test('a .gguf base model is recognised as a GGUF file to convert for training', () => {
  assert.equal(isGgufFile('/models/SmolLM2-135M-Instruct.Q4_1.GGUF'), true);
  assert.equal(isGgufFile('HuggingFaceTB/SmolLM2-135M-Instruct'), false);
});
