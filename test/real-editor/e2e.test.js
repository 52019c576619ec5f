// Real-editor E2E: the packaged extension inside code-server, driven through Debian's chromium.
// run-e2e.sh starts code-server and passes: CS_URL, E2E_OUT (screenshot folder), E2E_THEME (file prefix),
// EXPECT_STATS (optional path to `autodidact stats --json` output for the store the editor uses),
// PLAYWRIGHT_CORE (module path), CHROMIUM (browser binary), EXT_ID (publisher.name).
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');
const { registerPanelTests } = require('./panelSections');
const { registerLessonTests } = require('./lessonsPanel');
const { registerRoundAndImportTests } = require('./roundAndImport');

const CS_URL = required('CS_URL');
const OUT = required('E2E_OUT');
const THEME = process.env.E2E_THEME || 'dark';
const EXT_ID = process.env.EXT_ID || 'autodidact.autodidact';
// The extension host starts 7-9 s after the page here; everything waits well beyond that.
const LONG = 90_000;
const SHORT = 20_000;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this through test/real-editor/run-e2e.sh`);
  return value;
}

function expectedStats() {
  const file = process.env.EXPECT_STATS;
  // No fixture: the store folder starts empty, so the panel must count nothing.
  if (!file) return { interactions: 0, sessions: 0, effectiveness: null };
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** `autodidact export --json` on the fixture store (EXPECT_EXPORT), or null without a fixture. */
function expectedExport() {
  const file = process.env.EXPECT_EXPORT;
  return file ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
}

/** Polls until read() returns text matching pattern; fails with the last text seen. */
async function waitForText(what, read, pattern, timeout) {
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    last = ((await read().catch(() => '')) ?? '').trim();
    if (pattern.test(last)) return last;
    if (Date.now() > deadline) assert.fail(`${what}: expected ${pattern} within ${timeout} ms, last seen "${last}"`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits until an element stops moving (toasts slide in), so a screenshot shows it whole. */
async function settled(locator) {
  let last = null;
  for (let i = 0; i < 20; i++) {
    const box = JSON.stringify(await locator.boundingBox());
    if (box === last) return;
    last = box;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** 0.8735 -> "87%", null -> "—" (how the meter and the panel show effectiveness). */
const percent = (value) => (value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`);
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "Interactions 1,234" -> 1234; undefined when the label is not in the text. */
function countAfterLabel(text, label) {
  const match = new RegExp(`${label}\\s*:?\\s*([\\d][\\d,.\\u202f\\u00a0 ]*)`, 'i').exec(text);
  return match ? Number(match[1].replace(/[^\d]/g, '')) : undefined;
}

