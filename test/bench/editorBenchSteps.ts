// Steps of `npm run bench` about the editor: activation time (the extension logs "activate() returned
// in X ms" to its log channel) and the panel's first render. Activation is measured in a fresh
// code-server session (editorActivation.sh, ~30 s) unless --quick/--no-editor, or if that fails; then
// it is read from the latest real-editor E2E run's saved logs, and the row says which files and when.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChild } from './benchChild';
import { num, type BenchRow, type BenchStep } from './benchRows';

const ACTIVATION = /activate\(\) returned in ([\d.]+) ms/g;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function e2eFiles(repo: string, pattern: RegExp, sub = ''): string[] {
  const dir = path.join(repo, 'test-output', 'e2e');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((name) => pattern.test(name)).map((name) => path.join(dir, name, sub)).filter((file) => fs.existsSync(file));
}

function when(files: string[]): string {
  const latest = Math.max(...files.map((file) => fs.statSync(file).mtimeMs));
  return new Date(latest).toISOString().replace('T', ' ').slice(0, 16);
}

export const activationStep: BenchStep = {
  name: 'activation',
  async run(options) {
    let fallback = '';
    if (options.editor) {
      try {
        await runChild('bash', [path.join('test', 'bench', 'editorActivation.sh'), '5'], { cwd: options.repo, timeoutMs: 480_000 });
        const result = JSON.parse(fs.readFileSync(path.join(options.repo, 'test-output', 'bench', 'editor-activation.json'), 'utf8')) as { runs: number[]; log: string };
        const row: BenchRow = { area: 'editor', figure: `activate() to return, code-server + chromium, ${result.runs.length} window loads (median; min-max)`,
          value: `${num(median(result.runs), 2)} ms (${num(Math.min(...result.runs), 2)}-${num(Math.max(...result.runs), 2)})`, reference: 'measured now in a fresh code-server profile' };
        return { rows: [row], raw: { source: 'editorActivation.sh', ...result } };
      } catch (error) {
        fallback = `code-server session failed (${(error as Error).message.slice(0, 120)}); `;
      }
    }
    const logs = e2eFiles(options.repo, /-logs$/, 'Autodidact.log');
    const runs = logs.flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(ACTIVATION)].map((m) => ({ file: path.relative(options.repo, file), ms: Number(m[1]) })));
    if (runs.length === 0) {
      return { rows: [{ area: 'editor', figure: 'activate() to return', value: 'not measured', reference: `${fallback}no E2E logs: run \`npm run test:e2e\` or \`npm run bench -- --editor\`` }], raw: null };
    }
    const values = runs.map((r) => r.ms);
    const row: BenchRow = { area: 'editor', figure: `activate() to return, code-server E2E, ${runs.length} runs (median; min-max)`,
      value: `${num(median(values), 2)} ms (${num(Math.min(...values), 2)}-${num(Math.max(...values), 2)})`,
      reference: `${fallback}read from ${runs.map((r) => r.file).join(', ')} (E2E of ${when(logs)} UTC)` };
    return { rows: [row], raw: { source: 'latest E2E logs', runs } };
  },
};

const PANEL_LINES: Array<[string, RegExp]> = [
  ['first render, server side (PanelData + meter), cold / warm', /panel first render, server side \(PanelData \+ meter\): ([\d.]+) ms cold, ([\d.]+) ms warm/],
  ['PanelDataRequest handler, first / median', /PanelDataRequest handler: first ([\d.]+) ms, median ([\d.]+) ms/],
  ['dataset preview: build / cached', /DatasetPreviewRequest: built in ([\d.]+) ms .*cached ([\d.]+) ms/],
];

export const panelStep: BenchStep = {
  name: 'panel',
  async run(options) {
    const rows: BenchRow[] = [];
    const raw: Record<string, unknown> = {};
    const bench = path.join(options.repo, 'test', 'bench', 'panelBench.ts');
    if (fs.existsSync(bench)) {
      const n = options.quick ? 10_000 : 100_000;
      const out = await runChild(process.execPath, ['--import', 'tsx', bench, '--n', String(n)], { cwd: options.repo, timeoutMs: 300_000 });
      raw.panelBench = out.stdout;
      for (const [figure, pattern] of PANEL_LINES) {
        const match = pattern.exec(out.stdout);
        rows.push({ area: 'panel', figure: `${figure}, ${n.toLocaleString('en-US')} interactions`, value: match ? `${match[1]} ms / ${match[2]} ms` : 'not printed by panelBench' });
      }
      const largest = /largest message between extension and webview: (\d+) B/.exec(out.stdout);
      if (largest) rows.push({ area: 'panel', figure: 'largest extension↔webview message', value: `${largest[1]} B` });
    } else {
      rows.push({ area: 'panel', figure: 'panel server-side render', value: 'not available (test/bench/panelBench.ts absent)' });
    }
    const figures = e2eFiles(options.repo, /-panel-figures\.json$/);
    for (const file of figures) {
      const f = JSON.parse(fs.readFileSync(file, 'utf8')) as { renderMs?: string; firstRenderMs?: string; firstFrameMs?: string; firstDataMs?: string };
      raw[path.basename(file)] = f;
      const theme = path.basename(file).replace('-panel-figures.json', '');
      rows.push({ area: 'panel', figure: `in code-server (${theme}): first render with data, since the webview document started (its draw)`,
        value: `${f.firstDataMs ?? 'n/a'} ms (${f.firstRenderMs ?? f.renderMs ?? 'n/a'} ms)`, reference: `read from ${path.relative(options.repo, file)} (E2E of ${when([file])} UTC)` });
    }
    return { rows, raw };
  },
};
