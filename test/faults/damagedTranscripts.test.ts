// Truncated and garbled versions of the REAL transcripts in ../shared/fixtures/transcripts: every
// fixture is cut at several random byte offsets and has random bytes overwritten. importFiles must
// never throw, must count the damage it meets (a cut JSONL line as truncated, a cut JSON document as
// a failed file, an unparseable line as an error), and memory must stay bounded. A transcript with
// one line far over the line limit checks the bound itself. Random choices come from a seed printed
// at the start (set AUTODIDACT_FAULT_SEED to replay a run).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { CaptureEvent, ImportCursor } from '../../extension/protocol/records';
import type { CaptureSink } from '../../extension/server/importers/captureSink';
import { importFiles } from '../../extension/server/importers/importFiles';
import type { FileImportReport } from '../../extension/server/importers/importReport';
import { fixtureDir, fixtureFiles, fixturesPresent, reportMissingFixtures } from '../unit/sharedFixtures';
import { tempDir } from './faultKit';
import { damagedVariants, newDamage, type Variant } from './transcriptDamage';

/** Counts and keeps nothing: the importer's own memory is what is measured. */
class CountingSink implements CaptureSink {
  events = 0;
  async capture(events: CaptureEvent[]): Promise<void> { this.events += events.length; }
  importCursor(): ImportCursor | undefined { return undefined; }
}

const SEED = Number(process.env.AUTODIDACT_FAULT_SEED ?? 20261121);
const MB = 2 ** 20;

function problems(row: FileImportReport): number {
  return row.errors + row.truncated + row.skipped + (row.status === 'failed' ? 1 : 0);
}

/** Imports one damaged copy, laid out like the original (same relative path, same sibling files). */
async function importVariant(variant: Variant, root: string): Promise<FileImportReport[]> {
  const dir = path.join(root, variant.name);
  const target = path.join(dir, variant.relative);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const source = path.dirname(path.join(fixtureDir, variant.relative));
  for (const sibling of fs.readdirSync(source, { withFileTypes: true })) {
    if (sibling.isFile()) fs.copyFileSync(path.join(source, sibling.name), path.join(path.dirname(target), sibling.name));
  }
  fs.writeFileSync(target, variant.bytes);
  try {
    return (await importFiles([target], { store: new CountingSink() })).files;
  } catch (error) {
    throw new Error(`importFiles threw on ${variant.name} (seed ${SEED}): ${(error as Error).stack}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('damaged transcripts', () => {
  if (!fixturesPresent) {
    reportMissingFixtures('truncated and garbled real transcripts');
  } else {
    test('every real transcript cut at random offsets and garbled: no crash, damage counted, memory bounded', { timeout: 120_000 }, async () => {
      console.log(`seed ${SEED}`);
      const root = tempDir('autodidact-fault-transcripts-');
      const damage = newDamage(SEED);
      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);
      let variants = 0;
      let counted = 0;
      try {
        for (const relative of fixtureFiles()) {
          for (const variant of damagedVariants(relative, fs.readFileSync(path.join(fixtureDir, relative)), damage)) {
            const rows = await importVariant(variant, root);
            variants++;
            assert.ok(rows.length >= 1, `${variant.name}: a report row`);
            for (const row of rows) {
              for (const [key, value] of Object.entries(row)) {
                if (typeof value === 'number') assert.ok(Number.isInteger(value) && value >= 0, `${variant.name}: ${key} = ${value}`);
              }
            }
            const total = rows.reduce((sum, row) => sum + problems(row), 0);
            if (variant.expect === 'truncated') assert.ok(rows.some((row) => row.truncated > 0 || row.status === 'failed'), `${variant.name}: the cut last line is counted: ${JSON.stringify(rows)}`);
            if (variant.expect === 'failed') assert.ok(rows.some((row) => row.status === 'failed' || row.errors > 0), `${variant.name}: the broken document is reported: ${JSON.stringify(rows)}`);
            if (variant.expect === 'error') assert.ok(total > 0, `${variant.name}: the unreadable line is counted: ${JSON.stringify(rows)}`);
            if (variant.expect !== 'none') counted++;
          }
        }
      } finally {
        clearInterval(sampler);
        fs.rmSync(root, { recursive: true, force: true });
      }
      const growth = (peakRss - rssBefore) / MB;
      console.log(`${variants} damaged variants of ${fixtureFiles().length} real transcripts (${counted} with damage the format can see), peak RSS growth ${growth.toFixed(0)} MB`);
      assert.ok(variants >= fixtureFiles().length * 5, `${variants} variants`);
      assert.ok(counted >= fixtureFiles().length, `${counted} variants carried detectable damage`);
      assert.ok(growth < 150, `RSS grew by ${growth.toFixed(0)} MB importing 2 MB transcripts one at a time`);
    });
  }

  test('a transcript with a 160 MB line: counted as an error, the rest imported, memory bounded by the line limit', { timeout: 120_000 }, async () => {
    const dir = tempDir('autodidact-fault-longline-');
    try {
      const file = path.join(dir, 'd00dfeed-1111-4222-8333-444444444444.jsonl');
      const { writeClaudeLog } = await import('../bench/claudeLogGenerator');
      await writeClaudeLog(file, 2 * MB);
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      const cleanReport = await importFiles([file], { store: new CountingSink() });
      const middle = Math.floor(lines.length / 2);
      const fd = fs.openSync(file, 'w');
      fs.writeSync(fd, `${lines.slice(0, middle).join('\n')}\n{"type":"user","message":{"role":"user","content":"`);
      const block = Buffer.alloc(MB, 'a');
      for (let i = 0; i < 160; i++) fs.writeSync(fd, block);
      fs.writeSync(fd, `"}}\n${lines.slice(middle).join('\n')}`);
      fs.closeSync(fd);
      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 10);
      const report = await importFiles([file], { store: new CountingSink() });
      clearInterval(sampler);
      const growth = (peakRss - rssBefore) / MB;
      console.log(`160 MB line: ${JSON.stringify(report.totals)}, peak RSS growth ${growth.toFixed(0)} MB`);
      assert.equal(report.totals.errors, cleanReport.totals.errors + 1, 'the long line is one more error');
      assert.ok(report.totals.interactions >= cleanReport.totals.interactions - 1, 'the lines around it are imported');
      assert.ok(growth < 120, `RSS grew by ${growth.toFixed(0)} MB: bounded by the 64 MB line limit, not by the 160 MB line`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
