// Child process for killDuringPersist.test.ts: grows the store to a large database (so writing it
// takes long enough to be hit), then repeats "capture a few events, persist". It prints
// "ack <id>" only after capture() resolved and "persist <n>" just before each persist, so the test
// can SIGKILL it while the database is being written and still know what was acknowledged.
import * as fs from 'node:fs';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { sizedInteraction } from './faultKit';

async function main(): Promise<void> {
  const [dir, prefix, targetMbText] = process.argv.slice(2);
  const targetBytes = Number(targetMbText) * 2 ** 20;
  const store = await AutodidactStore.open(dir, { persistDelayMs: 600_000 }); // persists only when told
  const size = (): number => (fs.existsSync(store.databaseFile) ? fs.statSync(store.databaseFile).size : 0);
  let n = 0;
  if (size() < targetBytes) {
    const perInteraction = 20_000;
    while (n * perInteraction < targetBytes) {
      const batch = Array.from({ length: 100 }, () => sizedInteraction(`${prefix}-bulk${n++}`, perInteraction));
      await store.capture(batch);
      process.stdout.write(`ack-bulk ${prefix}-bulk0..${n - 1}\n`);
    }
    await store.flush();
  }
  process.stdout.write(`ready ${size()}\n`);
  for (let round = 0; ; round++) {
    for (let k = 0; k < 5; k++) {
      const id = `${prefix}-r${round}-${k}`;
      await store.capture([sizedInteraction(id, 500)]);
      process.stdout.write(`ack ${id}\n`);
    }
    process.stdout.write(`persist ${round}\n`);
    await store.flush();
    process.stdout.write(`persisted ${round}\n`);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
