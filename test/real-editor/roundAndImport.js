// Issue 14 items 9 and 10 in the real editor, registered at the end of e2e.test.js's describe block:
// - the installed platform VSIX categorises with sentence embeddings (its own ONNX runtime, no NODE_PATH);
// - "Autodidact: Import Sessions..." imports a real transcript from ../shared (picked in the editor's file
//   dialog) and the panel of the same window counts it within seconds;
// - Train Next Version, clicked in the panel, runs a round on a real trainer-server (tiny model, real
//   engine) and the panel shows how it ended, as the trainer-server's own round manifest says.
// run-e2e.sh passes (first theme only): E2E_EXPECT_EMBEDDINGS, E2E_EXTENSIONS_DIR, E2E_IMPORT_FILE,
// E2E_IMPORT_EXPECT (`autodidact import --json` of that file into an empty store), E2E_TRAINER_URL,
// E2E_TRAINER_HOME, E2E_MACHINE_SETTINGS (the profile's machine-scoped settings file).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const digits = (text) => Number(String(text).replace(/[^\d]/g, ''));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** env: as registerPanelTests gets it, plus runCommand(title). */
function registerRoundAndImportTests(env) {
  const { test, step, OUT, THEME, LONG, SHORT, waitForText } = env;
  const shot = (name) => env.page().screenshot({ path: path.join(OUT, `${THEME}-${name}.png`) });

  /** The panel in view with section `id` expanded. */
  async function openSection(id) {
    await env.runCommand('Autodidact: Open Panel');
    const toggle = env.frame().locator(`#toggle-${id}`);
    await toggle.waitFor({ timeout: LONG });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await env.frame().locator(`#${id}`).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  }

  if (process.env.E2E_EXPECT_EMBEDDINGS === '1') {
    test('the installed platform VSIX carries its ONNX runtime and categorises with sentence embeddings', { timeout: LONG }, () => step('embeddings', async () => {
      const exts = process.env.E2E_EXTENSIONS_DIR;
      const installed = fs.readdirSync(exts).find((name) => name.startsWith('autodidact.autodidact-'));
      assert.ok(installed, `the extension is installed in ${exts}`);
      const runtime = path.join(exts, installed, 'dist', 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', process.platform, process.arch);
      assert.ok(fs.existsSync(path.join(runtime, 'onnxruntime_binding.node')), `the VSIX installed its ONNX runtime at ${runtime}`);
      await openSection('categories');
      await waitForText('how categories were found', () => env.frame().locator('#categories-method').innerText(),
        /^Categories: sentence embeddings and keyword rules\.$/, LONG);
    }));
  }

  const importFile = process.env.E2E_IMPORT_FILE;
  if (importFile) {
    test('Import Sessions imports a real transcript picked in the file dialog; the panel of the same window counts it within seconds', { timeout: LONG }, () => step('import-command', async () => {
      const expected = JSON.parse(fs.readFileSync(process.env.E2E_IMPORT_EXPECT, 'utf8')).totals;
      assert.ok(expected.interactions > 0, 'the transcript holds interactions');
      await openSection('overview');
      const interactions = env.frame().locator('#interactions');
      const before = digits(await waitForText('interactions before the import', () => interactions.innerText(), /^\d[\d,]*$/, LONG));
      const sessionsBefore = digits(await env.frame().locator('#sessions').innerText());

      await env.runCommand('Autodidact: Import Sessions...');
      const page = env.page();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Choose files or folders' }).first().click();
      // code-server's own file dialog: a path box; the file is typed in whole and accepted.
      const input = page.locator('.quick-input-widget input');
      await waitForText('file dialog', () => input.inputValue(), /^\//, SHORT);
      await input.fill(importFile);
      // The dialog checks the typed path before it accepts it, which takes longer on a loaded machine:
      // Enter is pressed again while the dialog is still open (a press before the check does nothing).
      const widget = page.locator('.quick-input-widget');
      for (let attempt = 0; attempt < 10; attempt++) {
        await sleep(500);
        if (!(await widget.isVisible())) break;
        await page.keyboard.press('Enter');
      }
      const toast = page.locator('.notification-toast', { hasText: /Autodidact: Imported \d+ interactions/ }).first();
      await toast.waitFor({ state: 'visible', timeout: LONG });
      const told = Date.now();
      const message = await toast.innerText();
      assert.match(message, new RegExp(`Imported ${expected.interactions} interactions in ${expected.sessions} sessions? from 1 files?`), message);
      // The overview counts the new interactions without a reload.
      await waitForText('interactions after the import', () => interactions.innerText(), new RegExp(`^${(before + expected.interactions).toLocaleString('en-US')}$`), 5_000);
      const seconds = (Date.now() - told) / 1000;
      console.log(`# import: the panel showed ${before} -> ${before + expected.interactions} interactions ${seconds.toFixed(2)} s after the "Imported" toast`);
      assert.equal(digits(await env.frame().locator('#sessions').innerText()), sessionsBefore + expected.sessions);
      await shot('7-import-command');
      await toast.locator('.codicon-notifications-clear, .codicon-close').first().click().catch(() => {});
    }));
  }

  const trainerUrl = process.env.E2E_TRAINER_URL;
  if (trainerUrl) {
    test('Train Next Version from the panel: a round on the trainer-server ends, and the panel shows its outcome as the server recorded it', { timeout: LONG * 2 }, () => step('train-round', async () => {
      // Connected only now, so the earlier tests saw the versions recorded in the fixture store.
      const settingsFile = process.env.E2E_MACHINE_SETTINGS;
      const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
      fs.writeFileSync(settingsFile, `${JSON.stringify({ ...settings, 'autodidact.trainer.url': trainerUrl }, null, 2)}\n`);
      await openSection('training');
      const frame = env.frame();
      await waitForText('trainer connection', () => frame.locator('#trainer-connection').innerText(), /Trainer-server: Connected/, LONG);
      const started = Date.now();
      await frame.locator('#train-next:not([disabled])').click();
      // The round's manifest, written by the trainer-server itself (<home>/lineages/<base>/rounds/), says how it ended.
      const lineages = path.join(process.env.E2E_TRAINER_HOME, 'lineages');
      const finished = async () => {
        const dirs = fs.existsSync(lineages) ? fs.readdirSync(lineages).map((l) => path.join(lineages, l, 'rounds')).filter((d) => fs.existsSync(d)) : [];
        const files = dirs.flatMap((d) => fs.readdirSync(d).filter((f) => /^round-\d+\.json$/.test(f)).map((f) => path.join(d, f)));
        const manifests = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
        return JSON.stringify(manifests.filter((m) => m.phase === 'done'));
      };
      const [manifest] = JSON.parse(await waitForText('a finished round in the trainer-server home', finished, /"phase":"done"/, LONG * 2));
      console.log(`# round ${manifest.roundId}: ${manifest.state} ${((Date.now() - started) / 1000).toFixed(1)} s after the click`);
      assert.ok(['promoted', 'rejected'].includes(manifest.state), `the round ended with a decision, not ${manifest.state}: ${manifest.error ?? ''}`);
      if (manifest.state === 'promoted') {
        await waitForText('live version in the panel', () => frame.locator('#training-live').innerText(), new RegExp(`^${manifest.version}$`), SHORT);
        await frame.locator(`[data-entry="version:${manifest.version}"].state-live`).waitFor({ timeout: SHORT });
      } else {
        const entry = frame.locator(`[data-entry="round:${manifest.roundId}"].state-rejected`);
        await entry.waitFor({ timeout: SHORT });
        assert.match(await entry.innerText(), /rejected/i);
        if (manifest.decision?.reason) assert.ok((await entry.innerText()).includes(manifest.decision.reason.slice(0, 40)), 'the panel gives the reason');
      }
      // The held-out losses the panel shows are the manifest's, rounded as the panel rounds (3 significant digits).
      const { before, after } = manifest.metrics;
      if (before && after) {
        const entryKey = manifest.state === 'promoted' ? `version:${manifest.version}` : `round:${manifest.roundId}`;
        const shown = await frame.locator(`[data-entry="${entryKey}"] .tl-metrics`).innerText();
        const rounded = (v) => String(Number(v.toPrecision(3)));
        assert.ok(shown.includes(`${rounded(before.eval_loss)} → ${rounded(after.eval_loss)}`), `losses ${before.eval_loss} -> ${after.eval_loss} in "${shown}"`);
        // A round that made no version never shows its loss change in the colour of success.
        if (manifest.state !== 'promoted') assert.equal(await frame.locator(`[data-entry="${entryKey}"] .tl-metrics .tone-up`).count(), 0);
      }
      // The Train button is offered again once the round is over.
      await frame.locator('#train-next:not([disabled])').waitFor({ timeout: SHORT });
      await shot('8-train-round');
    }));
  }
}

module.exports = { registerRoundAndImportTests };
