// Driven by editorActivation.sh: loads the code-server workbench RELOADS times and waits, each time,
// for one more "activate() returned in X ms" line in the extension's log channel file(s) under LOGS.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require(process.env.PLAYWRIGHT_CORE);

const LINE = /activate\(\) returned in ([\d.]+) ms/g;

function activationLines(dir) {
  const found = [];
  const walk = (d) => {
    for (const entry of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/autodidact/i.test(full)) {
        for (const match of fs.readFileSync(full, 'utf8').matchAll(LINE)) found.push({ file: full, ms: Number(match[1]) });
      }
    }
  };
  walk(dir);
  return found;
}

async function waitForCount(count, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const lines = activationLines(process.env.LOGS);
    if (lines.length >= count) return lines;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no "activate() returned" line #${count} in ${process.env.LOGS} within ${timeoutMs} ms`);
}

async function main() {
  const reloads = Number(process.env.RELOADS || 3);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM, headless: true, viewport: { width: 1200, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    let lines = [];
    for (let i = 1; i <= reloads; i++) {
      if (i === 1) await page.goto(process.env.CS_URL);
      else await page.reload();
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 90_000 });
      lines = await waitForCount(i, 90_000);
    }
    const result = { runs: lines.map((l) => l.ms), log: lines[lines.length - 1].file };
    fs.writeFileSync(process.env.RESULT, `${JSON.stringify(result)}\n`);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
