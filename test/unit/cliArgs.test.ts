import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { defaultStoreDir, parseCliArgs } from '../../extension/server/cli/cliArgs';

test('flags, booleans, -o and positionals are parsed', () => {
  const args = parseCliArgs(['export', '--format', 'sharegpt', '-o', 'out.jsonl', '--json', '--min-effectiveness=0.8', 'extra'], {});
  assert.equal(args.command, 'export');
  assert.deepEqual(args.positional, ['extra']);
  assert.deepEqual(args.flags, { format: 'sharegpt', output: 'out.jsonl', json: true, 'min-effectiveness': '0.8' });
  assert.equal(args.json, true);
});

test('--db takes the store folder or its autodidact.db file', () => {
  assert.equal(parseCliArgs(['stats', '--db', '/tmp/store'], {}).dbDir, path.resolve('/tmp/store'));
  assert.equal(parseCliArgs(['stats', '--db', '/tmp/store/autodidact.db'], {}).dbDir, path.resolve('/tmp/store'));
  assert.equal(parseCliArgs(['stats'], { AUTODIDACT_DB: '/srv/ad' }).dbDir, path.resolve('/srv/ad'));
});

test('the default store is the VS Code global storage of the extension on each OS', () => {
  assert.equal(defaultStoreDir({}, 'linux', '/home/u'), '/home/u/.config/Code/User/globalStorage/autodidact.autodidact');
  assert.equal(defaultStoreDir({}, 'darwin', '/Users/u'), '/Users/u/Library/Application Support/Code/User/globalStorage/autodidact.autodidact');
  assert.match(defaultStoreDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u'), /Code.User.globalStorage.autodidact\.autodidact$/);
});

test('train --continue is a switch: it never swallows the next argument', () => {
  const args = parseCliArgs(['train', '--continue', '--trainer', 'ws://127.0.0.1:7878'], {});
  assert.equal(args.flags.continue, true);
  assert.equal(args.flags.trainer, 'ws://127.0.0.1:7878');
});
