// The import API the CLI, the analysis server and tests use. Each unit is imported on its own: a
// file that cannot be read is a failed row in the report, never the end of the import.
import { resolve } from 'node:path';
import { RedactionTally, redactionSummary } from '../../shared/redaction/redactText';
import type { CaptureSink } from './captureSink';
import { DEFAULT_BATCH_SIZE, ImportEmitter } from './importEmitter';
import { planImport } from './importPlan';
import { addCounts, emptyCounts, type FileImportReport, type ImportFormat, type ImportReport } from './importReport';
import { runImportUnit } from './importUnitRunner';

export interface ImportOptions {
  /** `auto` (default): each file's format is told from its records. */
  format?: ImportFormat | 'auto';
  /** Where events go; without one the import is a dry run that only reports. */
  store?: CaptureSink;
  batchSize?: number;
  /** Called as each file finishes, for progress. */
  onFile?: (report: FileImportReport) => void;
}

function row(path: string, format: FileImportReport['format']): FileImportReport {
  return { path, format, status: 'imported', ...emptyCounts() };
}

export async function importFiles(paths: string[], options: ImportOptions = {}): Promise<ImportReport> {
  const forced = options.format === undefined || options.format === 'auto' ? undefined : options.format;
  const { units, failures } = await planImport(paths, forced);
  const files: FileImportReport[] = [];
  const tally = new RedactionTally();
  for (const failure of failures) {
    const report = row(failure.path, failure.format ?? 'unknown');
    report.status = 'failed';
    report.error = failure.error;
    report.errors = 1;
    files.push(report);
    options.onFile?.(report);
  }
  for (const unit of units) {
    const report = row(unit.given, unit.format);
    if (unit.files.length > 1) report.companions = unit.files.filter((file) => file !== resolve(unit.given));
    const emitter = new ImportEmitter(report, options.store, options.batchSize ?? DEFAULT_BATCH_SIZE);
    if (!unit.empty) {
      try {
        await runImportUnit(unit, emitter, options.store, forced);
      } catch (error) {
        // Whatever one file does wrong, the others are still imported.
        report.status = 'failed';
        report.error = (error as Error).message;
        report.errors++;
      }
    }
    tally.merge(emitter.tally);
    files.push(report);
    options.onFile?.(report);
  }
  const totals = emptyCounts();
  for (const file of files) addCounts(totals, file);
  return { files, totals, redactions: redactionSummary(tally) };
}
