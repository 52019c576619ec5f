// Redaction over every real transcript in ../shared: what it finds there is exactly the table below
// (each entry read off the file by hand), ordinary code and prose about passwords, tokens and keys
// stays, and every file without a finding comes back byte for byte. A rule that starts matching
// more (a false positive) or less changes the table and fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { redactionSummary, redactText, RedactionTally } from '../../extension/shared/redaction/redactText';
import { fixtureDir, fixtureFiles, whenFixtures } from './sharedFixtures';

/** Distinct secrets found per file and type. */
const EXPECTED: Record<string, Record<string, number>> = {
  // "author": "Dominic Tarr <...>" in a package.json the subagent read.
  'claude-code/codemie_v2.1.7_subagents_agent-a485154.jsonl': { EMAIL: 1 },
  // "Logged in as: ..." in a CLI login banner a tool printed.
  'codex/codemie_codex-tui-0.125.0_rollout-2026-05-11T11-26-55-019e1625-789d-76c0-80ab-3724b5ddb799.jsonl': { EMAIL: 1 },
  // authors = ["Wei Lee <...>"] in a Cargo.toml read twice.
  'copilot-cli/vct_legacy-history-session_0b2a81da.json': { EMAIL: 1 },
  // The same author line, and Copilot's Co-authored-by noreply address.
  'copilot-cli/vct_v1.0.34_session-state_events_96ef38f0.jsonl': { EMAIL: 2 },
  // "speculativeSummarizationEncryptionKey": 44 base64 characters, a key Cursor keeps in its state database.
  'cursor/gitai_globalStorage_cursorDiskKV_composer-00812842.vscdb': { SECRET: 1 },
  // email = "..." in a pyproject.toml.
  'gemini-cli/vct_jsonl_session-0ab84937.jsonl': { EMAIL: 1 },
};

/**
 * Text in the fixtures that names secrets without holding one: code that reads or masks them, types,
 * placeholders already redacted by their authors, CI templates, token counts, prose. Each must be in
 * some fixture (so this list tests something) and survive redaction unchanged.
 */
const BENIGN = [
  "apiKey: 'proxy-handled'",
  "env.OPENAI_API_KEY = 'proxy-handled'",
  'litellmApiKey: string | undefined',
  'github_token: ${{ secrets.GITHUB_TOKEN }}',
  "const token = 'REDACTED_API_KEY'",
  "'authorization': 'Bearer REDACTED_TOKEN'",
  'const apiKey = await clack.password({',
  "key.toLowerCase().includes('password')",
  '"maxPromptTokens":1024',
  'cache_read_input_tokens',
  'Basic console',
  'token budget',
  'import secrets',
  '/Users/secretservice/AFI_Modular_Repos',
];

whenFixtures('redaction on the real transcripts', () => {
  it('finds exactly the known secrets, keeps every benign look-alike and leaves files without secrets byte-identical', () => {
    const found: Record<string, Record<string, number>> = {};
    const total = new RedactionTally();
    const benignSeen = new Map<string, number>();
    for (const file of fixtureFiles()) {
      const before = readFileSync(join(fixtureDir, file), 'utf8');
      const tally = new RedactionTally();
      const after = redactText(before, tally);
      total.merge(tally);
      const byType = redactionSummary(tally).byType;
      if (Object.keys(byType).length > 0) found[file] = byType;
      else assert.equal(after, before, `${file}: no secret found, so not one byte changes`);
      for (const text of BENIGN) {
        const count = before.split(text).length - 1;
        if (count === 0) continue;
        benignSeen.set(text, (benignSeen.get(text) ?? 0) + count);
        assert.equal(after.split(text).length - 1, count, `${file}: "${text}" is not a secret and stays`);
      }
    }
    for (const text of BENIGN) assert.ok(benignSeen.has(text), `"${text}" occurs in the fixtures (else this check tests nothing)`);
    const summary = redactionSummary(total);
    console.log(`redactions over ${fixtureFiles().length} fixture files: ${summary.total} distinct secrets ${JSON.stringify(summary.byType)}`);
    for (const [file, byType] of Object.entries(found)) console.log(`  ${file}: ${JSON.stringify(byType)}`);
    assert.deepEqual(found, EXPECTED);
  });
});
