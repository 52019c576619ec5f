// A capture process for the durability tests: appends events through the real store and prints
// "ack <id>" only after capture() resolved, i.e. after the journal fsync. The test kills it at
// random moments and checks that every acknowledged id survived.
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import type { CaptureEvent } from '../../extension/protocol/records';

async function main(): Promise<void> {
  const [dir, prefix, countText] = process.argv.slice(2);
  const count = Number(countText ?? '1000000');
  const store = await AutodidactStore.open(dir, { persistDelayMs: 2, leaseRetryMs: 50 });
  process.stdout.write(`ready ${store.isOwner ? 'owner' : 'follower'}\n`);
  const padding = 'x'.repeat(2000); // bigger rows make persists slow enough to be hit by a kill
  for (let n = 0; n < count; n++) {
    const id = `${prefix}-${n}`;
    const event: CaptureEvent = {
      type: 'interaction',
      interaction: {
        id, sessionId: `${prefix}-session`, source: 'editor', startedAt: Date.now(),
        user_request: `request ${n} ${padding}`, assistant_response: `response ${n}`,
        tools_used: [], files_modified: [], issues_encountered: [], solutions_applied: [], effectiveness: null,
      },
    };
    await store.capture([event]);
    process.stdout.write(`ack ${id}\n`);
  }
  await store.close();
  process.stdout.write('closed\n');
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
