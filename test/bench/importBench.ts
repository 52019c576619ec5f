// Import throughput and memory on a generated Claude Code log (default 200 MB):
//   node --import tsx test/bench/importBench.ts [--mb 200] [--no-store] [--json]   (runAll.ts calls run())
// Each measurement runs in its own child process so peak RSS and heap are its own:
//   parse   bare reference: line-by-line read + JSON.parse, nothing else
//   import  importFiles with a counting sink (all importer work incl. redaction, no storage)
//   store   importFiles into the real AutodidactStore (journal + sql.js), end to end
//   redact  redactText over every line of the file
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CaptureEvent } from '../../extension/protocol/records';
import type { CaptureSink } from '../../extension/server/importers/captureSink';
import { importFiles } from '../../extension/server/importers/importFiles';
import { redactText } from '../../extension/shared/redaction/redactText';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { fixture, fixtureFiles, fixturesPresent } from '../unit/importersSupport';
import { writeClaudeLog } from './claudeLogGenerator';

interface Measurement { seconds: number; maxRssMb: number; peakHeapMb: number; detail: string }

/** Stands in for the store: counts what it is given and keeps nothing. */
class CountingSink implements CaptureSink {
  events = 0;
  async capture(events: CaptureEvent[]): Promise<void> { this.events += events.length; }
  importCursor(): undefined { return undefined; }
}

async function measure(run: () => Promise<string>): Promise<Measurement> {
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); }, 10);
  const start = process.hrtime.bigint();
  const detail = await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  return { seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, peakHeapMb: peakHeap / 2 ** 20, detail };
}

async function child(mode: string, file: string): Promise<Measurement> {
  switch (mode) {
    case 'parse':
      return measure(async () => {
        let records = 0;
        for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
          if (line) { JSON.parse(line); records++; }
        }
        return `${records} records`;
      });
    case 'import':
      return measure(async () => {
        const sink = new CountingSink();
        const report = await importFiles([file], { store: sink });
        const t = report.totals;
        return `${t.interactions} interactions, ${t.toolCalls} tool calls, ${t.edits} edits, ${t.errors} errors, ${t.outcomes} outcomes, ${sink.events} events, ${t.redacted} redacted`;
      });
    case 'store':
      return measure(async () => {
        const dir = mkdtempSync(join(tmpdir(), 'autodidact-bench-store-'));
        const store = await AutodidactStore.open(dir);
        try {
          const report = await importFiles([file], { store });
          await store.flush();
          const db = statSync(join(dir, 'autodidact.db')).size / 2 ** 20;
          return `${report.totals.interactions} interactions; database ${db.toFixed(1)} MB`;
        } finally {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      });
    case 'redact':
      return measure(async () => {
        let changed = 0;
        for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
          if (redactText(line) !== line) changed++;
        }
        return `${changed} lines changed`;
      });
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

function runChild(mode: string, file: string): Measurement {
  const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--child', mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Measurement;
}

export interface ImportFigures {
  generatedMB: number;
  lines: number;
  longestKB: number;
  /** parse (the bare JSON.parse reference), import, store, redact: each in its own process. */
  modes: Record<string, Measurement & { mbPerSecond: number }>;
  /** import time / bare JSON.parse time of the same file. */
  importOverParse: number | null;
  fixtureRedactionMBps: number | null;
}

export async function run(options: { mb?: number; store?: boolean } = {}): Promise<ImportFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'autodidact-bench-'));
  const file = join(dir, 'b0b0b0b0-1111-4222-8333-444444444444.jsonl');
  try {
    const generated = await writeClaudeLog(file, (options.mb ?? 200) * 2 ** 20);
    const mb = generated.bytes / 2 ** 20;
    const modes: ImportFigures['modes'] = {};
    for (const mode of options.store === false ? ['parse', 'import', 'redact'] : ['parse', 'import', 'store', 'redact']) {
      const m = runChild(mode, file);
      modes[mode] = { ...m, mbPerSecond: mb / m.seconds };
    }
    return {
      generatedMB: mb, lines: generated.lines, longestKB: generated.longest / 1024, modes,
      importOverParse: modes.parse && modes.import ? modes.import.seconds / modes.parse.seconds : null,
      fixtureRedactionMBps: fixtureRedactionRate(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fixtureRedactionRate(): number | null {
  const fixtureText = fixtureCorpus();
  if (!fixtureText) return null;
  const start = process.hrtime.bigint();
  const rounds = 5;
  for (let i = 0; i < rounds; i++) redactText(fixtureText);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return (Buffer.byteLength(fixtureText) * rounds) / 2 ** 20 / seconds;
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    process.stdout.write(`${JSON.stringify(await child(argv[1], argv[2]))}\n`);
    return;
  }
  const mbIndex = argv.indexOf('--mb');
  const figures = await run({ mb: mbIndex === -1 ? 200 : Number(argv[mbIndex + 1]), store: !argv.includes('--no-store') });
  if (argv.includes('--json')) {
    console.log(JSON.stringify(figures));
    return;
  }
  console.log(`Generated ${figures.generatedMB.toFixed(1)} MB Claude Code JSONL: ${figures.lines} lines, longest ${figures.longestKB.toFixed(0)} KB (node ${process.version})`);
  for (const [mode, m] of Object.entries(figures.modes)) {
    console.log(`${mode.padEnd(7)} ${m.seconds.toFixed(2).padStart(7)} s  ${m.mbPerSecond.toFixed(1).padStart(6)} MB/s  peak RSS ${m.maxRssMb.toFixed(0).padStart(5)} MB  peak heap ${m.peakHeapMb.toFixed(0).padStart(5)} MB  ${m.detail}`);
  }
  if (figures.importOverParse !== null) console.log(`import / bare JSON.parse time: ${figures.importOverParse.toFixed(2)}x`);
  if (figures.fixtureRedactionMBps !== null) {
    console.log(`redaction on the ../shared transcripts (all of them as one string, 5 rounds): ${figures.fixtureRedactionMBps.toFixed(1)} MB/s`);
  }
}

/** All ../shared transcripts concatenated, if present: real text for the redaction figure. */
function fixtureCorpus(): string | undefined {
  if (!fixturesPresent) return undefined;
  return fixtureFiles().map((file) => readFileSync(fixture(file), 'utf8')).join('\n');
}

if (require.main === module) void main(process.argv.slice(2));
