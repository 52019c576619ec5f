// The writer lease on platforms that need a socket FILE (macOS), exercised on this machine by asking
// for that platform's address: a store folder far longer than sun_path (104 bytes on macOS) still
// gets a socket at exactly the advertised path, and after its holder is SIGKILLed the next process
// removes the stale socket and owns the store.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WriterLease, leaseAddress, socketPathLimit } from '../../extension/server/store/writerLease';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';

/** A folder like a VS Code Insiders global-storage path, well over 104 bytes. */
const bases: string[] = [];
after(() => { for (const base of bases) fs.rmSync(base, { recursive: true, force: true }); });

function longFolder(): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-lease-'));
  bases.push(base);
  const dir = path.join(base, 'Library', 'Application Support', 'Code - Insiders', 'User', 'globalStorage', 'autodidact.autodidact-vscode-extension', 'store');
  fs.mkdirSync(dir, { recursive: true });
  assert.ok(Buffer.byteLength(path.join(dir, 'writer.sock')) > 108, 'the folder is longer than any sun_path');
  return dir;
}

function holdLeaseInChild(address: string): { kill: () => Promise<void>; state: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'leaseHolder.ts'), address], { stdio: ['ignore', 'pipe', 'inherit'] });
  const state = new Promise<string>((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { state, kill: async () => { child.kill('SIGKILL'); await exited; } };
}

test('a long store path gets a socket file that fits, and a killed holder\'s stale socket is removed', { timeout: 60_000 }, async () => {
  const store = longFolder();
  // The temp folder is long too, so the /tmp fallback is taken as well.
  for (const tmp of [os.tmpdir(), store]) {
    const address = leaseAddress(store, 'darwin', tmp);
    assert.ok(Buffer.byteLength(address) <= socketPathLimit('darwin'), `${address} fits in macOS's sun_path`);
    assert.equal(leaseAddress(store, 'darwin', tmp), address, 'every window computes the same address');

    const holder = holdLeaseInChild(address);
    assert.equal(await holder.state, 'held');
    assert.ok(fs.lstatSync(address).isSocket(), 'the socket file is at the address itself, not at a truncated name');
    const other = new WriterLease(address);
    assert.equal(await other.tryAcquire(), false, 'a second process does not own the store while the holder lives');

    await holder.kill();
    assert.ok(fs.existsSync(address), 'SIGKILL leaves the socket file behind');
    assert.equal(await other.tryAcquire(), true, 'the next process removes the stale socket and owns the store');
    await other.release();
    assert.equal(fs.existsSync(address), false, 'a clean release removes the socket file');
  }
});

test('a file at the lease address that is not a socket is never deleted', async () => {
  const store = longFolder();
  const address = leaseAddress(store, 'darwin');
  fs.writeFileSync(address, 'not a socket');
  try {
    assert.equal(await new WriterLease(address).tryAcquire(), false);
    assert.equal(fs.readFileSync(address, 'utf8'), 'not a socket');
  } finally {
    fs.rmSync(address, { force: true });
  }
});

test('a socket path longer than the platform keeps is refused, not truncated', () => {
  assert.throws(() => new WriterLease(path.join(longFolder(), 'writer.sock')), /longer than this platform keeps/);
});

test('a store in a long folder is owned, released and owned again', { timeout: 30_000 }, async () => {
  const dir = longFolder();
  const first = await AutodidactStore.open(dir, { leaseRetryMs: 60_000 });
  assert.equal(first.isOwner, true);
  const second = await AutodidactStore.open(dir, { leaseRetryMs: 60_000 });
  assert.equal(second.isOwner, false);
  await first.close();
  await second.flush(); // takes over now that the lease is free
  assert.equal(second.isOwner, true);
  await second.close();
});
