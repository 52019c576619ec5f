// `npm run bench:learning [-- --config JSON] [--synthetic N] [--train N] [--held-out N] [--only ID,ID]
//  [--min-effectiveness X] [--no-scrambled] [--max-tokens N]`: teaches four project conventions
// through the product's real import, dataset, trainer-server and gateway, on SmolLM2-135M-Instruct,
// and prints per convention compliance before -> after on unseen requests, canary drift, each round's
// decision, wall time and tokens/s, with and without synthetic variations, then a scrambled round.
// JSON: test-output/bench/learning.json.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { TrainConfig } from '../../../extension/protocol/trainerProtocol';
import { smolLm2Dir } from './baseModel';
import { describeResult, runLearningBench, writeResultJson } from './learningBench';
import { REPO_ROOT } from './productCli';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: '{}' }, synthetic: { type: 'string', default: '48' }, train: { type: 'string', default: '24' },
      'held-out': { type: 'string', default: '10' }, canaries: { type: 'string', default: '8' }, only: { type: 'string' },
      'min-effectiveness': { type: 'string' }, 'no-scrambled': { type: 'boolean', default: false }, 'max-tokens': { type: 'string', default: '96' },
      'base-model': { type: 'string' }, out: { type: 'string', default: path.join(REPO_ROOT, 'test-output', 'bench', 'learning.json') },
    },
  });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-learning-bench-'));
  const t0 = performance.now();
  const result = await runLearningBench({
    workDir, baseModel: values['base-model'] ?? smolLm2Dir(), only: values.only?.split(','),
    trainCount: Number(values.train), heldOutCount: Number(values['held-out']), canaryCount: Number(values.canaries),
    config: JSON.parse(values.config) as TrainConfig, maxTokens: Number(values['max-tokens']),
    minEffectiveness: values['min-effectiveness'] !== undefined ? Number(values['min-effectiveness']) : undefined,
    synthetic: Number(values.synthetic), scrambled: !values['no-scrambled'],
    log: (line) => process.stderr.write(`${line}\n`),
    onProgress: (partial) => {
      const so = describeResult(partial);
      console.table(so.conventions);
      console.table(so.rounds);
      writeResultJson(values.out, partial);
    },
  });
  const table = describeResult(result);
  console.log(`\nLearning bench: base ${result.baseModel}, config ${JSON.stringify(result.config)}, ${result.importedSessions} imported sessions, ${((performance.now() - t0) / 1000).toFixed(0)} s in all`);
  console.log('Compliant answers on unseen requests (and canary drift / convention leaks):');
  console.table(table.conventions);
  console.log('Rounds:');
  console.table(table.rounds);
  for (const p of result.phases) console.log(`${p.round.label}: ${p.round.state}: ${p.round.reason}`);
  writeResultJson(values.out, { ...result, totalS: Math.round((performance.now() - t0) / 1000) } as typeof result);
  console.log(`JSON: ${values.out}`);
  fs.rmSync(workDir, { recursive: true, force: true });
}

main().catch((error: Error) => {
  console.error(error);
  process.exitCode = 1;
});
