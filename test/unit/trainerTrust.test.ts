// Issue 14 item 1: a repository cannot point the extension at another trainer-server, a token goes
// only to the origin it was kept for, and from a trainer-server only gateway exchanges of the
// gateway's own shape reach the store, redacted again on receipt.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { receiveGatewayExchanges } from '../../extension/client/trainer/gatewayExchanges';
import { LEGACY_TOKEN_KEY, tokenSecretKey, trainerOrigin, trainerUrlFromSettings } from '../../extension/client/trainer/trainerOrigin';
import { forgetTrainerToken, storeTrainerToken, trainerToken, type SecretStore } from '../../extension/client/trainer/trainerTokenStore';
import { forgetSecret } from '../../extension/shared/redaction/knownSecrets';
import { capturedExchange } from '../../trainer-server/src/capture/exchangeRecord';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

interface ConfigProperty { scope?: string; description?: string; markdownDescription?: string }

describe('workspace settings', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const properties = manifest.contributes.configuration.properties as Record<string, ConfigProperty>;
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];

  test('every setting that points at a process or a folder is machine-scoped and restricted in untrusted workspaces', () => {
    // A process is reached by URL; a folder by a directory or path setting.
    const pointing = Object.keys(properties).filter((name) => /(url|uri|host|directory|dir|folder|path|command|executable|python)$/i.test(name));
    assert.ok(pointing.includes('autodidact.trainer.url') && pointing.includes('autodidact.storage.directory'), `found: ${pointing.join(', ')}`);
    for (const name of pointing) {
      assert.equal(properties[name].scope, 'machine', `${name}: a repository's .vscode/settings.json must not set it`);
      assert.ok(restricted.includes(name), `${name}: listed in capabilities.untrustedWorkspaces.restrictedConfigurations`);
    }
  });

  test('the trainer URL is read from the user settings only, whatever a workspace says', () => {
    const hostile = 'ws://attacker.example:7878';
    assert.equal(trainerUrlFromSettings({ defaultValue: 'ws://127.0.0.1:7878', workspaceValue: hostile }), 'ws://127.0.0.1:7878');
    assert.equal(trainerUrlFromSettings({ defaultValue: 'ws://127.0.0.1:7878', workspaceFolderValue: hostile }), 'ws://127.0.0.1:7878');
    assert.equal(trainerUrlFromSettings({ defaultValue: 'ws://127.0.0.1:7878', globalValue: 'wss://gpu.lan:9000', workspaceValue: hostile }), 'wss://gpu.lan:9000');
    assert.equal(trainerUrlFromSettings({ defaultValue: 'ws://127.0.0.1:7878', globalValue: 'file:///etc/passwd' }), 'ws://127.0.0.1:7878', 'not a trainer URL: the default');
    assert.equal(trainerUrlFromSettings(undefined), 'ws://127.0.0.1:7878');
  });
});

/** SecretStorage's contract (get/store/delete by key) over a Map. */
class MapSecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | undefined> { return this.values.get(key); }
  async store(key: string, value: string): Promise<void> { this.values.set(key, value); }
  async delete(key: string): Promise<void> { this.values.delete(key); }
}

describe('trainer tokens by origin', () => {
  test('the ws:// and gateway http:// sides of one server share an origin; another host, port or TLS does not', () => {
    assert.equal(trainerOrigin('ws://127.0.0.1:7878'), 'ws://127.0.0.1:7878');
    assert.equal(trainerOrigin('http://127.0.0.1:7878/v1/chat/completions'), 'ws://127.0.0.1:7878');
    assert.equal(trainerOrigin('WSS://GPU.lan:443/'), 'wss://gpu.lan');
    assert.notEqual(tokenSecretKey('ws://127.0.0.1:7878'), tokenSecretKey('ws://127.0.0.1:7879'));
    assert.notEqual(tokenSecretKey('ws://gpu.lan:7878'), tokenSecretKey('wss://gpu.lan:7878'));
    assert.equal(trainerOrigin('ws://user:pw@gpu.lan'), undefined, 'credentials in the URL: not a trainer URL');
    assert.equal(trainerOrigin('file:///tmp/x'), undefined);
  });

  test('a token kept for one server is never handed out for another, and the old unkeyed token is dropped', async () => {
    const secrets = new MapSecrets();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-token-'));
    const tokenFile = path.join(dir, 'token');
    const localToken = 'L'.repeat(43);
    fs.writeFileSync(tokenFile, `${localToken}\n`);
    try {
      secrets.values.set(LEGACY_TOKEN_KEY, 'legacy-token-for-some-server');
      assert.equal(await trainerToken(secrets, 'ws://attacker.example:7878', tokenFile), undefined, 'a remote server gets neither the legacy token nor the local file');
      assert.equal(secrets.values.has(LEGACY_TOKEN_KEY), false);
      assert.equal(await trainerToken(secrets, 'ws://127.0.0.1:7878', tokenFile), localToken, 'a local server: read from its token file');
      assert.equal(await trainerToken(secrets, 'http://127.0.0.1:7878', tokenFile), localToken, 'its gateway side: the same token');
      assert.equal(await trainerToken(secrets, 'ws://attacker.example:7878', tokenFile), undefined, 'still nothing for the remote server');
      await storeTrainerToken(secrets, 'wss://gpu.lan:7878', 'R'.repeat(43));
      assert.equal(await trainerToken(secrets, 'wss://gpu.lan:7878', tokenFile), 'R'.repeat(43));
      assert.equal(await trainerToken(secrets, 'ws://127.0.0.1:7878', tokenFile), localToken, 'entering a remote token leaves the local one alone');
      await forgetTrainerToken(secrets, 'wss://gpu.lan:7878');
      assert.equal(await trainerToken(secrets, 'wss://gpu.lan:7878', tokenFile), undefined);
      assert.equal(await trainerToken(secrets, 'ws://127.0.0.1:7878', tokenFile), localToken);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      forgetSecret(localToken);
      forgetSecret('R'.repeat(43));
    }
  });
});

