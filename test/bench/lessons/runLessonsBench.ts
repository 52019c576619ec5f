// `npm run bench:lessons`: lessons found vs expected, recall precision / hit rate / false recall through
// the real gateway, recall latency, and each lesson's measured advantage on the real base model
// (SmolLM2-135M-Instruct, see test/setup; on a CPU keep LESSONS_BENCH_ROLLOUTS small).
// LESSONS_BENCH_BASE=tiny uses the tiny plumbing model and skips the advantage.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runLessonsBench } from './lessonsBenchRun';

const REPO = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const tiny = process.env.LESSONS_BENCH_BASE === 'tiny';
  const real = process.env.AUTODIDACT_SMOLLM2_DIR ?? path.join(REPO, 'test', '.models', 'SmolLM2-135M-Instruct');
  let baseModel = real;
  if (tiny) baseModel = (await import('../../unit/trainerTestKit')).tinyModelDir();
  else if (!fs.existsSync(path.join(real, 'autodidact_gguf_base.json'))) {
    throw new Error(`the real base is not prepared at ${real}: run bash test/setup/install-python-env.sh (or LESSONS_BENCH_BASE=tiny for plumbing only)`);
  }
  const rollouts = Number(process.env.LESSONS_BENCH_ROLLOUTS ?? 2);
  const result = await runLessonsBench({
    baseModel, python: path.join(REPO, '.venv', 'bin', 'python'), engineDir: path.join(REPO, 'trainer-server'),
    env: { ...process.env, AUTODIDACT_OFFLINE: '1', HF_HUB_OFFLINE: '1', ...(tiny ? { AUTODIDACT_OFFLINE_BASE: 'tiny' } : {}) },
    advantage: !tiny, rollouts, maxTokens: Number(process.env.LESSONS_BENCH_MAX_TOKENS ?? 48), temperature: Number(process.env.LESSONS_BENCH_TEMPERATURE ?? 0.7),
    progress: (line) => console.error(`[bench:lessons] ${line}`),
  });
  const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
  console.log(`base model: ${tiny ? 'tiny plumbing model' : baseModel}`);
  console.log(`lessons found / expected: ${result.found} / ${result.expected}`);
  console.log(`recall on ${result.heldOut} held-out same-kind requests: right lesson recalled ${result.recalledRight} (${pct(result.recallHitRate)}), precision ${pct(result.recallPrecision)} (${result.recalledRight} right of ${result.recalledTotal} recalled, ${result.recalledWrong} wrong)`);
  console.log(`false recall on ${result.unrelated} unrelated requests: ${result.falseRecalls} (${pct(result.falseRecallRate)})`);
  console.log(`recall latency: ${result.recallMedianMs.toFixed(3)} ms median in-process (read lessons.json + pick); gateway request with recall minus recall off, 1-token answer: ${result.gatewayAddedMedianMs.toFixed(1)} ms median (includes the longer prompt)`);
  for (const row of result.lessons) {
    const a = row.advantage;
    console.log(`  ${row.kind.padEnd(8)} ${row.text ?? '(not found)'}${a ? `\n           advantage ${a.advantage >= 0 ? '+' : ''}${a.advantage.toFixed(2)} (with ${pct(a.withRate)} vs without ${pct(a.withoutRate)}, n=${a.samples} per side, SE ${a.standardError.toFixed(2)}): ${a.beyondNoise ? 'beyond noise, active' : 'not beyond noise, retired'}` : ''}`);
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
}

main().catch((error) => { console.error(error); process.exitCode = 1; });
