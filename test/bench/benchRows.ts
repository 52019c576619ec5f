// The shape every benchmark step reports in, and the table `npm run bench` prints.

export interface BenchRow {
  area: string;
  figure: string;
  value: string;
  /** The same thing measured another way in the same run (or a budget), when one exists. */
  reference?: string;
  /** value / reference, oriented so that > 1 means "ours is faster/larger" as the figure says. */
  ratio?: string;
}

export interface BenchOptions {
  quick: boolean;
  editor: boolean;
  importMb: number;
  repo: string;
}

export interface BenchStep {
  name: string;
  /** Rows for the table and the raw figures for the JSON file. */
  run(options: BenchOptions): Promise<{ rows: BenchRow[]; raw: unknown }>;
}

export function num(value: number | undefined | null, digits = 1): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function ratio(value: number | undefined | null, reference: number | undefined | null): string | undefined {
  if (!value || !reference) return undefined;
  return `${num(value / reference, 2)}x`;
}

export function printTable(rows: readonly BenchRow[]): void {
  const headers: BenchRow = { area: 'area', figure: 'figure', value: 'value', reference: 'reference (same run)', ratio: 'ratio' };
  const keys = ['area', 'figure', 'value', 'reference', 'ratio'] as const;
  const widths = keys.map((key) => Math.max(...[headers, ...rows].map((row) => (row[key] ?? '').length)));
  const line = (row: BenchRow): string => keys.map((key, i) => (row[key] ?? '').padEnd(widths[i])).join(' | ').trimEnd();
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
}
