// Child process for killDuringImport.test.ts: imports one transcript into the store at DIR and
// prints "importing" once the store is open, "batch <n>" each time a batch of events is durable,
// then "done <totals as JSON>" when the import finished.
import type { CaptureSink } from '../../extension/server/importers/captureSink';
import { importFiles } from '../../extension/server/importers/importFiles';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';

async function main(): Promise<void> {
  const [dir, file] = process.argv.slice(2);
  const store = await AutodidactStore.open(dir);
  process.stdout.write('importing\n');
  let batches = 0;
  const progress: CaptureSink = {
    capture: async (events) => {
      await store.capture(events);
      process.stdout.write(`batch ${++batches}\n`);
    },
    importCursor: (path) => store.importCursor(path),
  };
  const report = await importFiles([file], { store: progress });
  await store.close();
  process.stdout.write(`done ${JSON.stringify(report.totals)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
