// The command that asks for a remote trainer-server's token; storage by origin is in trainerTokenStore.
import * as vscode from 'vscode';
import { trainerOrigin } from './trainerOrigin';
import { storeTrainerToken } from './trainerTokenStore';

export { forgetTrainerToken, trainerToken } from './trainerTokenStore';

export async function enterTrainerTokenCommand(secrets: vscode.SecretStorage, url: string): Promise<boolean> {
  const token = await vscode.window.showInputBox({
    title: `Autodidact trainer-server token for ${trainerOrigin(url) ?? url}`,
    prompt: 'The token the trainer-server printed on its first start (also in ~/.autodidact-trainer/token on its machine). It is kept for this server only.',
    password: true, ignoreFocusOut: true,
    validateInput: (value) => (value.trim().length < 16 ? 'That is too short to be a trainer token.' : undefined),
  });
  if (!token) return false;
  return storeTrainerToken(secrets, url, token.trim());
}
