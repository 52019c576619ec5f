// `autodidact train [--trainer URL] [--token T] [--json] [--dataset FILE --eval FILE]
//  [--learning-rate X] [--max-steps N] [--epochs N] [--config JSON] [--margin F] [--continue]`:
// uploads the training set, runs one round on the trainer-server, streams progress to stderr and
// prints the round manifest. Exit 0 when the round completed (promoted or rejected), 1 otherwise.
// A round trains a fresh adapter on all data (measured to keep earlier rounds' gains, see
// trainer-server/engine/SETTINGS.md); `--continue` stacks on the live version's adapter instead.
import { datasetSha256 } from '../../shared/datasetDigest';
import type { RoundManifest, TrainConfig } from '../../protocol/trainerProtocol';
import type { CliArgs } from './cliArgs';
import { connectTrainer } from './trainerConnection';
import { trainingSetLines } from './trainingSetLines';

const FINAL_STATES = new Set(['promoted', 'rejected', 'failed', 'cancelled']);

function numberFlag(args: CliArgs, name: string): number | undefined {
  const raw = args.flags[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(value)) throw new Error(`--${name} needs a number (got ${String(raw)})`);
  return value;
}

function trainConfigOf(args: CliArgs): TrainConfig {
  let config: TrainConfig = {};
  if (typeof args.flags.config === 'string') {
    try {
      config = JSON.parse(args.flags.config) as TrainConfig;
    } catch (error) {
      throw new Error(`--config must be a JSON object: ${(error as Error).message}`);
    }
  }
  const shortcuts: Array<[string, keyof TrainConfig]> = [['learning-rate', 'learning_rate'], ['max-steps', 'max_steps'], ['epochs', 'epochs'], ['rank', 'rank']];
  for (const [flag, key] of shortcuts) {
    const value = numberFlag(args, flag);
    if (value !== undefined) (config as Record<string, unknown>)[key] = value;
  }
  return config;
}

export async function run(args: CliArgs): Promise<number> {
  let config: TrainConfig;
  let margin: number | undefined;
  try {
    config = trainConfigOf(args);
    margin = numberFlag(args, 'margin');
  } catch (error) {
    process.stderr.write(`autodidact train: ${(error as Error).message}\n`);
    return 2;
  }
  const data = await trainingSetLines(args);
  const client = await connectTrainer(args);
  try {
    const sha256 = datasetSha256(data.train, data.eval);
    const upload = await client.call('uploadDataset', { train: data.train, eval: data.eval, sha256 });
    process.stderr.write(`dataset ${sha256.slice(0, 12)}: ${upload.trainExamples} train, ${upload.evalExamples} held out (${data.origin})\n`);
    const latest = new Map<string, RoundManifest>();
    let roundId: string | undefined;
    let finish: (manifest: RoundManifest) => void = () => undefined;
    const finished = new Promise<RoundManifest>((resolve) => { finish = resolve; });
    client.onEvent((event) => {
      if (event.event === 'round') {
        const previous = latest.get(event.manifest.roundId);
        latest.set(event.manifest.roundId, event.manifest);
        if (event.manifest.roundId !== roundId) return;
        if (previous?.phase !== event.manifest.phase && event.manifest.phase !== 'done') process.stderr.write(`${roundId}: ${event.manifest.phase}\n`);
        if (FINAL_STATES.has(event.manifest.state) && event.manifest.phase === 'done') finish(event.manifest);
      } else if (event.event === 'progress' && event.roundId === roundId) {
        process.stderr.write(`  step ${event.step}/${event.totalSteps}  loss ${event.loss.toFixed(4)}  lr ${event.learningRate.toExponential(2)}  ${event.tokensPerS.toFixed(0)} tok/s  ETA ${event.etaS.toFixed(0)} s\n`);
      }
    });
    const started = await client.call('startRound', {
      datasetSha256: sha256, config, continueFromParent: args.flags.continue === true && args.flags['from-base'] !== true,
      ...(margin !== undefined ? { promotion: { minRelativeLossDecrease: margin } } : {}),
    });
    roundId = started.roundId;
    process.stderr.write(`${roundId}: queued${started.position ? ` behind ${started.position} round(s)` : ''}\n`);
    const known = latest.get(roundId);
    if (known && FINAL_STATES.has(known.state) && known.phase === 'done') finish(known);
    const onInterrupt = (): void => {
      process.stderr.write(`cancelling ${roundId}...\n`);
      void client.call('cancelRound', { roundId: roundId as string }).catch(() => undefined);
    };
    process.once('SIGINT', onInterrupt);
    // Events can be missed if the connection hiccups; polling the manifest now and then catches up.
    const poll = setInterval(() => {
      void client.call('getRound', { roundId: roundId as string }).then((m) => { if (FINAL_STATES.has(m.state) && m.phase === 'done') finish(m); }, () => undefined);
    }, 5000);
    const manifest = await finished;
    clearInterval(poll);
    process.removeListener('SIGINT', onInterrupt);
    const summary = manifest.state === 'promoted' ? `promoted to ${manifest.version}` : manifest.state;
    process.stderr.write(`${roundId}: ${summary}: ${manifest.decision?.reason ?? ''}${manifest.error ? ` ${manifest.error}` : ''}\n`);
    process.stdout.write(args.json ? `${JSON.stringify(manifest)}\n` : `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest.state === 'promoted' || manifest.state === 'rejected' ? 0 : 1;
  } finally {
    client.close();
  }
}
