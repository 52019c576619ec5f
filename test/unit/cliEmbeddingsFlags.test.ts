// Where the CLI finds the sentence model: the categories of `autodidact import` and the editor agree
// only if the CLI uses the model whenever it is on this machine, without downloading it unasked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analysisOptionsFromFlags, holdsModel } from '../../extension/server/cli/analysisFlags';
import { parseCliArgs } from '../../extension/server/cli/cliArgs';
import { ensureEmbeddingModel } from './analysisTestKit';
import { tempDir } from './storeTestKit';

const models = ensureEmbeddingModel();

function quietly<T>(run: () => T): { result: T; stderr: string } {
  const write = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stderr.write = ((chunk: string) => { stderr += chunk; return true; }) as typeof process.stderr.write;
  try { return { result: run(), stderr }; } finally { process.stderr.write = write; }
}

test('the prepared model folder is recognised, an empty one is not', () => {
  assert.equal(holdsModel(models), true);
  assert.equal(holdsModel(tempDir('empty-models-')), false);
});

test('AUTODIDACT_LOCAL_MODELS, then <db>/models, then the checkout: used offline without --embeddings', () => {
  const db = tempDir('cli-db-');
  const noCheckout = tempDir('no-checkout-');
  const fromEnv = analysisOptionsFromFlags(parseCliArgs(['stats', '--db', db]), { AUTODIDACT_LOCAL_MODELS: models }, noCheckout);
  assert.deepEqual(fromEnv.embeddings, { localModelPath: models, allowRemoteModels: false });
  // The editor downloaded it into the store's folder (same layout as the prepared one).
  fs.cpSync(models, path.join(db, 'models'), { recursive: true });
  const fromStore = analysisOptionsFromFlags(parseCliArgs(['stats', '--db', db]), {}, noCheckout);
  assert.deepEqual(fromStore.embeddings, { localModelPath: path.join(db, 'models'), allowRemoteModels: false });
  const checkout = path.resolve(models, '..', '..');
  const fromCheckout = analysisOptionsFromFlags(parseCliArgs(['stats', '--db', tempDir('cli-db-')]), {}, checkout);
  assert.deepEqual(fromCheckout.embeddings, { localModelPath: models, allowRemoteModels: false });
});

test('no model anywhere: rules, and stderr says so; --embeddings allows the download; --no-embeddings forces rules', () => {
  const db = tempDir('cli-db-');
  const nowhere = tempDir('no-checkout-');
  const { result, stderr } = quietly(() => analysisOptionsFromFlags(parseCliArgs(['stats', '--db', db]), {}, nowhere));
  assert.equal(result.embeddings, false);
  assert.match(stderr, /^categories: rule-based \(no embedding model in .*; --embeddings downloads it/);
  const download = analysisOptionsFromFlags(parseCliArgs(['import', '--embeddings', '--db', db]), {}, nowhere);
  assert.deepEqual(download.embeddings, { cacheDir: path.join(db, 'models') });
  const forced = analysisOptionsFromFlags(parseCliArgs(['import', '--no-embeddings', 'some/path', '--db', db]), { AUTODIDACT_LOCAL_MODELS: models }, nowhere);
  assert.equal(forced.embeddings, false);
  assert.deepEqual(parseCliArgs(['import', '--no-embeddings', 'some/path']).positional, ['some/path'], '--no-embeddings takes no value');
});
