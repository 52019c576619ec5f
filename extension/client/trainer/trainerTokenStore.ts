// Trainer tokens in SecretStorage, one per trainer origin (see trainerOrigin). For a server on this
// machine the token is read once from the file the server wrote on first start
// (~/.autodidact-trainer/token); for a remote one the user pastes it. A token is only ever returned
// for the origin it was stored under, so a changed trainer URL never receives another server's token.
// No 'vscode' import: unit tests run it against a Map.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { rememberSecret } from '../../shared/redaction/knownSecrets';
import { isLocalTrainer, LEGACY_TOKEN_KEY, tokenSecretKey } from './trainerOrigin';

/** The part of vscode.SecretStorage used here. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export function localTokenFile(): string {
  const home = process.env.AUTODIDACT_TRAINER_HOME ?? path.join(os.homedir(), '.autodidact-trainer');
  return path.join(home, 'token');
}

export async function trainerToken(secrets: SecretStore, url: string, tokenFile = localTokenFile()): Promise<string | undefined> {
  const key = tokenSecretKey(url);
  if (!key) return undefined;
  // The unkeyed token of earlier versions may belong to any server: it is dropped, never sent.
  if (await secrets.get(LEGACY_TOKEN_KEY)) await secrets.delete(LEGACY_TOKEN_KEY);
  const stored = await secrets.get(key);
  if (stored) return remembered(stored);
  if (!isLocalTrainer(url)) return undefined;
  try {
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    if (!token) return undefined;
    await secrets.store(key, token);
    return remembered(token);
  } catch {
    return undefined;
  }
}

export async function storeTrainerToken(secrets: SecretStore, url: string, token: string): Promise<boolean> {
  const key = tokenSecretKey(url);
  if (!key) return false;
  await secrets.store(key, token);
  remembered(token);
  return true;
}

/** Forgets a token the server at `url` refused, so the next attempt reads the file or asks again. */
export async function forgetTrainerToken(secrets: SecretStore, url: string): Promise<void> {
  const key = tokenSecretKey(url);
  if (key) await secrets.delete(key);
}

/** A token this process holds is redacted wherever it is pasted (a prompt, a chat reference). */
function remembered(token: string): string {
  rememberSecret('TRAINER_TOKEN', token);
  return token;
}
