// The trainer-server's token lives in SecretStorage. For a server on this machine it is read once
// from the token file the server wrote on first start (~/.autodidact-trainer/token); for a remote
// one the user pastes it ("Autodidact: Enter Trainer Token...").
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const SECRET_KEY = 'autodidact.trainer.token';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLocalTrainer(url: string): boolean {
  try { return LOCAL_HOSTS.has(new URL(url).hostname); } catch { return false; }
}

export async function trainerToken(secrets: vscode.SecretStorage, url: string): Promise<string | undefined> {
  const stored = await secrets.get(SECRET_KEY);
  if (stored) return stored;
  if (!isLocalTrainer(url)) return undefined;
  const home = process.env.AUTODIDACT_TRAINER_HOME ?? path.join(os.homedir(), '.autodidact-trainer');
  try {
    const token = fs.readFileSync(path.join(home, 'token'), 'utf8').trim();
    if (token) await secrets.store(SECRET_KEY, token);
    return token || undefined;
  } catch {
    return undefined;
  }
}

/** Forgets a token the server refused, so the next attempt reads the file or asks again. */
export async function forgetTrainerToken(secrets: vscode.SecretStorage): Promise<void> {
  await secrets.delete(SECRET_KEY);
}

export async function enterTrainerTokenCommand(secrets: vscode.SecretStorage): Promise<boolean> {
  const token = await vscode.window.showInputBox({
    title: 'Autodidact trainer-server token',
    prompt: 'The token the trainer-server printed on its first start (also in ~/.autodidact-trainer/token on its machine).',
    password: true, ignoreFocusOut: true,
    validateInput: (value) => (value.trim().length < 16 ? 'That is too short to be a trainer token.' : undefined),
  });
  if (!token) return false;
  await secrets.store(SECRET_KEY, token.trim());
  return true;
}
