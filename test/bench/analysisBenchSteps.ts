// Steps of `npm run bench` for the analysis side: capture, the store, import, scoring and embeddings.
// Each bench runs in its own process with --json; its figures are turned into table rows here.
import * as path from 'node:path';
import { lastJson, runChild } from './benchChild';
import { num, ratio, type BenchOptions, type BenchRow, type BenchStep } from './benchRows';
import type { CaptureFigures } from './captureBench';
import type { ImportFigures } from './importBench';
import type { ScoringFigures } from './scoringBench';
import type { StoreBenchFigures } from './storeBench';

async function tsBench<T>(options: BenchOptions, script: string, args: string[], timeoutMs: number): Promise<T> {
  const out = await runChild(process.execPath, ['--import', 'tsx', path.join('test', 'bench', script), '--json', ...args], { cwd: options.repo, timeoutMs });
  return lastJson<T>(out.stdout);
}

export const captureStep: BenchStep = {
  name: 'capture',
  async run(options) {
    const f = await tsBench<CaptureFigures>(options, 'captureBench.ts', [], 120_000);
    const rows: BenchRow[] = [
      { area: 'capture', figure: 'editor event → classify → buffer (CPU per event)', value: `${num(f.hotCpuUsPerEvent, 2)} µs` },
      { area: 'capture', figure: '... plus redacted batch every 10 events (CPU per event)', value: `${num(f.fullCpuUsPerEvent, 2)} µs`,
        reference: `budget ${f.budgetUsPerEvent} µs`, ratio: `${num(f.fullCpuUsPerEvent / f.budgetUsPerEvent, 3)} of budget` },
    ];
    return { rows, raw: f };
  },
};

export const storeStep: BenchStep = {
  name: 'store',
  async run(options) {
    const sizes = options.quick ? [10_000] : [10_000, 100_000];
    const f = await tsBench<StoreBenchFigures>(options, 'storeBench.ts', ['--sizes', sizes.join(',')], 420_000);
    const s = f.store;
    const r = 'notRun' in f.reference ? undefined : f.reference;
    const refNote = 'notRun' in f.reference ? f.reference.notRun : undefined;
    const rows: BenchRow[] = [
      { area: 'store', figure: 'disk: bare 2 KB append + fsync (median, during store run)', value: `${num(s.diskFsyncMsMedian, 2)} ms`,
        reference: r ? `${num(r.diskFsyncMsMedian, 2)} ms during node:sqlite run` : undefined },
      { area: 'store', figure: 'journal append + fsync, 1 interaction per append', value: `${num(s.journal.singleAppendsPerSecond, 0)} appends/s` },
      { area: 'store', figure: 'journal append + fsync, 100 interactions per append', value: `${num(s.journal.batchedMBps)} MB/s, ${num(s.journal.batchedEventsPerSecond, 0)} events/s` },
      { area: 'store', figure: 'capture(), 1 interaction per call (median latency)', value: `${num(s.singleCaptureMsMedian, 2)} ms`,
        reference: r ? `node:sqlite ${num(r.singleCaptureMsMedian, 2)} ms` : refNote, ratio: r ? `${num(r.singleCaptureMsMedian / s.singleCaptureMsMedian, 2)}x speed` : undefined },
      { area: 'store', figure: 'capture(), 100 interactions per call', value: `${num(s.batchedInteractionsPerSecond, 0)} interactions/s`,
        reference: r ? `node:sqlite ${num(r.batchedInteractionsPerSecond, 0)}/s` : refNote, ratio: ratio(s.batchedInteractionsPerSecond, r?.batchedInteractionsPerSecond) },
    ];
    for (const c of s.checkpoints) {
      const rc = r?.checkpoints.find((x) => x.interactions === c.interactions);
      const at = `${c.interactions.toLocaleString('en-US')} interactions`;
      rows.push(
        { area: 'store', figure: `${at}: database file`, value: `${num(c.databaseMB)} MB`, reference: rc ? `node:sqlite ${num(rc.databaseMB)} MB` : undefined, ratio: ratio(c.databaseMB, rc?.databaseMB) },
        { area: 'store', figure: `${at}: persist (flush) of the whole file`, value: `${num(c.flushMs, 0)} ms = ${num(c.flushMBps, 0)} MB/s` },
        { area: 'store', figure: `${at}: process RSS (JS heap / external)`, value: `${num(c.rssMB, 0)} MB (${num(c.heapMB, 0)} / ${num(c.externalMB, 0)})`,
          reference: rc ? `node:sqlite ${num(rc.rssMB, 0)} MB` : undefined, ratio: ratio(c.rssMB, rc?.rssMB) },
        { area: 'store', figure: `${at}: capture growth in batches of 1,000`, value: `${num(c.interactionsPerSecond, 0)} interactions/s`,
          reference: rc ? `node:sqlite ${num(rc.interactionsPerSecond, 0)}/s` : undefined, ratio: ratio(c.interactionsPerSecond, rc?.interactionsPerSecond) },
      );
    }
    const last = s.checkpoints.at(-1)?.interactions ?? 0;
    const previous = s.checkpoints.at(-2)?.interactions ?? 0; // one checkpoint: no earlier generation, all of it is replayed
    rows.push(
      { area: 'store', figure: `open at ${last.toLocaleString('en-US')} interactions (load + integrity check, journal trimmed)`, value: `${num(s.reopenTrimmedMs, 0)} ms` },
      { area: 'store', figure: `open replaying the journal of ${(last - previous).toLocaleString('en-US')} interactions (crash right after a big import)`, value: `${num(s.reopenMs, 0)} ms` },
    );
    return { rows, raw: f };
  },
};