describe('gateway exchanges received from a trainer-server', () => {
  const exchange = () => capturedExchange({
    messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'How do I sort a list?' }],
    response: 'Use sorted(xs).', model: 'autodidact-v1.0', startedAt: 1_700_000_000_000, endedAt: 1_700_000_001_000, finishReason: 'stop',
  });
  const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  test('an exchange as the real gateway makes it is accepted unchanged', () => {
    const real = exchange();
    const { accepted, rejected } = receiveGatewayExchanges(clone([real]));
    assert.deepEqual(rejected, []);
    assert.deepEqual(clone(accepted), clone([real]));
  });

  test('deletes, scores, outcomes, other sources, foreign ids and malformed exchanges are refused', () => {
    const cases: Array<[string, (x: any) => unknown]> = [
      ['a delete of everything', (x) => ({ ...x, events: [x.events[0], { type: 'delete', target: { all: true }, at: 1 }] })],
      ['a delete as an extra event', (x) => ({ ...x, events: [...x.events, { type: 'delete', target: { all: true }, at: 1 }] })],
      ['a pre-scored interaction', (x) => { x.events[1].interaction.effectiveness = 1; return x; }],
      ['outcome events', (x) => { x.events[1].interaction.outcomes = [{ id: 'o', kind: 'vote', value: 1, at: 1 }]; return x; }],
      ['an outcome event', (x) => ({ ...x, events: [x.events[0], { type: 'outcome', outcome: { id: 'o', kind: 'test_passed', at: 1 } }] })],
      ['a claude-code interaction', (x) => { x.events[1].interaction.source = 'claude-code'; return x; }],
      ['an editor session', (x) => { x.events[0].session.source = 'editor'; return x; }],
      ['an id that overwrites an imported row', (x) => { x.id = x.events[1].interaction.id = 'claude-abc123'; return x; }],
      ['a session id of another source', (x) => { x.events[0].session.id = x.events[1].interaction.sessionId = 'claude-session-1'; return x; }],
      ['files_modified', (x) => { x.events[1].interaction.files_modified = ['/etc/passwd']; return x; }],
      ['a non-numeric time', (x) => { x.events[1].interaction.startedAt = 'now'; return x; }],
      ['an import cursor', (x) => ({ ...x, events: [{ type: 'importCursor', cursor: {} }, x.events[1]] })],
      ['not an object', () => 'hello'],
    ];
    for (const [name, mutate] of cases) {
      const { accepted, rejected } = receiveGatewayExchanges([mutate(clone(exchange()))]);
      assert.equal(accepted.length, 0, `${name}: refused`);
      assert.equal(rejected.length, 1, `${name}: reported`);
      assert.ok(rejected[0].reason.length > 0);
    }
    assert.equal(receiveGatewayExchanges({ exchanges: [] }).rejected.length, 1, 'a payload that is not a list');
  });

  test('unknown fields are dropped and secrets a server left in are redacted on receipt', () => {
    const hostile: any = clone(exchange());
    const secret = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
    hostile.events[1].interaction.user_request = `deploy with DB_PASSWORD=hunter2hunter2 and ${secret}`;
    hostile.events[1].interaction.category = 'forced-category';
    hostile.events[1].interaction.references = ['x'];
    hostile.events[0].session.workspace = '/home/someone';
    const { accepted } = receiveGatewayExchanges([hostile]);
    assert.equal(accepted.length, 1);
    const interaction = (accepted[0].events[1] as any).interaction;
    assert.equal(interaction.user_request.includes(secret), false);
    assert.equal(interaction.user_request.includes('hunter2hunter2'), false);
    assert.deepEqual([interaction.category, interaction.references], [undefined, undefined]);
    assert.equal((accepted[0].events[0] as any).session.workspace, undefined);
  });

  test('a batch keeps the good exchanges and refuses only the bad one', () => {
    const good = exchange();
    const bad: any = clone(exchange());
    bad.events[1].interaction.effectiveness = 0.99;
    const { accepted, rejected } = receiveGatewayExchanges(clone([good, bad]));
    assert.deepEqual(accepted.map((a) => a.id), [good.id]);
    assert.deepEqual(rejected.map((r) => r.id), [bad.id]);
  });
});
