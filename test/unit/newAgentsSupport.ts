// Shared by the tests of the Cursor, Gemini CLI, OpenCode, Copilot CLI, Windsurf, Factory Droid and
// Amp importers: the fixture guard (absent fixtures fail under CI, and say plainly that the tests
// did not run elsewhere), copies to damage or grow, and a snapshot of a fixture to prove it untouched.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fixture, whenFixtures } from './importersSupport';

/** Absent fixtures fail under CI=true and are reported as not run elsewhere (see sharedFixtures.ts). */
export function whenNewAgentFixtures(name: string, register: () => void): void {
  whenFixtures(name, register);
}

export function tempDir(prefix = 'autodidact-newagents-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A private copy of a fixture file, to change without touching ../shared. */
export function copyFixture(relative: string, dir = tempDir()): string {
  const to = join(dir, basename(relative));
  copyFileSync(fixture(relative), to);
  return to;
}

/** Bytes hash of a file plus the names in its folder: what "left untouched" means for a database. */
export function untouchedSnapshot(path: string): { hash: string; listing: string[] } {
  return { hash: createHash('sha256').update(readFileSync(path)).digest('hex'), listing: readdirSync(dirname(path)).sort() };
}

export const NEW_AGENT_FIXTURES = {
  cursorDb: 'cursor/gitai_globalStorage_cursorDiskKV_composer-00812842.vscdb',
  cursorTranscript: 'cursor/gitai_agent-transcript_hbo-shows.jsonl',
  geminiGitai: 'gemini-cli/gitai_legacy-json_session-18f475c0.json',
  geminiJsonl: 'gemini-cli/vct_jsonl_session-0ab84937.jsonl',
  geminiEefc: 'gemini-cli/vct_legacy-json_session-eefc44a3.json',
  gemini2d9e: 'gemini-cli/vct_legacy-json_session-2d9ea14f.json',
  opencodeDb: 'opencode/linchen_v1.1-1.2/opencode.db',
  copilotEvents: 'copilot-cli/vct_v1.0.34_session-state_events_96ef38f0.jsonl',
  copilotLegacy: 'copilot-cli/vct_legacy-history-session_0b2a81da.json',
  windsurf: 'windsurf/gitai_cascade-hook-transcript_song.jsonl',
  droid: 'factory-droid/gitai_session_052cb8d0/052cb8d0.jsonl',
  amp: 'amp/gitai_T-019ca1ce-3ae2-7686-a41e-ccc078837f8a.json',
} as const;

/** Every fixture file of these seven assistants, companions included (for the coverage check). */
export const NEW_AGENT_FIXTURE_FILES: readonly string[] = [
  ...Object.values(NEW_AGENT_FIXTURES),
  'factory-droid/gitai_session_052cb8d0/052cb8d0.settings.json',
  'opencode/linchen_v1.1-1.2/storage/session_diff/ses_3a8ef361affe3Qr05TZvm9q4uU.json',
];

/** The reader kind detection gives each transcript of these seven, whatever its file is named. */
export const NEW_AGENT_KINDS: Readonly<Record<string, string>> = {
  [NEW_AGENT_FIXTURES.cursorDb]: 'cursor-database', [NEW_AGENT_FIXTURES.cursorTranscript]: 'cursor-transcript',
  [NEW_AGENT_FIXTURES.geminiGitai]: 'gemini-json', [NEW_AGENT_FIXTURES.geminiEefc]: 'gemini-json', [NEW_AGENT_FIXTURES.gemini2d9e]: 'gemini-json',
  [NEW_AGENT_FIXTURES.geminiJsonl]: 'gemini-jsonl', [NEW_AGENT_FIXTURES.opencodeDb]: 'opencode-database',
  [NEW_AGENT_FIXTURES.copilotEvents]: 'copilot-cli-events', [NEW_AGENT_FIXTURES.copilotLegacy]: 'copilot-cli-legacy',
  [NEW_AGENT_FIXTURES.windsurf]: 'windsurf-transcript', [NEW_AGENT_FIXTURES.droid]: 'droid-session', [NEW_AGENT_FIXTURES.amp]: 'amp-thread',
};
