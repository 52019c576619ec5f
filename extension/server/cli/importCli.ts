// Binds `autodidact import` to the real store, with scoring and categories running as the events
// are merged, so `stats` right after an import shows scored interactions.
import { AutodidactStore } from '../store/autodidactStore';
import { registerAnalysis } from '../scoring/registerAnalysis';
import { analysisOptionsFromFlags } from './analysisFlags';
import type { CliArgs } from './cliArgs';
import { run as runImport } from './importCommand';

export async function run(args: CliArgs): Promise<number> {
  return runImport({
    ...args,
    openStore: async () => {
      const store = await AutodidactStore.open(args.dbDir);
      const analysis = registerAnalysis(store, analysisOptionsFromFlags(args));
      return {
        capture: (events) => store.capture(events),
        importCursor: (file) => store.importCursor(file),
        close: async () => {
          await analysis.settle();
          await store.close();
        },
      };
    },
  });
}