export const importStep: BenchStep = {
  name: 'import',
  async run(options) {
    const f = await tsBench<ImportFigures>(options, 'importBench.ts', ['--mb', String(options.importMb)], 300_000);
    const m = f.modes;
    const file = `${num(f.generatedMB, 0)} MB Claude Code log`;
    const rows: BenchRow[] = [
      { area: 'import', figure: `importFiles, ${file} (all importer work, no storage)`, value: `${num(m.import?.mbPerSecond)} MB/s`,
        reference: m.parse ? `bare line-by-line JSON.parse ${num(m.parse.mbPerSecond)} MB/s` : undefined, ratio: ratio(m.import?.mbPerSecond, m.parse?.mbPerSecond) },
      { area: 'import', figure: 'importFiles: peak RSS / peak JS heap', value: `${num(m.import?.maxRssMb, 0)} MB / ${num(m.import?.peakHeapMb, 0)} MB`,
        reference: m.parse ? `JSON.parse ${num(m.parse.maxRssMb, 0)} MB / ${num(m.parse.peakHeapMb, 0)} MB` : undefined, ratio: ratio(m.import?.maxRssMb, m.parse?.maxRssMb) },
    ];
    if (m.store) rows.push({ area: 'import', figure: 'import into the real store (journal + sql.js + persist)', value: `${num(m.store.mbPerSecond)} MB/s, peak RSS ${num(m.store.maxRssMb, 0)} MB` });
    if (m.redact) rows.push({ area: 'import', figure: 'redaction alone, line by line', value: `${num(m.redact.mbPerSecond)} MB/s` });
    if (f.fixtureRedactionMBps !== null) rows.push({ area: 'import', figure: 'redaction on the real ../shared transcripts', value: `${num(f.fixtureRedactionMBps)} MB/s` });
    return { rows, raw: f };
  },
};

export const scoringStep: BenchStep = {
  name: 'scoring',
  async run(options) {
    const args = options.quick ? ['--n', '500', '--embedded', '60'] : ['--n', '2000', '--embedded', '300'];
    const f = await tsBench<ScoringFigures>(options, 'scoringBench.ts', args, 300_000);
    const rows: BenchRow[] = [
      { area: 'scoring', figure: 'effectiveness score (pure function)', value: `${num(f.pureScoresPerSecond, 0)} interactions/s` },
      { area: 'scoring', figure: 'capture + score + categorise + patterns (rules), real store', value: `${num(f.rulesStoreInteractionsPerSecond, 0)} interactions/s` },
      { area: 'scoring', figure: 'full rescore of a store', value: `${num(f.rescoreInteractionsPerSecond, 0)} interactions/s` },
    ];
    for (const [key, rate] of Object.entries(f.embeddingsPerSecond)) {
      const [dtype, threads] = key.split('/');
      rows.push({ area: 'scoring', figure: `embeddings all-MiniLM-L6-v2 ${dtype}, ${threads} thread(s), batch 16`, value: `${num(rate)} sentences/s` });
    }
    rows.push({ area: 'scoring', figure: 'capture + score + categorise with embeddings, real store', value: `${num(f.embeddingsStoreInteractionsPerSecond, 0)} interactions/s` });
    rows.push({ area: 'scoring', figure: 'category accuracy on the labelled set', value: Object.entries(f.accuracy).map(([k, v]) => `${k} ${num(v * 100)}%`).join(', ') });
    return { rows, raw: f };
  },
};
