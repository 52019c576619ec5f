// Writes a small, deterministic store for the real-editor tests: the panel and the status bar must
// show the same numbers as `autodidact stats --json` on this folder.
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import type { CaptureEvent } from '../../extension/protocol/records';

const CATEGORIES: Array<[string, string, number[]]> = [
  ['Security', 'Redact the API token before logging the request', [1, 0.95]],
  ['Testing', 'Fix the failing unit test for the date parser', [0.9, 0.85, 0.7, 0.95]],
  ['Debugging', 'Why does the server crash on an empty body?', [0.6, 0.8, 0.9]],
  ['Documentation', 'Document the CLI flags in the README', [0.95, 0.9, 0.92]],
  ['Refactoring', 'Split the 400-line handler into small functions', [0.75, 0.88]],
  ['Deployment', 'Make the CI workflow cache npm dependencies', [0.93, 0.9, 0.97]],
];

export async function makeFixtureStore(dir: string): Promise<void> {
  const store = await AutodidactStore.open(dir);
  const events: CaptureEvent[] = [];
  let n = 0;
  const start = Date.UTC(2026, 10, 1, 9, 0, 0);
  for (let session = 0; session < 4; session++) {
    events.push({ type: 'session', session: { id: `fixture-s${session}`, source: 'claude-code', title: `Fixture session ${session + 1}`, startedAt: start + session * 3_600_000 } });
  }
  for (const [category, request, scores] of CATEGORIES) {
    for (const score of scores) {
      n++;
      events.push({ type: 'interaction', interaction: {
        id: `fixture-${n}`, sessionId: `fixture-s${n % 4}`, source: 'claude-code', model: 'claude-sonnet-4',
        startedAt: start + n * 60_000, user_request: `${request} (#${n})`,
        assistant_response: `Done: applied the change for ${category.toLowerCase()} and ran the checks.`,
        tools_used: ['Read', 'Edit'], files_modified: [`src/${category.toLowerCase()}/module${n}.ts`],
        issues_encountered: score < 0.8 ? ['first attempt failed the type check'] : [],
        solutions_applied: ['edited the module'], effectiveness: score, category,
      } });
    }
  }
  await store.capture(events);
  await store.close();
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) { console.error('usage: makeFixtureStore.ts DIR'); process.exit(2); }
  makeFixtureStore(dir).then(() => console.log(`fixture store written to ${dir}`), (error: Error) => { console.error(error); process.exit(1); });
}
