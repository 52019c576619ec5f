// One "VS Code window" in its own process: a real store on a folder, driven by JSON lines on stdin
// ({"capture": [...]}, {"query": "SQL"}, {"close": true}); answers one JSON line per command on
// stdout. Tests use it to run several windows against one store, as the editor does.
import * as readline from 'node:readline';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';

async function main(): Promise<void> {
  const [dir, retryText] = process.argv.slice(2);
  const store = await AutodidactStore.open(dir, { persistDelayMs: 20, leaseRetryMs: Number(retryText ?? '100') });
  process.stdout.write(`${JSON.stringify({ ready: store.isOwner ? 'owner' : 'follower' })}\n`);
  const keepAlive = setInterval(() => undefined, 1000);
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as { capture?: never[]; query?: string; close?: boolean };
    try {
      if (command.capture) await store.capture(command.capture);
      if (command.close) {
        await store.close();
        clearInterval(keepAlive);
        process.stdout.write(`${JSON.stringify({ closed: true })}\n`, () => process.exit(0)); // stdin stays open
        return;
      }
      const rows = command.query ? store.query(command.query) : [];
      process.stdout.write(`${JSON.stringify({ rows, owner: store.isOwner })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
    }
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
