// Builders for store tests: real stores in temporary folders, events with sensible defaults.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CaptureEvent, InteractionRecord } from '../../extension/protocol/records';

export function tempDir(prefix = 'autodidact-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function interaction(id: string, overrides: Partial<InteractionRecord> = {}): CaptureEvent {
  return {
    type: 'interaction',
    interaction: {
      id, sessionId: 's1', source: 'editor', startedAt: 1_700_000_000_000,
      user_request: `request ${id}`, assistant_response: `response ${id}`,
      tools_used: [], files_modified: [], issues_encountered: [], solutions_applied: [], effectiveness: null,
      ...overrides,
    },
  };
}
