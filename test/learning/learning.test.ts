// The small learning check of the test command (issue 12): one project convention taught by a few
// Claude Code sessions, imported through the product's CLI, trained in one round on the real
// trainer-server with the real SmolLM2-135M-Instruct base and the DEFAULT training settings (replay by
// self-distillation, engine/SETTINGS.md), judged by the trainer-server's gate and by the answers the
// real gateway gives to requests it never saw. Fails if the effect disappears: the round must be
// promoted, the candidate must have learnt the convention (held-out loss, generated-answer agreement,
// compliance of unseen answers) and unrelated answers must be kept (the gate's canary bound, our own
// canaries close and free of the convention). The scrambled and damaging rounds are rejected in
// test/engine/test_gate_real_base.py; `npm run bench:learning` (the full version) runs more.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { smolLm2Dir } from '../bench/learning/baseModel';
import { describeResult, runLearningBench, writeResultJson } from '../bench/learning/learningBench';
import { REPO_ROOT } from '../bench/learning/productCli';

const HELD_OUT = 4;
/** Compliant unseen answers the round must add (of HELD_OUT). */
const MIN_GAIN = 2;
/** Our canaries: 1 - mean word-sequence similarity to the parent's answers. */
const MAX_CANARY_DRIFT = 0.5;
/** The candidate's held-out loss must fall by more than this share, and its generated answers gain this much agreement. */
const MIN_LOSS_DROP = 0.2;
const MIN_AGREEMENT_GAIN = 0.3;

// About 5 minutes on 2 idle cores; 15 with the load of several engineers' processes, hence the wide timeout.
test('a round on sessions that teach a convention is learnt by the candidate, and unrelated answers are protected', { timeout: 30 * 60_000 }, async () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-learning-test-'));
  try {
    const result = await runLearningBench({
      workDir, baseModel: smolLm2Dir(), only: ['file-layout'], trainCount: 10, heldOutCount: HELD_OUT, canaryCount: 2,
      // The default settings, but one micro-batch per optimiser step: 9 teaching examples and their replay
      // would make only 2 steps per epoch with the default 4 (the sweep's 40 examples make 8). And 4 epochs:
      // with 3, once the step windows changed the example order (fd41734), answers moved towards the layout
      // (a `# tests/...` path first) but 0 of 4 matched it exactly; with 4, 3 of 4 in two runs, canary kept.
      config: { grad_accum: 1, epochs: 4 },
      maxTokens: 32, synthetic: 0, scrambled: false, log: (line) => process.stderr.write(`[learning] ${line}\n`),
    });
    writeResultJson(path.join(REPO_ROOT, 'test-output', 'learning-small.json'), result);
    const table = describeResult(result);
    console.table(table.conventions);
    console.table(table.rounds);

    assert.equal(result.importedSessions, 10, 'every teaching session was imported');
    const [teach] = result.phases;
    const r = teach.round;
    // The effect: the candidate learnt the convention, in loss and in generated answers.
    assert.ok(r.evalLossBefore !== null && r.evalLossAfter !== null && r.evalLossAfter < r.evalLossBefore * (1 - MIN_LOSS_DROP),
      `held-out loss fell by more than ${MIN_LOSS_DROP * 100}%: ${r.evalLossBefore} -> ${r.evalLossAfter}`);
    assert.ok(r.gateAgreementBefore !== null && r.gateAgreementAfter !== null && r.gateAgreementAfter >= r.gateAgreementBefore + MIN_AGREEMENT_GAIN,
      `generated held-out answers agree more with the references: ${r.gateAgreementBefore} -> ${r.gateAgreementAfter}`);
    assert.ok(teach.after, 'answers were measured after the teaching round');
    // Promoted: better on held-out by the gate's margins, and the gate's canary bound met.
    assert.equal(r.state, 'promoted', `the default round is promoted (${r.reason})`);
    assert.ok(r.gateCanaryDriftShare !== null && r.gateCanaryDriftShare <= 0.25, `the gate's canary answers were kept (${r.reason})`);
    assert.ok(r.replayUsed !== null && r.replayUsed > 0, 'replay was mixed in');
    const before = result.before.compliance['file-layout'];
    const after = teach.after.compliance['file-layout'];
    assert.ok(after >= before + MIN_GAIN, `compliance on unseen requests rose by at least ${MIN_GAIN}: ${before} -> ${after} of ${HELD_OUT}`);
    assert.equal(teach.after.canaryLeaks, 0, `no unrelated answer picked up the convention: ${JSON.stringify(teach.after.answers.canaries)}`);
    assert.ok(teach.after.canaryDrift <= MAX_CANARY_DRIFT, `unrelated answers stayed close to the parent's (drift ${teach.after.canaryDrift})`);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
});
