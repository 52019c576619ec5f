// `autodidact stats [--json] [--table]`: the numbers of the status bar and panel, from the same query.
import { AutodidactStore } from '../store/autodidactStore';
import { readStats } from '../store/statsQuery';
import type { CliArgs } from './cliArgs';
import type { StoreStats } from '../../protocol/records';

export async function run(args: CliArgs): Promise<number> {
  const store = await AutodidactStore.open(args.dbDir);
  try {
    const stats = readStats(store);
    process.stdout.write(args.json ? `${JSON.stringify(stats)}\n` : formatStats(stats));
    return 0;
  } finally {
    await store.close();
  }
}

function formatStats(stats: StoreStats): string {
  const percent = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const lines = [
    `Sessions:      ${stats.sessions}`,
    `Interactions:  ${stats.interactions}`,
    `Effectiveness: ${percent(stats.effectiveness)}`,
  ];
  for (const c of stats.categories) lines.push(`  ${c.name.padEnd(16)} ${String(c.examples).padStart(6)}  ${percent(c.avgEffectiveness)}`);
  return `${lines.join('\n')}\n`;
}
