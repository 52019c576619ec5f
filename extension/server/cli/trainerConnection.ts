// Where the CLI finds the trainer-server and its token: --trainer URL (default ws://127.0.0.1:7878),
// then --token, env AUTODIDACT_TRAINER_TOKEN, or, for a server on this machine, the token file in
// its home (--trainer-home, env AUTODIDACT_TRAINER_HOME, default ~/.autodidact-trainer).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_TRAINER_PORT } from '../../protocol/trainerProtocol';
import type { CliArgs } from './cliArgs';
import { TrainerClient } from '../../shared/trainerClient';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function trainerUrlOf(args: CliArgs, env: NodeJS.ProcessEnv = process.env): string {
  const raw = typeof args.flags.trainer === 'string' ? args.flags.trainer : env.AUTODIDACT_TRAINER_URL ?? `ws://127.0.0.1:${DEFAULT_TRAINER_PORT}`;
  return raw.replace(/^http(s?):/, 'ws$1:');
}

export function trainerTokenOf(args: CliArgs, url: string, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof args.flags.token === 'string') return args.flags.token;
  if (env.AUTODIDACT_TRAINER_TOKEN) return env.AUTODIDACT_TRAINER_TOKEN;
  const home = typeof args.flags['trainer-home'] === 'string' ? args.flags['trainer-home'] : env.AUTODIDACT_TRAINER_HOME ?? path.join(os.homedir(), '.autodidact-trainer');
  const tokenFile = path.join(home, 'token');
  if (!LOCAL_HOSTS.has(new URL(url).hostname)) {
    throw new Error(`the trainer-server at ${url} is not on this machine; pass --token or set AUTODIDACT_TRAINER_TOKEN`);
  }
  try {
    return fs.readFileSync(tokenFile, 'utf8').trim();
  } catch {
    throw new Error(`no token: pass --token, set AUTODIDACT_TRAINER_TOKEN, or start the trainer-server so it writes ${tokenFile}`);
  }
}

export async function connectTrainer(args: CliArgs, client = 'cli'): Promise<TrainerClient> {
  const url = trainerUrlOf(args);
  return TrainerClient.connect(url, trainerTokenOf(args, url), { client });
}
