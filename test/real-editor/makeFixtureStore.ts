// Writes a small, deterministic store for the real-editor tests: the panel and the status bar must
// show the same numbers as `autodidact stats --json` on this folder. The store is left as the product
// leaves it: scored (from each interaction's outcome events), categorised and with patterns, because
// the editor's analysis server rescores at start and must find nothing to change. Two recorded
// versions and rounds give the Training section a timeline; one pattern is kept out of training.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import type { CaptureEvent, OutcomeEvent } from '../../extension/protocol/records';
import { setPatternIncluded } from '../../extension/server/patterns/patternQuery';
import { registerAnalysis } from '../../extension/server/scoring/registerAnalysis';

const CATEGORIES: Array<[string, string, number[]]> = [
  ['Security', 'Redact the API token before logging the request', [1, 0.95]],
  ['Testing', 'Fix the failing unit test for the date parser', [0.9, 0.85, 0.7, 0.95]],
  ['Debugging', 'Why does the server crash on an empty body?', [0.6, 0.8, 0.9]],
  ['Documentation', 'Document the CLI flags in the README', [0.95, 0.9, 0.92]],
  ['Refactoring', 'Split the 400-line handler into small functions', [0.75, 0.88]],
  ['Deployment', 'Make the CI workflow cache npm dependencies', [0.93, 0.9, 0.97]],
];

/** Outcome events that make an interaction score about `target` (the scorer, not this file, decides). */
function outcomesFor(id: string, sessionId: string, at: number, target: number): OutcomeEvent[] {
  const kinds: Array<[OutcomeEvent['kind'], number | undefined]> =
    target >= 0.95 ? [['vote', 1], ['test_passed', undefined]]
      : target >= 0.9 ? [['test_passed', undefined], ['edit_kept', undefined]]
        : target >= 0.85 ? [['test_passed', undefined]]
          : target >= 0.8 ? [['edit_kept', undefined], ['tool_ok', undefined]]
            : target >= 0.7 ? [['tool_error', undefined], ['exit_code', 0]]
              : [['test_failed', undefined]];
  return kinds.map(([kind, value], i) => ({ id: `${id}-o${i}`, interactionId: id, sessionId, kind, value, at: at + 30_000 + i }));
}

const START = Date.UTC(2026, 10, 1, 9, 0, 0);

const METRICS = {
  base: { eval_loss: 2.412, token_accuracy: 0.382, examples: 2 },
  v11: { eval_loss: 2.118, token_accuracy: 0.421, examples: 2 },
  rejected: { eval_loss: 2.131, token_accuracy: 0.417, examples: 2 },
};

/** The fixture's events; `scores` replaces each interaction's effectiveness (see makeFixtureStore). */
function fixtureEvents(scores?: ReadonlyMap<string, number>): CaptureEvent[] {
  const events: CaptureEvent[] = [];
  let n = 0;
  for (let session = 0; session < 4; session++) {
    events.push({ type: 'session', session: { id: `fixture-s${session}`, source: 'claude-code', title: `Fixture session ${session + 1}`, startedAt: START + session * 3_600_000 } });
  }
  for (const [category, request, targets] of CATEGORIES) {
    for (const target of targets) {
      n++;
      const id = `fixture-${n}`;
      // A secret that capture already replaced with its placeholder, as redaction leaves it in the store.
      const secret = n === 1 ? ' The log line showed [GITHUB_TOKEN].' : '';
      events.push({ type: 'interaction', interaction: {
        id, sessionId: `fixture-s${n % 4}`, source: 'claude-code', model: 'claude-sonnet-4',
        startedAt: START + n * 60_000, user_request: `${request} (#${n})${secret}`,
        assistant_response: `Done: applied the change for ${category.toLowerCase()} and ran the checks.`,
        tools_used: ['Read', 'Edit'], files_modified: [`src/${category.toLowerCase()}/module${n}.ts`],
        issues_encountered: target < 0.8 ? ['first attempt failed the type check'] : [],
        solutions_applied: ['edited the module'], effectiveness: scores?.get(id) ?? target, category,
      } });
      for (const outcome of outcomesFor(id, `fixture-s${n % 4}`, START + n * 60_000, target)) events.push({ type: 'outcome', outcome });
    }
  }
  return events;
}

/** What the scorer makes of the fixture's interactions, measured in a scratch store. */
async function derivedScores(): Promise<Map<string, number>> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-fixture-'));
  try {
    const store = await AutodidactStore.open(scratch);
    await store.capture(fixtureEvents());
    await registerAnalysis(store, { embeddings: false }).settle();
    const scores = new Map(store.query<{ id: string; effectiveness: number }>('SELECT id, effectiveness FROM interactions').map((r) => [r.id, r.effectiveness]));
    await store.close();
    return scores;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export async function makeFixtureStore(dir: string): Promise<void> {
  // The store replays its journal on open, and the journal holds each interaction's effectiveness as
  // captured; `autodidact stats` reads the store without rescoring while the editor rescores. Journaling
  // the scores the scorer gives makes both read the same numbers.
  const events = fixtureEvents(await derivedScores());
  const store = await AutodidactStore.open(dir);
  const start = START;
  await store.capture(events);
  await registerAnalysis(store, { embeddings: false }).settle();
  const [debugging] = store.query<{ id: string }>("SELECT id FROM patterns WHERE category = 'Debugging'");
  if (debugging) await setPatternIncluded(store, debugging.id, false);
  const day = 86_400_000;
  await store.writeDerived((db) => {
    const version = db.prepare('INSERT INTO versions (name, parent, created_at, live, metrics) VALUES (?, ?, ?, ?, ?)');
    version.run(['v1.0', null, start - 2 * day, 0, JSON.stringify(METRICS.base)]);
    version.run(['v1.1', 'v1.0', start - day, 1, JSON.stringify(METRICS.v11)]);
    version.free();
    const round = db.prepare(`INSERT INTO training_rounds (id, parent_version, candidate_version, status, metrics_before, metrics_after,
      decision, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    round.run(['round-0001', 'v1.0', 'v1.1', 'promoted', JSON.stringify(METRICS.base), JSON.stringify(METRICS.v11),
      'held-out loss fell 12.2% (needs 1%); token accuracy rose', start - day - 600_000, start - day]);
    round.run(['round-0002', 'v1.1', null, 'rejected', JSON.stringify(METRICS.v11), JSON.stringify(METRICS.rejected),
      'held-out loss rose 0.6%; the live version stays', start - day / 2 - 600_000, start - day / 2]);
    round.free();
  });
  await store.close();
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) { console.error('usage: makeFixtureStore.ts DIR'); process.exit(2); }
  makeFixtureStore(dir).then(() => console.log(`fixture store written to ${dir}`), (error: Error) => { console.error(error); process.exit(1); });
}
