// Writes teaching sessions as Claude Code JSONL (the real on-disk shape, see
// ../shared/fixtures/transcripts/FORMATS.md) with the evidence that makes them score as successes
// through the real import path: the assistant writes the file, runs the tests ("5 passed", exit 0),
// shows the code, and the user thanks it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClaudeRecordFactory } from '../../unit/claudeRecordFactory';
import type { TeachingItem } from './conventions';

const PROJECT_CWD = '/home/dev/shop';

function sessionUuid(n: number): string {
  return `5e551011-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** The code block of an answer: what the Write tool puts in the file. */
function codeOf(answer: string): string {
  return /```python\n([\s\S]*?)```/.exec(answer)?.[1] ?? answer;
}

function fileOf(answer: string, fallback: string): string {
  return /((?:app|tests)\/[\w/]+\.py)/.exec(answer)?.[1] ?? fallback;
}

export function teachingSession(item: TeachingItem, n: number): string[] {
  const f = new ClaudeRecordFactory({ sessionId: sessionUuid(n), cwd: PROJECT_CWD }, Date.parse('2026-11-02T09:00:00.000Z') + n * 3_600_000);
  const file = `${PROJECT_CWD}/${fileOf(item.answer, 'app/module.py')}`;
  const code = codeOf(item.answer);
  const passed = 3 + (n % 5);
  return [
    f.user(item.request),
    f.toolUse(`toolu_write_${n}`, 'Write', { file_path: file, content: code }),
    f.toolResult(`toolu_write_${n}`, `File created successfully at: ${file}`, false, { type: 'create', filePath: file, content: code, structuredPatch: [] }),
    f.toolUse(`toolu_test_${n}`, 'Bash', { command: `python -m pytest -q ${item.testFile}`, description: 'Run the unit tests' }),
    f.toolResult(`toolu_test_${n}`, `${'.'.repeat(passed)}                                                    [100%]\n${passed} passed in 0.${10 + n % 80}s`, false,
      { stdout: `${passed} passed in 0.${10 + n % 80}s`, stderr: '', interrupted: false, isImage: false }),
    f.assistantText(item.answer),
    f.user(n % 2 === 0 ? 'Thanks, that works.' : 'Great, tests pass. Thanks!'),
  ];
}

/** One JSONL file per session in a Claude Code projects folder; returns the folder to import. */
export function writeTeachingSessions(dir: string, items: readonly TeachingItem[], firstNumber = 1): string {
  const project = path.join(dir, PROJECT_CWD.replace(/\//g, '-'));
  fs.mkdirSync(project, { recursive: true });
  items.forEach((item, i) => {
    const n = firstNumber + i;
    fs.writeFileSync(path.join(project, `${sessionUuid(n)}.jsonl`), `${teachingSession(item, n).join('\n')}\n`);
  });
  return dir;
}
