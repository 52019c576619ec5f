// `autodidact patterns [--json] [--category NAME] [--limit N] [--exclude ID | --include ID] [--embeddings]`:
// the recurring kinds of request, how well they go and whether they are getting better. --exclude keeps
// a pattern out of training sets (and --include brings it back).
import { AutodidactStore } from '../store/autodidactStore';
import { readPatterns, setPatternIncluded, type PatternSummary } from '../patterns/patternQuery';
import { analysisOptionsFromFlags } from './analysisFlags';
import { registerAnalysis } from '../scoring/registerAnalysis';
import type { CliArgs } from './cliArgs';

export async function run(args: CliArgs): Promise<number> {
  const limit = args.flags.limit === undefined ? undefined : Number(args.flags.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    process.stderr.write(`autodidact patterns: --limit needs a positive whole number (got ${String(args.flags.limit)})\n`);
    return 2;
  }
  const store = await AutodidactStore.open(args.dbDir);
  try {
    const analysis = registerAnalysis(store, analysisOptionsFromFlags(args));
    await analysis.settle();
    for (const flag of ['exclude', 'include'] as const) {
      const id = args.flags[flag];
      if (id === undefined) continue;
      if (typeof id !== 'string' || !(await setPatternIncluded(store, id, flag === 'include'))) {
        process.stderr.write(`autodidact patterns: no pattern with id ${String(id)}\n`);
        return 1;
      }
    }
    const category = typeof args.flags.category === 'string' ? args.flags.category : undefined;
    const patterns = readPatterns(store, { category, limit });
    process.stdout.write(args.json
      ? `${JSON.stringify({ classifierMode: analysis.status().classifierMode, patterns })}\n`
      : formatPatterns(patterns, analysis.status().classifierMode));
    return 0;
  } finally {
    await store.close();
  }
}

function formatPatterns(patterns: readonly PatternSummary[], mode: string): string {
  if (patterns.length === 0) return `No patterns yet (a pattern needs at least two similar interactions). Categories: ${mode}.\n`;
  const pct = (x: number | null): string => (x === null ? '   —  ' : `${(x * 100).toFixed(1).padStart(5)}%`);
  const trend = (x: number | null): string => (x === null ? '   —  ' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`.padStart(6));
  const lines = patterns.map((p) => {
    const name = p.name.slice(0, 70);
    return `${p.id.slice(0, 10)}  ${String(p.count).padStart(5)}  ${pct(p.avgEffectiveness)}  ${trend(p.trend)}  ${p.included ? ' ' : 'x'}  ${p.category.padEnd(14)} ${name}`;
  });
  return `${'id'.padEnd(10)}  count   avg    trend  x  category       name (words its requests share)\n${lines.join('\n')}\n` +
    `(x = excluded from training; categories: ${mode})\n`;
}
