// Issue 14 item 7: under `npm start` the editor's store is in the code-server profile inside the
// repository; `autodidact stats` without --db must read that one (not create an empty one elsewhere)
// and say which store it read and how to choose another. Runs the real CLI in a child process, with
// HOME and the XDG folders inside a temporary folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findStoreDir, knownStoreDirs } from '../../extension/server/cli/storeLocation';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { interaction, tempDir } from './storeTestKit';

const REPO = path.resolve(__dirname, '..', '..');

function cli(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'extension', 'server', 'cli.ts'), ...args], { cwd: REPO, env, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function isolatedEnv(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: path.join(root, 'home'), XDG_CONFIG_HOME: path.join(root, 'config'), XDG_DATA_HOME: path.join(root, 'data'), AUTODIDACT_EDITOR_HOME: path.join(root, 'editor') };
  delete env.AUTODIDACT_DB;
  return env;
}

async function storeWithOneInteraction(dir: string): Promise<void> {
  const store = await AutodidactStore.open(dir, { persistDelayMs: 0 });
  await store.capture([{ type: 'session', session: { id: 's1', source: 'editor', startedAt: 1_700_000_000_000 } }, interaction('i1')]);
  await store.close();
}

describe('the store a CLI command reads without --db', { timeout: 240_000 }, () => {
  it("reads the `npm start` editor's store and says so", async () => {
    const root = tempDir('autodidact-cli-store-');
    const env = isolatedEnv(root);
    const profileStore = knownStoreDirs(env, process.platform, env.HOME!, REPO)[0].dir;
    assert.equal(profileStore, path.join(root, 'editor', 'product', 'ud', 'User', 'globalStorage', 'autodidact.autodidact'));
    await storeWithOneInteraction(profileStore);
    const { status, stdout, stderr } = cli(['stats', '--json'], env);
    assert.equal(status, 0, stderr);
    assert.equal(JSON.parse(stdout).interactions, 1, 'the editor store, not an empty one');
    assert.match(stderr, new RegExp(`store ${profileStore.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(the \`npm start\` code-server store; choose another with --db PATH or AUTODIDACT_DB\\)`));
    assert.equal(fs.existsSync(path.join(root, 'config', 'Code', 'User', 'globalStorage', 'autodidact.autodidact')), false, 'no empty store was made elsewhere');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('with no store anywhere, says where it looked first and how to choose', () => {
    const root = tempDir('autodidact-cli-store-');
    const env = isolatedEnv(root);
    const { status, stdout, stderr } = cli(['stats', '--json'], env);
    assert.equal(status, 0, stderr);
    assert.equal(JSON.parse(stdout).interactions, 0);
    assert.match(stderr, /no store found in any editor's storage yet; choose another with --db PATH or AUTODIDACT_DB/);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('with --db, reads that store and prints nothing about it', async () => {
    const root = tempDir('autodidact-cli-store-');
    const env = isolatedEnv(root);
    const mine = path.join(root, 'mine');
    await storeWithOneInteraction(mine);
    const { status, stdout, stderr } = cli(['stats', '--json', '--db', mine], env);
    assert.equal(status, 0, stderr);
    assert.equal(JSON.parse(stdout).interactions, 1);
    assert.doesNotMatch(stderr, /autodidact: store /);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('of several stores, takes the one written last and names the others', () => {
    const root = tempDir('autodidact-cli-store-');
    const older = path.join(root, 'a');
    const newer = path.join(root, 'b');
    for (const dir of [older, newer]) { fs.mkdirSync(dir); fs.writeFileSync(path.join(dir, 'autodidact.db'), ''); }
    fs.utimesSync(path.join(older, 'autodidact.db'), new Date(1_000_000), new Date(1_000_000));
    const choice = findStoreDir([{ dir: older, editor: 'VS Code' }, { dir: newer, editor: 'code-server' }, { dir: path.join(root, 'none'), editor: 'VSCodium' }], '/fallback');
    assert.equal(choice.dir, newer);
    assert.match(choice.note ?? '', /the code-server store, written last; also found: .*a;/);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
