// `autodidact rollback <version> [--trainer URL] [--token T] [--json]`: makes an earlier version live
// again (hot-swapped; the gateway keeps serving throughout).
import type { CliArgs } from './cliArgs';
import { connectTrainer } from './trainerConnection';
import { formatVersions } from './versionsCommand';

export async function run(args: CliArgs): Promise<number> {
  const version = args.positional[0];
  if (!version) {
    process.stderr.write('usage: autodidact rollback <version>   (see autodidact versions)\n');
    return 2;
  }
  const client = await connectTrainer(args);
  try {
    const snapshot = await client.call('rollback', { version });
    process.stdout.write(args.json ? `${JSON.stringify(snapshot)}\n` : `live: ${snapshot.live}\n${formatVersions(snapshot)}`);
    return 0;
  } finally {
    client.close();
  }
}
