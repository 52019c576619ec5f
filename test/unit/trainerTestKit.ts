// Shared pieces for the trainer-server and gateway tests: the tiny model (built once per machine by
// the engine's own engine.tiny_model, cached in the temp folder by the builder's hash), learnable and
// garbage chat datasets, and a real trainer-server on 127.0.0.1 with a random port.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TrainerClient } from '../../extension/shared/trainerClient';
import type { PromotionPolicy, RoundManifest, TrainConfig, TrainerEvent } from '../../extension/protocol/trainerProtocol';
import { datasetSha256 } from '../../extension/shared/datasetDigest';
import { TrainerServer, type TrainerServerOptions } from '../../trainer-server/src/trainerServer';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ENGINE_DIR = path.join(REPO_ROOT, 'trainer-server');
export const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');

/** Learns in a few dozen steps on the tiny model; the engine's own default stays seed 000's 1e-5. */
export const FAST_CONFIG: TrainConfig = { learning_rate: 1e-2, max_steps: 24, batch_size: 4, grad_accum: 1, warmup_ratio: 0, max_seq_len: 96, lr_scheduler: 'constant' };

export function tempDir(prefix = 'autodidact-trainer-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function tinyModelDir(): string {
  const builder = fs.readFileSync(path.join(ENGINE_DIR, 'engine', 'tiny_model.py'));
  const dir = path.join(os.tmpdir(), `autodidact-tiny-model-${createHash('sha256').update(builder).digest('hex').slice(0, 12)}`);
  if (fs.existsSync(path.join(dir, 'autodidact_tiny_model.json'))) return dir;
  const staging = `${dir}.partial-${process.pid}`;
  execFileSync(PYTHON, ['-m', 'engine.tiny_model', '--out', staging], { cwd: ENGINE_DIR, env: { ...process.env, HF_HUB_OFFLINE: '1' }, stdio: 'pipe' });
  try {
    fs.renameSync(staging, dir);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true }); // another test process published it first
  }
  return dir;
}

const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];
const TRAIN_PHRASINGS = ['What is the code for {n}?', 'Tell me the code for {n}.', 'Code of {n}, please.'];
const EVAL_PHRASINGS = ['Which code belongs to {n}?'];

function codeFor(name: string): number {
  return 10 + ([...name].reduce((sum, c) => sum + c.charCodeAt(0), 0) * 7) % 90;
}

function chatLine(question: string, answer: string): string {
  return JSON.stringify({ messages: [{ role: 'system', content: 'You answer with the code.' }, { role: 'user', content: question }, { role: 'assistant', content: answer }] });
}

function rows(phrasings: string[], answerOf: (name: string, index: number) => string): string[] {
  const out: string[] = [];
  let index = 0;
  for (const name of NAMES) for (const p of phrasings) out.push(chatLine(p.replace('{n}', name), answerOf(name, index++)));
  return out;
}

/** Consistent, learnable answers; the eval split asks with a phrasing never trained on. */
export function goodDataset(): { train: string[]; eval: string[] } {
  const answer = (name: string): string => `The code for ${name} is ${codeFor(name)}.`;
  return { train: rows(TRAIN_PHRASINGS, answer), eval: rows(EVAL_PHRASINGS, answer) };
}

/** Garbage: every answer is another question's answer with its words shuffled. Judged on the same honest held-out split. */
export function garbageDataset(): { train: string[]; eval: string[] } {
  const good = goodDataset();
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const shuffle = <T>(items: T[]): T[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = random(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  };
  const answers = shuffle(good.train.map((line) => JSON.parse(line).messages[2].content as string));
  const train = good.train.map((line, i) => {
    const row = JSON.parse(line);
    row.messages[2].content = shuffle(answers[i].split(' ')).join(' ');
    return JSON.stringify(row);
  });
  return { train, eval: good.eval };
}

export interface StartedServer {
  server: TrainerServer;
  logs: string[];
}

export async function startServer(home: string, overrides: Partial<TrainerServerOptions> = {}): Promise<StartedServer> {
  const logs: string[] = [];
  const server = await TrainerServer.start({
    host: '127.0.0.1', port: 0, homeDir: home, baseModel: overrides.baseModel ?? tinyModelDir(), python: PYTHON, engineDir: ENGINE_DIR,
    engineThreads: 1, env: { ...process.env, AUTODIDACT_OFFLINE: '1', AUTODIDACT_OFFLINE_BASE: 'tiny' }, // plumbing tests: the tiny model
    log: (level, message) => { logs.push(`${level} ${message}`); if (process.env.TRAINER_TEST_VERBOSE) process.stderr.write(`[trainer] ${level} ${message}\n`); },
    ...overrides,
  });
  return { server, logs };
}

export async function connect(server: TrainerServer, capture = false, onEvent?: (event: TrainerEvent) => void): Promise<TrainerClient> {
  return TrainerClient.connect(server.wsUrl, server.token, { client: 'test', capture, onEvent });
}

export async function upload(client: TrainerClient, data: { train: string[]; eval: string[] }): Promise<string> {
  const sha256 = datasetSha256(data.train, data.eval);
  await client.call('uploadDataset', { train: data.train, eval: data.eval, sha256 });
  return sha256;
}

/** Resolves with the manifest once the round has finished (any final state). */
export function roundFinished(client: TrainerClient, roundId: () => string | undefined): Promise<RoundManifest> {
  return new Promise((resolve) => {
    const stop = client.onEvent((event) => {
      if (event.event === 'round' && event.manifest.roundId === roundId() && event.manifest.phase === 'done') {
        stop();
        resolve(event.manifest);
      }
    });
  });
}

export async function runRound(client: TrainerClient, data: { train: string[]; eval: string[] }, config: TrainConfig = FAST_CONFIG, extra: { continueFromParent?: boolean; promotion?: Partial<PromotionPolicy> } = {}): Promise<RoundManifest> {
  const sha256 = await upload(client, data);
  let id: string | undefined;
  const done = roundFinished(client, () => id);
  id = (await client.call('startRound', { datasetSha256: sha256, config, ...extra })).roundId;
  return done;
}
