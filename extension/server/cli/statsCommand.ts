// `autodidact stats [--json] [--table]`: the numbers of the status bar and panel, from the same query.
import { AutodidactStore } from '../store/autodidactStore';
import { readStats } from '../store/statsQuery';
import { registerAnalysis } from '../scoring/registerAnalysis';
import { formatStatsTable } from '../scoring/statsTable';
import { analysisOptionsFromFlags } from './analysisFlags';
import type { CliArgs } from './cliArgs';
import type { StoreStats } from '../../protocol/records';

export async function run(args: CliArgs): Promise<number> {
  const store = await AutodidactStore.open(args.dbDir);
  try {
    // When no editor owns the store, bring scores and categories up to date first (rules unless
    // --embeddings), as the editor's analysis server would; otherwise read what the editor derived.
    if (store.isOwner) await registerAnalysis(store, analysisOptionsFromFlags(args)).settle();
    const stats = readStats(store);
    const text = args.flags.table === true ? formatStatsTable(stats) : formatStats(stats);
    process.stdout.write(args.json ? `${JSON.stringify(stats)}\n` : text);
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
