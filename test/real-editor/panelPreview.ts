// A preview of the panel without an editor, for designing it and for timing its render with a big
// store: loads dist/webview.js and media/panel.css in Debian's chromium with a theme's --vscode-*
// variables (captured by the E2E into test-output/e2e/<theme>-webview-theme.css) and a stand-in
// host that answers the webview's requests with the analysis server's own functions on a real store.
// It is not the product's host (that is panelViewProvider.ts, covered by the E2E).
//   node --import tsx test/real-editor/panelPreview.ts [--store DIR] [--width 300] [--only SCENARIO] [--themes dark,light,hc]
// Screenshots: test-output/preview/<theme>-<scenario>.png; prints the render time of each state.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HostToWebview, PanelState, WebviewToHost } from '../../extension/protocol/webviewProtocol';
import { readMeter } from '../../extension/server/meterQuery';
import { DatasetPreviewCache } from '../../extension/server/panel/datasetPreview';
import { readPanelData } from '../../extension/server/panel/panelOverview';
import { changePatternInclusion, readPatternExamples, readPatternPage } from '../../extension/server/panel/patternPages';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import type { LessonAction } from '../../extension/protocol/lessonsProtocol';
import { LessonBook } from '../../extension/server/lessons/lessonBook';
import { applyLessonAction, readLessonsPanel } from '../../extension/server/panel/lessonsPanel';
import { makeFixtureStore } from './makeFixtureStore';
import { scenarios } from './panelScenarios';

const REPO = path.resolve(__dirname, '..', '..');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const THEME_CLASS: Record<string, string> = { dark: 'vscode-dark', light: 'vscode-light', hc: 'vscode-high-contrast', 'hc-light': 'vscode-high-contrast vscode-high-contrast-light' };

function pageHtml(themeCss: string, themeClass: string, saved: unknown): string {
  const file = (p: string): string => `file://${path.join(REPO, p)}`;
  // The stand-in for VS Code's acquireVsCodeApi: posts go to the Node side through an exposed binding.
  return `<!DOCTYPE html><html><head><meta charset="UTF-8"><style>${themeCss} body { background: var(--vscode-sideBar-background); }</style>
<link rel="stylesheet" href="${file('media/panel.css')}"></head>
<body class="${themeClass}"><main id="app"><p class="loading">Loading Autodidact…</p></main>
<script>window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__toHost(m), getState: () => (${JSON.stringify(saved)}), setState: () => {} });</script>
<script src="${file('dist/webview.js')}"></script></body></html>`;
}

async function main(): Promise<void> {
  const { chromium } = require(process.env.PLAYWRIGHT_CORE ?? 'playwright-core') as typeof import('playwright-core');
  const width = Number(arg('width') ?? 300);
  const out = path.join(REPO, 'test-output', 'preview');
  fs.mkdirSync(out, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-preview-'));
  const storeDir = arg('store') ?? path.join(scratch, 'fixture');
  if (!arg('store')) await makeFixtureStore(storeDir);
  const store = await AutodidactStore.open(storeDir);
  const emptyStore = await AutodidactStore.open(path.join(scratch, 'empty'));
  const previews = new DatasetPreviewCache();
  const data = readPanelData(store, { window: 50 });
  const all = scenarios(data, readMeter(store, 50), readPanelData(emptyStore, { window: 50 }), Date.now());
  const only = arg('only');
  const themes = (arg('themes') ?? 'dark,light,hc').split(',');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'] });
  try {
    for (const theme of themes) {
      const cssFile = path.join(REPO, 'test-output', 'e2e', `${theme}-webview-theme.css`);
      if (!fs.existsSync(cssFile)) { console.log(`${theme}: NOT RUN (no ${cssFile}; run the E2E with E2E_THEMES=${theme} first)`); continue; }
      for (const [name, state] of Object.entries(all)) {
        if (only && name !== only) continue;
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const post = (message: HostToWebview): Promise<void> => page.evaluate((m) => window.postMessage(m, '*'), message);
        await page.exposeFunction('__toHost', async (message: WebviewToHost) => {
          if (message.type === 'ready') await post({ type: 'state', state });
          if (message.type !== 'request') return;
          try {
            const p = message.params as Record<string, never>;
            const result = message.method === 'patternPage' ? readPatternPage(store, p.offset, p.limit)
              : message.method === 'patternExamples' ? readPatternExamples(store, p.patternId, p.offset, p.limit)
                : message.method === 'setPatternIncluded' ? await changePatternInclusion(store, p.patternId, p.included)
                  : message.method === 'lessons' ? readLessonsPanel(store, new LessonBook(store))
                    : message.method === 'lessonAction' ? await applyLessonAction(store, new LessonBook(store), message.params as LessonAction)
                      : message.method === 'openInteraction' ? { opened: false }
                        : await previews.read(store, 0.9);
            await post({ type: 'response', id: message.id, result });
          } catch (error) {
            await post({ type: 'response', id: message.id, error: (error as Error).message });
          }
        });
        const firstPattern = (state as PanelState).data?.patterns.items[0]?.id;
        const saved = { ui: { open: { overview: true, categories: true, patterns: true, training: true, data: name !== 'training' }, patternPage: 0, expandedPatterns: firstPattern && name === 'fixture' ? [firstPattern] : [] } };
        const html = path.join(scratch, `${theme}-${name}.html`);
        fs.writeFileSync(html, pageHtml(fs.readFileSync(cssFile, 'utf8'), THEME_CLASS[theme] ?? 'vscode-dark', saved));
        await page.goto(`file://${html}`);
        await page.waitForFunction(() => document.body.dataset.renderMs !== undefined, undefined, { timeout: 20_000 });
        await page.waitForTimeout(name === 'fixture' || name === 'empty' ? 1500 : 300); // pages and the dataset preview arrive
        const figures = await page.evaluate(() => ({ ...document.body.dataset }));
        await page.screenshot({ path: path.join(out, `${theme}-${name}.png`), fullPage: true });
        for (const id of ['overview', 'categories', 'patterns', 'training', 'lessons', 'data']) {
          const section = page.locator(`#${id}:not(.collapsed)`);
          if (await section.count()) await section.screenshot({ path: path.join(out, `${theme}-${name}-${id}.png`) });
        }
        console.log(`${theme}-${name}: first render with data ${figures.firstRenderMs ?? "—"} ms (${figures.firstFrameMs ?? "—"} ms to the next frame), last redraw ${figures.renderMs} ms, done at ${figures.firstDataMs ?? '—'} ms, largest message ${figures.largestMessageBytes} B${errors.length ? `, ERRORS: ${errors.join('; ')}` : ''}`);
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await store.close();
    await emptyStore.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`screenshots: ${out}`);
}

void main().catch((error: Error) => { console.error(error); process.exit(1); });
