// `autodidact import [paths...] [--format auto|<one of IMPORT_FORMATS>]
// [--dry-run] [--json]`. With no paths, the standard locations of every assistant on this OS (and
// Aider's files in the current folder) are imported. Exit code: 0 when something could be read
// (a half-written file is reported, not fatal), 1 when every named file failed, 2 on bad usage.
import { homedir } from 'node:os';
import { relative } from 'node:path';
import type { CaptureSink } from '../importers/captureSink';
import { discoverSources } from '../importers/discoverSources';
import { importFiles } from '../importers/importFiles';
import { IMPORT_FORMATS, type FileImportReport, type ImportFormat, type ImportReport } from '../importers/importReport';

export interface ImportCommandArgs {
  positional: string[];
  flags: Record<string, string | boolean>;
  json: boolean;
  openStore: () => Promise<CaptureSink & { close(): Promise<void> }>;
  /** Where text goes; process.stdout / process.stderr unless a caller (a test) wants it. */
  print?: (text: string) => void;
  printError?: (text: string) => void;
}

const COLUMNS = ['sessions', 'interactions', 'toolCalls', 'edits', 'errors', 'skipped'] as const;

function shortPath(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  const shown = fromCwd.startsWith('..') || fromCwd === '' ? path.replace(homedir(), '~') : fromCwd;
  return shown.length > 60 ? `…${shown.slice(-59)}` : shown;
}

export function formatImportTable(report: ImportReport): string {
  const rows = report.files.map((file: FileImportReport) => [
    shortPath(file.path), file.format, file.status, ...COLUMNS.map((key) => String(file[key])),
  ]);
  rows.push(['total', '', '', ...COLUMNS.map((key) => String(report.totals[key]))]);
  const header = ['file', 'format', 'status', ...COLUMNS];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string => cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(0, -1).map(line), widths.map((w) => '-'.repeat(w)).join('  '), line(rows[rows.length - 1])];
  for (const file of report.files) if (file.error) out.push(`! ${shortPath(file.path)}: ${file.error}`);
  if (report.totals.truncated > 0) out.push(`${report.totals.truncated} unfinished last line(s) left for the next import.`);
  const redacted = Object.entries(report.redactions.byType).map(([type, n]) => `${type} ${n}`).join(', ');
  out.push(report.redactions.total > 0 ? `Redacted ${report.redactions.total}: ${redacted}.` : 'Redacted nothing.');
  return `${out.join('\n')}\n`;
}

export async function run(args: ImportCommandArgs): Promise<number> {
  const print = args.print ?? ((text: string) => { process.stdout.write(text); });
  const printError = args.printError ?? ((text: string) => { process.stderr.write(text); });
  const formatFlag = args.flags.format === undefined || args.flags.format === true ? 'auto' : String(args.flags.format);
  if (formatFlag !== 'auto' && !IMPORT_FORMATS.includes(formatFlag as ImportFormat)) {
    printError(`autodidact import: unknown --format ${formatFlag} (one of auto, ${IMPORT_FORMATS.join(', ')})\n`);
    return 2;
  }
  const format = formatFlag as ImportFormat | 'auto';
  // A parser that does not know --dry-run is boolean hands it the next word: that was a path.
  const dryRunFlag = args.flags['dry-run'];
  let paths = typeof dryRunFlag === 'string' ? [dryRunFlag, ...args.positional] : args.positional;
  if (paths.length === 0) {
    const sources = discoverSources(process.env, homedir(), process.platform, [process.cwd()])
      .filter((source) => format === 'auto' || source.format === format);
    paths = sources.map((source) => source.path);
    if (paths.length === 0 && !args.json) print('No assistant transcripts found in the standard locations.\n');
  }
  const dryRun = dryRunFlag !== undefined && dryRunFlag !== false;
  const store = dryRun || paths.length === 0 ? undefined : await args.openStore();
  let report: ImportReport;
  try {
    report = await importFiles(paths, { format, store });
  } finally {
    await store?.close();
  }
  if (args.json) print(`${JSON.stringify(report)}\n`);
  else if (report.files.length > 0) print(formatImportTable(report));
  const allFailed = report.files.length > 0 && report.files.every((file) => file.status === 'failed');
  return allFailed ? 1 : 0;
}
