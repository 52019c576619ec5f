// Finds the vscode.lm model for @autodidact (see modelChoice.ts for the order) and asks with a
// quick pick when the choice is the user's to make; the pick is remembered in globalState.
import * as vscode from 'vscode';
import { chooseModel } from './modelChoice';

const CHOSEN_MODEL_KEY = 'autodidact.chat.modelId';

export async function pickLanguageModel(context: vscode.ExtensionContext, request?: vscode.ChatRequest): Promise<vscode.LanguageModelChat | undefined> {
  const models = await vscode.lm.selectChatModels();
  const setting = vscode.workspace.getConfiguration('autodidact.chat').get<string>('model', '');
  // ChatRequest.model is missing on hosts older than 1.95.
  const selectedInChat = (request as { model?: vscode.LanguageModelChat } | undefined)?.model;
  const decision = chooseModel(models, setting, context.globalState.get<string>(CHOSEN_MODEL_KEY), selectedInChat);
  if (decision.kind === 'use') return decision.model;
  if (decision.kind === 'none') return undefined;
  return askForModel(context, decision.models, `Choose the model for @autodidact (${decision.why})`);
}

/** "Autodidact: Choose Chat Model...": pick again, or go back to the model selected in the chat view. */
export async function chooseChatModelCommand(context: vscode.ExtensionContext): Promise<void> {
  const models = await vscode.lm.selectChatModels();
  if (models.length === 0) {
    void vscode.window.showInformationMessage('No chat models are available in this VS Code.');
    return;
  }
  const chosen = await askForModel(context, models, 'Choose the model for @autodidact', true);
  if (chosen) void vscode.window.showInformationMessage(`@autodidact will answer with ${chosen.name}.`);
}

async function askForModel(context: vscode.ExtensionContext, models: readonly vscode.LanguageModelChat[], title: string, offerReset = false): Promise<vscode.LanguageModelChat | undefined> {
  type Item = vscode.QuickPickItem & { model?: vscode.LanguageModelChat };
  const current = context.globalState.get<string>(CHOSEN_MODEL_KEY);
  const items: Item[] = models.map((model) => ({
    label: model.name, description: `${model.vendor} · ${model.family}${model.id === current ? ' · current' : ''}`, detail: model.id, model,
  }));
  if (offerReset) items.push({ label: 'Use the model selected in the chat view', description: 'forget the choice' });
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true });
  if (!picked) return undefined;
  await context.globalState.update(CHOSEN_MODEL_KEY, picked.model?.id);
  return picked.model;
}
