// `npm run bench:lessons-distil`: how many lessons the live model writes itself, against the
// extractor. The five kinds of correction (correctionSessions.ts) are imported through the Aider
// importer; the real base (SmolLM2-135M-Instruct, offline) answers each distillation prompt through a
// real trainer-server's gateway; each answer is printed with whether it was kept or fell back (and
// which lesson the extractor made instead), with the wall time per prompt.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runImport } from '../../../extension/server/importService';
import { correctionExchangesInStore } from '../../../extension/server/lessons/correctionExchanges';
import { distilLesson } from '../../../extension/server/lessons/lessonExtractor';
import { distillationPrompt, gatewayPromptModel, parseDistilled } from '../../../extension/server/lessons/modelDistillation';
import { AutodidactStore } from '../../../extension/server/store/autodidactStore';
import { TrainerServer } from '../../../trainer-server/src/trainerServer';
import { allSessions, writeAiderSessions } from './correctionSessions';

const REPO = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const baseModel = process.env.AUTODIDACT_SMOLLM2_DIR ?? path.join(REPO, 'test', '.models', 'SmolLM2-135M-Instruct');
  if (!fs.existsSync(path.join(baseModel, 'autodidact_gguf_base.json'))) throw new Error(`the real base is not prepared at ${baseModel}: run bash test/setup/install-python-env.sh`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-distil-bench-'));
  const store = await AutodidactStore.open(path.join(root, 'store'));
  let server: TrainerServer | undefined;
  try {
    await runImport(store, { paths: writeAiderSessions(path.join(root, 'projects'), allSessions()), format: 'aider' });
    server = await TrainerServer.start({
      host: '127.0.0.1', port: 0, homeDir: path.join(root, 'home'), baseModel, python: path.join(REPO, '.venv', 'bin', 'python'),
      engineDir: path.join(REPO, 'trainer-server'), engineThreads: 2, env: { ...process.env, AUTODIDACT_OFFLINE: '1', HF_HUB_OFFLINE: '1' }, log: () => undefined,
    });
    const model = gatewayPromptModel(server.httpUrl, server.token, Number(process.env.DISTIL_MAX_TOKENS ?? 60));
    await model('hello'); // the engine is loaded before anything is timed
    let kept = 0;
    const times: number[] = [];
    const exchanges = correctionExchangesInStore(store).slice(0, Number(process.env.DISTIL_LIMIT ?? Infinity));
    for (const exchange of exchanges) {
      const started = performance.now();
      const answer = await model(distillationPrompt(exchange));
      times.push(performance.now() - started);
      const draft = parseDistilled(answer, exchange);
      if (draft) kept++;
      console.log(`- ${exchange.attempt.request}\n  model (${(times.at(-1)! / 1000).toFixed(1)} s): ${JSON.stringify(answer.slice(0, 200))}\n  ${draft ? `KEPT: ${draft.text}` : `fell back to the extractor: ${distilLesson(exchange)?.text ?? '(no lesson)'}`}`);
    }
    times.sort((a, b) => a - b);
    console.log(`lessons written by the model: ${kept} of ${exchanges.length} correction exchanges; median ${(times[Math.floor(times.length / 2)] / 1000).toFixed(1)} s per prompt (base ${path.basename(baseModel)})`);
  } finally {
    await server?.stop();
    await store.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => { console.error(error); process.exitCode = 1; });