describe(`Autodidact in code-server (${THEME} theme)`, () => {
  let context, page, profileDir;
  const browserLog = [];
  const shot = (name) => page.screenshot({ path: path.join(OUT, `${THEME}-${name}.png`) });

  // Runs one step; on failure keeps a screenshot of what the user would have seen.
  async function step(name, body) {
    try {
      await body();
    } catch (error) {
      await shot(`FAILED-${name.replace(/\W+/g, '-')}`).catch(() => {});
      throw error;
    }
  }

  const statusItem = () =>
    page.locator('.part.statusbar .statusbar-item')
      .filter({ has: page.locator('[aria-label^="Autodidact"]') })
      .or(page.locator('.part.statusbar .statusbar-item', { hasText: 'Autodidact' }))
      .first();

  const webviewFrame = () =>
    page.frameLocator(`iframe.webview.ready[src*="extensionId=${EXT_ID}"]`).first().frameLocator('#active-frame');

  async function runCommand(title) {
    await page.locator('.part.editor').click({ position: { x: 300, y: 200 } }).catch(() => {});
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: SHORT });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: SHORT });
    await row.click();
  }

  before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] || (await context.newPage());
    page.on('pageerror', (e) => browserLog.push(`[pageerror] ${e.message}`));
    page.on('console', (m) => browserLog.push(`[${m.type()}] ${m.text()}`));
  });

  after(async () => {
    fs.writeFileSync(path.join(OUT, `${THEME}-browser-console.log`), browserLog.join('\n') + '\n');
    await context?.close();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  });

  test('the workbench loads', { timeout: LONG + 10_000 }, () => step('workbench', async () => {
    await page.goto(CS_URL);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: LONG });
    await page.locator('.part.activitybar, .composite-bar').first().waitFor({ timeout: LONG });
  }));

  test('the status-bar meter shows the store\'s effectiveness (a dash when empty)', { timeout: LONG + 10_000 }, () => step('status-bar', async () => {
    const item = statusItem();
    await item.waitFor({ state: 'visible', timeout: LONG });
    // The meter starts as a dash and fills in once the analysis server has read the store.
    const expected = percent(expectedStats().effectiveness);
    await waitForText('status-bar meter', () => item.innerText(), new RegExp(`Autodidact\\s+${escapeRegExp(expected)}`), LONG);
    const label = () => item.locator('[aria-label]').first().getAttribute('aria-label');
    await waitForText('meter accessible name', label, new RegExp(`^Autodidact effectiveness ${escapeRegExp(expected)}`), SHORT);
    await shot('1-workbench');
  }));

  test('the panel opens from the activity bar and its overview matches `autodidact stats`', { timeout: LONG + 10_000 }, () => step('panel', async () => {
    const entry = page.locator('.part.activitybar, .composite-bar')
      .locator('.action-item[aria-label^="Autodidact"], .action-label[aria-label^="Autodidact"]').first();
    await entry.waitFor({ state: 'visible', timeout: LONG });
    const container = entry.locator('xpath=ancestor-or-self::li[contains(@class,"action-item")]');
    // Clicking an already open container would close it.
    const alreadyOpen = /\bchecked\b/.test((await container.getAttribute('class')) ?? '');
    if (!alreadyOpen) await entry.click();
    const overview = webviewFrame().locator('#overview');
    await overview.waitFor({ state: 'visible', timeout: LONG });
    const stats = expectedStats();
    const read = () => overview.innerText();
    // Numbers arrive after the webview's ready handshake; wait for the expected count, then check the rest.
    const showsCount = { test: (t) => countAfterLabel(t, 'Interactions') === stats.interactions,
      toString: () => `Interactions ${stats.interactions}` };
    const text = await waitForText('overview', read, showsCount, SHORT);
    assert.equal(countAfterLabel(text, 'Interactions'), stats.interactions, `interactions in "${text}"`);
    assert.equal(countAfterLabel(text, 'Sessions'), stats.sessions, `sessions in "${text}"`);
    assert.match(text, new RegExp(`Effectiveness\\s*:?\\s*${escapeRegExp(percent(stats.effectiveness))}`), `effectiveness in "${text}"`);
    await shot('2-panel');
  }));

  registerPanelTests({
    test, step, OUT, THEME, LONG, SHORT, waitForText, browserLog, expectedStats, expectedExport,
    fixture: Boolean(process.env.EXPECT_STATS), page: () => page, frame: webviewFrame, statusItem,
  });

  // A Claude Code session written the way Claude Code writes it, into the folder the analysis server
  // watches (CLAUDE_CONFIG_DIR), and the store on disk read as the CLI reads it (sql.js).
  const live = {
    sessionId: 'e2e00000-1111-4222-8333-444444444444', n: 0, clock: Date.now(),
    get workspace() { return required('E2E_WORKSPACE'); },
    get log() { return path.join(required('E2E_CLAUDE_DIR'), 'projects', this.workspace.replace(/[^A-Za-z0-9]/g, '-'), `${this.sessionId}.jsonl`); },
    append(type, message, extra = {}) {
      fs.mkdirSync(path.dirname(this.log), { recursive: true });
      fs.appendFileSync(this.log, `${JSON.stringify({
        parentUuid: null, isSidechain: false, userType: 'external', cwd: this.workspace, sessionId: this.sessionId, version: '2.0.14', type,
        uuid: `00000000-0000-4000-8000-${String(++this.n).padStart(12, '0')}`, timestamp: new Date(this.clock++).toISOString(), message, ...extra })}\n`);
    },
    toolUse(id, name, input) {
      this.append('assistant', { id: `msg_${id}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'tool_use', id, name, input }], stop_reason: 'tool_use' });
    },
    toolResult(id, text, toolUseResult) {
      this.clock = Date.now(); // the result is logged right after the tool wrote the file
      this.append('user', { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: text, is_error: false }] }, { toolUseResult });
    },
    answer(text) {
      this.append('assistant', { id: `msg_${this.n}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text }], stop_reason: 'end_turn' });
    },
    async rows(sql, params) {
      const initSqlJs = require(path.join(__dirname, '..', '..', 'node_modules', 'sql.js'));
      const SQL = await initSqlJs();
      const dbFile = path.join(required('E2E_STORE_DIR'), 'autodidact.db');
      if (!fs.existsSync(dbFile)) return [];
      const db = new SQL.Database(fs.readFileSync(dbFile));
      try {
        return db.exec(sql, params)[0]?.values ?? [];
      } finally {
        db.close();
      }
    },
  };

  test('a Claude Code session that writes a workspace file: the store holds its interaction and the attributed edit, the panel lists the session', { timeout: LONG + SHORT }, () => step('live-session', async () => {
    const workspace = live.workspace;
    // Capture is on, so the analysis server watches CLAUDE_CONFIG_DIR; the overview says so.
    const toggle = webviewFrame().locator('#toggle-overview');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    const liveSessions = webviewFrame().locator('#live-sessions');
    await waitForText('live sessions line', () => liveSessions.innerText(), /watching/i, LONG);
    const file = path.join(workspace, 'src', 'total.ts');
    const content = 'export function total(items: number[]): number {\n  return items.reduce((sum, n) => sum + n, 0);\n}\n';
    // The same order Claude Code writes in: the request, the Write call, the file itself, the tool's result, the answer.
    live.append('user', { role: 'user', content: 'Add a total() helper in src/total.ts' });
    live.toolUse('toolu_write_1', 'Write', { file_path: file, content });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    // A file no record wrote (a build output, the user's own tool) at the same moment: never attributed.
    const unexplained = path.join(workspace, 'build-output.js');
    fs.writeFileSync(unexplained, 'console.log("built");\n');
    live.toolResult('toolu_write_1', `File created successfully at: ${file}`, { type: 'create', filePath: file, content, structuredPatch: [] });
    live.answer('Created src/total.ts with total().');

    const answered = Date.now();
    await waitForText('live sessions line', () => liveSessions.innerText(), /claude-code: 1 session/, LONG);
    console.log(`# live session: the panel lists it ${Date.now() - answered} ms after its last line was written (polled every 250 ms)`);
    // The store holds the interaction and the editor's attributed edit with its evidence.
    const query = () => live.rows(`SELECT i.source, i.user_request, f.origin, f.lines_added, f.evidence, f.path FROM files_touched f
      JOIN interactions i ON i.id = f.interaction_id WHERE f.id LIKE 'ed-%' AND f.path IN (?, ?)`, [file, unexplained]);
    const rows = await waitForText('attributed edit in the store', async () => JSON.stringify(await query()), /claude-code/, LONG);
    const found = JSON.parse(rows);
    assert.equal(found.length, 1, `one editor touch for the write: ${rows}`);
    const [[source, request, origin, linesAdded, evidence, touched]] = found;
    assert.equal(touched, file, 'the file no record wrote is not attributed');
    assert.deepEqual([source, request, origin, linesAdded], ['claude-code', 'Add a total() helper in src/total.ts', 'assistant', 4]);
    assert.match(evidence, /claude-code record wrote .*total\.ts/);
    await shot('4-live-session');
  }));

  test('an open file whose type error a Claude Code Edit fixes: the reload is attributed, and the cleared error is that interaction\'s outcome', { timeout: LONG + SHORT }, () => step('live-diagnostics', async () => {
    const file = path.join(live.workspace, 'src', 'answer.ts');
    const broken = "export const answer: number = 'forty-two';\n";
    const fixed = 'export const answer: number = 42;\n';
    fs.writeFileSync(file, broken);
    const created = Date.now();
    await page.locator('.part.editor').click({ position: { x: 300, y: 200 } }).catch(() => {});
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: SHORT });
    await input.fill('answer.ts');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'answer.ts' }).first().waitFor({ timeout: SHORT });
    await page.keyboard.press('Enter');
    // The TypeScript server has checked the file: the error is underlined.
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: LONG });

    // The file's creation (a change no record explains) lies well before the Edit, as it would in real use.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, created + 4_000 - Date.now())));
    live.append('user', { role: 'user', content: 'Fix the type error in src/answer.ts' });
    live.toolUse('toolu_edit_2', 'Edit', { file_path: file, old_string: "'forty-two'", new_string: '42' });
    fs.writeFileSync(file, fixed);
    live.toolResult('toolu_edit_2', `The file ${file} has been updated.`, { filePath: file, oldString: "'forty-two'", newString: '42',
      structuredPatch: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: [`-${broken.trim()}`, `+${fixed.trim()}`] }] });
    live.answer('answer is a number now.');
    // The editor reloads the file and the error goes away.
    await waitForText('editor text after the reload', () => page.locator('.monaco-editor .view-lines').first().innerText(), /number\W+=\W+42;/, LONG);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached', timeout: LONG });
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // the debounced diagnostics snapshot
    // The user types in the file: the assistant's edit is judged now (else after two minutes).
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(' ');
    const outcome = async () => JSON.stringify(await live.rows(`SELECT o.kind, o.value, i.user_request, o.detail FROM outcome_events o
      JOIN interactions i ON i.id = o.interaction_id WHERE o.id LIKE 'ed-%' AND o.kind LIKE 'diagnostic_%'`, []));
    const text = await waitForText('diagnostic outcome in the store', outcome, /diagnostic_fixed/, LONG);
    assert.deepEqual(JSON.parse(text).map((r) => r.slice(0, 3)), [['diagnostic_fixed', 1, 'Fix the type error in src/answer.ts']]);
    const touch = await live.rows(`SELECT f.origin, i.user_request FROM files_touched f JOIN interactions i ON i.id = f.interaction_id
      WHERE f.id LIKE 'ed-%' AND f.path = ?`, [file]);
    assert.deepEqual(touch, [['assistant', 'Fix the type error in src/answer.ts']]);
    await shot('5-live-diagnostics');
  }));

  test('a test command that fails, then passes, in the terminal: outcomes of the interaction whose edit it follows', { timeout: LONG + SHORT }, () => step('live-terminal', async () => {
    const workspace = live.workspace;
    fs.writeFileSync(path.join(workspace, 'package.json'), JSON.stringify({ name: 'e2e-ws', private: true, scripts: { test: 'node -e "process.exit(require(\'fs\').existsSync(\'ok.flag\') ? 0 : 1)"' } }, null, 2));
    await runCommand('Terminal: Create New Terminal');
    const terminal = page.locator('.terminal-wrapper, .xterm').first();
    await terminal.waitFor({ state: 'visible', timeout: LONG });
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // the shell starts and its integration reports in
    await terminal.click();
    await page.keyboard.type('npm test\n');
    const outcomes = async () => JSON.stringify(await live.rows(`SELECT o.kind, o.value, i.user_request FROM outcome_events o
      JOIN interactions i ON i.id = o.interaction_id WHERE o.id LIKE 'ed-%' AND o.kind LIKE 'test_%' ORDER BY o.at`, []));
    await waitForText('failing test run in the store', outcomes, /test_failed/, LONG);
    fs.writeFileSync(path.join(workspace, 'ok.flag'), '');
    await page.keyboard.type('npm test\n');
    const text = await waitForText('passing test run in the store', outcomes, /test_passed/, LONG);
    // The runs follow the last attributed edit: the type-error fix.
    assert.deepEqual(JSON.parse(text), [['test_failed', 1, 'Fix the type error in src/answer.ts'], ['test_passed', 0, 'Fix the type error in src/answer.ts']]);
    await shot('6-live-terminal');
  }));

  // Issue 13: a correction in a live session becomes a lesson in the panel (capture must still be on).
  registerLessonTests({ test, step, LONG, SHORT, waitForText, runCommand, live, shot, page: () => page, frame: webviewFrame });

  test('Autodidact: Pause Capture runs from the palette', { timeout: LONG }, () => step('pause-capture', async () => {
    await runCommand('Autodidact: Pause Capture');
    const toast = page.locator('.notification-toast', { hasText: /capture paused/i }).first();
    await toast.waitFor({ state: 'visible', timeout: SHORT });
    await settled(toast);
    await shot('3-capture-paused');
    const label = () => statusItem().locator('[aria-label]').first().getAttribute('aria-label');
    await waitForText('meter accessible name after pausing', label, /capture paused/i, SHORT);
    // The palette now offers Resume instead (the autodidact.capturePaused context key).
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.fill('>Autodidact: Resume Capture');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Autodidact: Resume Capture' })
      .first().waitFor({ timeout: SHORT });
    await page.keyboard.press('Escape');
  }));

  test('no activation error was shown', { timeout: SHORT }, () => step('no-activation-error', async () => {
    const failures = await page.locator('.notification-toast, .notifications-center .notification-list-item')
      .filter({ hasText: new RegExp(`Activating extension '${EXT_ID}' failed|${EXT_ID}.*(failed|error)`, 'i') })
      .allInnerTexts();
    assert.deepEqual(failures, []);
  }));

  // Issue 14: embeddings in the installed VSIX, Import Sessions, Train Next Version (first theme only).
  registerRoundAndImportTests({ test, step, OUT, THEME, LONG, SHORT, waitForText, runCommand, page: () => page, frame: webviewFrame });
});
