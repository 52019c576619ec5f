// Holds a writer lease in its own process until killed: the test kills it with SIGKILL, as a crash
// or a force-quit editor would, and checks that the lease can be taken again.
import { WriterLease } from '../../extension/server/store/writerLease';

async function main(): Promise<void> {
  const lease = new WriterLease(process.argv[2]);
  process.stdout.write(`${(await lease.tryAcquire()) ? 'held' : 'refused'}\n`);
  setInterval(() => undefined, 1000); // stay alive until killed
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
