// `autodidact versions [--trainer URL] [--token T] [--json]`: the trainer-server's version history.
import { servedByText } from '../../protocol/servedByText';
import type { VersionsSnapshot } from '../../protocol/trainerProtocol';
import type { CliArgs } from './cliArgs';
import { connectTrainer } from './trainerConnection';

export async function run(args: CliArgs): Promise<number> {
  const client = await connectTrainer(args);
  try {
    const snapshot = await client.call('listVersions', {});
    process.stdout.write(args.json ? `${JSON.stringify(snapshot)}\n` : formatVersions(snapshot));
    return 0;
  } finally {
    client.close();
  }
}

export function formatVersions(snapshot: VersionsSnapshot): string {
  const base = snapshot.baseModel;
  const lines = [`base model: ${base.id}${base.fallback ? ` (FALLBACK: ${base.reason ?? 'tiny local model'})` : ''}`];
  for (const v of snapshot.versions) {
    const loss = v.metrics ? `  held-out loss ${v.metrics.eval_loss.toFixed(4)}  token acc ${v.metrics.token_accuracy.toFixed(4)}` : '';
    const from = v.parent ? `  from ${v.parent} (${v.roundId})` : '  base';
    const served = v.servedBy ? `  ${servedByText(v.servedBy)}` : '';
    lines.push(`${v.name === snapshot.live ? '*' : ' '} ${v.name.padEnd(6)} ${new Date(v.createdAt).toISOString()}${from}${loss}${served}`);
  }
  return `${lines.join('\n')}\n`;
}
